"""The words of a "you said, we did" update, in the person's language where there is one.

Every sentence frame is a domain.yml response (checked for plain words like all bot text);
only the theme labels and what staff typed are filled in. The same replies serve the pushed
update and the answer to "what happened to what I said?", so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.consultations.spec import RUNG_RESPONSES
from bot.conversation.replies import Reply
from bot.conversation.words import words
from bot.languages import plain_date
from bot.store import translations as translation_store
from bot.store.outcomes import NOT_DOING
from bot.store.schema import Consultation, Outcome

STATUS_LINES = {
    "planned": "utter_outcome_planned",
    "in_progress": "utter_outcome_in_progress",
    "done": "utter_outcome_done",
    NOT_DOING: "utter_outcome_not_doing",
}
LINE_BREAK = "\n"
_ENDING = ".!?…;:, "


def clause(text: str) -> str:
    """Words set inside a sentence that has its own full stop: theirs is taken off."""
    return text.strip().rstrip(_ENDING)


def sentence(text: str) -> str:
    """Words that end a line: exactly one full stop, whatever staff typed."""
    kept = clause(text)
    return f"{kept}." if kept else ""


def said_about(themes: Sequence[str], topic: str) -> str:
    """What the person said, in words they would know: theme labels, never "Other"."""
    named = [clause(label) for label in themes if clause(label).casefold() != "other"]
    return ", ".join(named) if named else clause(topic)


def staff_words(outcome: Outcome, name: str, language: str) -> str:
    """What staff typed, in the person's language if staff gave a translation."""
    translated = (outcome.translations or {}).get(language, {}).get(name)
    return translated or getattr(outcome, name) or ""


def update_replies(
    session: Session,
    consultation: Consultation,
    outcome: Outcome,
    themes: Sequence[str],
    language: str,
) -> list[Reply]:
    """What you said, what was done (and why not), when, who decided, and how to ask more."""
    words_in_language = translation_store.words_for(session, consultation, language)
    title = clause(words_in_language.title)
    replies = [
        Reply("utter_outcome_news", params={"title": title}),
        Reply("utter_outcome_you_said", params={"themes": said_about(themes, title)}),
    ]
    what = sentence(staff_words(outcome, "what_was_done", language))
    replies.append(Reply(STATUS_LINES[outcome.status], params={"what": what}))
    reason = sentence(staff_words(outcome, "reason", language))
    if outcome.status == NOT_DOING and reason:
        replies.append(Reply("utter_outcome_reason", params={"reason": reason}))
    replies.append(
        Reply("utter_outcome_date", params={"date": plain_date(outcome.decided_on, language)})
    )
    replies.append(
        Reply(
            "utter_outcome_who_decided",
            params={"who_decides": clause(words_in_language.who_decides)},
        )
    )
    rung = RUNG_RESPONSES.get(consultation.ladder_rung)
    if rung is not None:
        replies.append(Reply(rung))
    replies.append(Reply("utter_outcome_ask_more"))
    return [Reply(reply.response, params=reply.params, language=language) for reply in replies]


def as_text(replies: Sequence[Reply]) -> str:
    """One message, a line for each reply, as a pushed update is sent."""
    return LINE_BREAK.join(
        words(reply.response, reply.language, **reply.params)
        if reply.response
        else reply.text or ""
        for reply in replies
    )
