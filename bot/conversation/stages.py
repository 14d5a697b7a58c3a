"""Where a person can be in the conversation. Stored in `conversation_states.stage`."""

NEW = "new"
CONSENT = "consent"
CHOOSING = "choosing"
#: "Is this about Food at the hostel?" before unprompted words are filed there.
ROUTE_CONFIRM = "route_confirm"
ROUTED_OFFER = "routed_offer"
QUESTION = "question"
UPDATES_CONSENT = "updates_consent"
FINISHED = "finished"
PAUSED = "paused"
RESUME_OFFER = "resume_offer"
DELETE_CONFIRM = "delete_confirm"
CRISIS_CHECK = "crisis_check"
#: "Piszesz po polsku?" after someone writes in a language Sayso speaks but they have not chosen.
LANGUAGE_OFFER = "language_offer"
#: Choosing priorities among a closed consultation's themes, then the panel question.
PRIORITIES = "priorities"
PANEL_OFFER = "panel_offer"

#: Stages that ask a yes/no question of their own and return to where the person was.
DETOURS = (DELETE_CONFIRM, CRISIS_CHECK, LANGUAGE_OFFER)
