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
#: "Has this made things better for you?" [Yes | A bit | No], weeks after an outcome was done.
FOLLOW_UP = "follow_up"
#: "Do you want to tell us more?" after answering it: one sentence of their own, or skip.
FOLLOW_UP_WORDS = "follow_up_words"

#: Stages that ask a question of their own and return to where the person was.
DETOURS = (DELETE_CONFIRM, CRISIS_CHECK, LANGUAGE_OFFER, FOLLOW_UP, FOLLOW_UP_WORDS)
#: Steps that ask yes or no (a consultation's own yes/no questions are read the same way).
YES_NO = (
    CONSENT,
    ROUTE_CONFIRM,
    ROUTED_OFFER,
    UPDATES_CONSENT,
    RESUME_OFFER,
    DELETE_CONFIRM,
    CRISIS_CHECK,
    PANEL_OFFER,
)
#: Where a person is between things: a waiting message that asks a question may be shown here,
#: in place of "What would you like to talk about?".
RESTING = (CHOOSING, FINISHED)
#: Steps a person who stopped is taken back to when they say hi.
COME_BACK_TO = (UPDATES_CONSENT, ROUTE_CONFIRM, ROUTED_OFFER, PRIORITIES, PANEL_OFFER)
