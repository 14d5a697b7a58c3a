"""The evidence report: what people said, what changed, and how people heard back.

For one consultation, or for every consultation open at some time in a date range. It is
written for inspectors and commissioners looking for evidence of co-production: the ladder
rung and who decided; the dates; who took part (by channel, language, and whether a worker
helped); the answers and themes with counts; the outcomes and their status; the closed-loop
rate; how long people waited for a first outcome; what is overdue; priority votes and panel
volunteers; and whether the changes helped ("did it help?" answers).

**Closed-loop rate.** Of the people who answered and agreed to updates (people who have since
deleted their data are not counted), the share who were told an outcome on or before the date
they were promised (`feedback_due_on`), or who were told honestly that their update is late
(they asked "what happened?" after that date and were told so: `late_notices`). Told means the
message reached them: sent on Telegram, or shown in the web chat. A message sent after the
date is counted apart ("heard after the date"), and does not close the loop on time.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from bot.store import loop as loop_store
from bot.store import outcomes as outcome_store
from bot.store.consultations import active_questions
from bot.store.schema import (
    Consultation,
    OutboxMessage,
    Outcome,
    Participant,
    PriorityInvitation,
    PriorityVote,
    Response,
    SafeguardingAlert,
    Theme,
    ThemeMembership,
    utcnow,
)

RUNG_NAMES = {
    "informing": "Informing: people are told what will happen",
    "consultation": "Consultation: people are asked, and others decide",
    "engagement": "Engagement: people's views shape the decision",
    "co-design": "Co-design: people design the change with staff",
    "co-production": "Co-production: people and staff decide and deliver together",
}
CHANNEL_NAMES = {"telegram": "Telegram", "webchat": "Web chat", "rest": "Other", "demo": "Demo"}
LANGUAGE_NAMES = {"en": "English", "pl": "Polish", "ro": "Romanian"}


class BadRange(ValueError):
    """A date range that cannot be reported on, said plainly."""


@dataclass
class LoopCounts:
    """People owed news, and how many heard it in time; by channel too."""

    agreed_to_updates: int = 0
    told_on_time: int = 0
    told_late_honestly: int = 0
    heard_after_the_date: int = 0
    not_told: int = 0
    by_channel: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        return self.told_on_time + self.told_late_honestly

    @property
    def rate(self) -> float | None:
        return self.closed / self.agreed_to_updates if self.agreed_to_updates else None

    def add(self, other: LoopCounts) -> None:
        self.agreed_to_updates += other.agreed_to_updates
        self.told_on_time += other.told_on_time
        self.told_late_honestly += other.told_late_honestly
        self.heard_after_the_date += other.heard_after_the_date
        self.not_told += other.not_told
        for channel, counts in other.by_channel.items():
            mine = self.by_channel.setdefault(channel, {"agreed_to_updates": 0, "closed": 0})
            for key in mine:
                mine[key] += counts[key]

    def as_data(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "closed": self.closed,
            "rate": round(self.rate, 4) if self.rate is not None else None,
        }


@dataclass
class ConsultationEvidence:
    slug: str
    title: str
    status: str
    ladder_rung: str
    ladder_rung_name: str
    who_decides: str
    opens_on: str
    closes_on: str
    feedback_due_on: str
    people: int
    by_channel: dict[str, int]
    by_language: dict[str, int]
    helped_by_a_worker: int
    answers: int
    questions: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    loop: LoopCounts
    first_outcome_on: str | None
    days_to_first_outcome: int | None
    overdue: bool
    priority_votes: list[dict[str, Any]]
    priorities_invited: int
    panel_volunteers: int
    did_it_help: dict[str, int]

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["loop"] = self.loop.as_data()
        return data


@dataclass
class EvidenceReport:
    title: str
    scope: str
    starts_on: str | None
    ends_on: str | None
    made_at: str
    consultations: list[ConsultationEvidence]
    loop: LoopCounts
    median_days_to_first_outcome: float | None
    overdue: list[dict[str, str]]
    did_it_help: dict[str, int]

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "scope": self.scope,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "made_at": self.made_at,
            "closed_loop": self.loop.as_data(),
            "median_days_to_first_outcome": self.median_days_to_first_outcome,
            "overdue": self.overdue,
            "did_it_help": self.did_it_help,
            "consultations": [item.as_data() for item in self.consultations],
        }


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def _people_query(consultation_id: int):  # type: ignore[no-untyped-def]
    return select(distinct(Response.participant_id)).where(
        Response.consultation_id == consultation_id
    )


def closed_loop(session: Session, consultation: Consultation) -> LoopCounts:
    """The closed-loop counts for one consultation, as the module docstring defines them."""
    agreed = dict(
        session.execute(
            select(Participant.id, Participant.channel).where(
                Participant.id.in_(_people_query(consultation.id)),
                Participant.consent_updates.is_(True),
            )
        ).all()
    )
    outcome_ids = list(
        session.execute(
            select(Outcome.id).where(
                Outcome.consultation_id == consultation.id, Outcome.published_at.is_not(None)
            )
        ).scalars()
    )
    first_heard: dict[str, date] = {}
    if outcome_ids:
        rows = session.execute(
            select(OutboxMessage.recipient, func.min(OutboxMessage.sent_at))
            .where(
                or_(
                    *[
                        OutboxMessage.idempotency_key.startswith(f"outcome:{oid}:")
                        for oid in outcome_ids
                    ]
                ),
                OutboxMessage.status == "sent",
                OutboxMessage.sent_at.is_not(None),
            )
            .group_by(OutboxMessage.recipient)
        )
        first_heard = {recipient: _day(sent_at) for recipient, sent_at in rows}
    late = loop_store.late_notices(session, consultation.id)
    counts = LoopCounts(agreed_to_updates=len(agreed))
    for person, channel in agreed.items():
        heard = first_heard.get(person)
        if heard is not None and heard <= consultation.feedback_due_on:
            closed = True
            counts.told_on_time += 1
        elif person in late:
            closed = True
            counts.told_late_honestly += 1
        else:
            closed = False
            if heard is not None:
                counts.heard_after_the_date += 1
            else:
                counts.not_told += 1
        mine = counts.by_channel.setdefault(channel, {"agreed_to_updates": 0, "closed": 0})
        mine["agreed_to_updates"] += 1
        mine["closed"] += int(closed)
    return counts


def _grouped(session: Session, column, consultation_id: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        str(key): count
        for key, count in session.execute(
            select(column, func.count(Participant.id))
            .where(Participant.id.in_(_people_query(consultation_id)))
            .group_by(column)
            .order_by(column)
        ).all()
    }


def did_it_help(session: Session, consultation_id: int) -> dict[str, int]:
    """Answers to "did it help?" for this consultation's outcomes (bot/store/follow_ups.py)."""
    try:
        from bot.store import follow_ups
    except ImportError:
        return {}
    return follow_ups.answer_counts(session, consultation_id)


def consultation_evidence(
    session: Session, consultation: Consultation, today: date
) -> ConsultationEvidence:
    cid = consultation.id
    by_channel = _grouped(session, Participant.channel, cid)
    by_language = _grouped(session, Participant.language, cid)
    helped = session.execute(
        select(func.count(distinct(Response.participant_id))).where(
            Response.consultation_id == cid, Response.assisted_by.is_not(None)
        )
    ).scalar_one()
    per_question = dict(
        session.execute(
            select(Response.question_id, func.count(Response.id))
            .where(Response.consultation_id == cid)
            .group_by(Response.question_id)
        ).all()
    )
    questions = [
        {"key": q.key, "prompt": q.prompt, "answers": per_question.get(q.id, 0)}
        for q in active_questions(consultation)
    ]
    theme_rows = session.execute(
        select(
            Theme.id,
            Theme.label,
            Theme.status,
            func.count(ThemeMembership.response_id),
            func.count(distinct(Response.participant_id)),
        )
        .join(ThemeMembership, ThemeMembership.theme_id == Theme.id)
        .join(Response, Response.id == ThemeMembership.response_id)
        .where(Theme.consultation_id == cid)
        .group_by(Theme.id, Theme.label, Theme.status)
        .order_by(func.count(ThemeMembership.response_id).desc(), Theme.label)
    ).all()
    themes = [
        {"label": label, "status": status, "answers": answers, "people": people}
        for _, label, status, answers, people in theme_rows
    ]
    outcomes = []
    published_days = []
    for outcome in outcome_store.outcomes_for(session, cid):
        if outcome.published_at is not None:
            published_days.append(_day(outcome.published_at))
        delivery = outcome_store.delivery_counts(session, outcome)
        outcomes.append(
            {
                "what_was_done": outcome.what_was_done,
                "status": outcome.status,
                "status_name": outcome_store.STATUSES[outcome.status],
                "reason": outcome.reason or "",
                "decided_on": outcome.decided_on.isoformat(),
                "published_on": outcome.published_at.date().isoformat()
                if outcome.published_at
                else None,
                "themes": [link.label for link in outcome.theme_links],
                "owed": delivery.owed,
                "sent": delivery.sent,
                "waiting": delivery.waiting,
                "failed": delivery.failed,
                "unreachable": delivery.unreachable,
            }
        )
    first = min(published_days) if published_days else None
    votes = session.execute(
        select(PriorityVote.label, func.count(PriorityVote.id))
        .where(PriorityVote.consultation_id == cid)
        .group_by(PriorityVote.label)
        .order_by(func.count(PriorityVote.id).desc(), PriorityVote.label)
    ).all()
    invited = session.execute(
        select(func.count()).where(PriorityInvitation.consultation_id == cid)
    ).scalar_one()
    volunteers = session.execute(
        select(func.count()).where(
            PriorityInvitation.consultation_id == cid, PriorityInvitation.panel_joined.is_(True)
        )
    ).scalar_one()
    return ConsultationEvidence(
        slug=consultation.slug,
        title=consultation.title,
        status=consultation.status,
        ladder_rung=consultation.ladder_rung,
        ladder_rung_name=RUNG_NAMES.get(consultation.ladder_rung, consultation.ladder_rung),
        who_decides=consultation.who_decides,
        opens_on=consultation.opens_on.isoformat(),
        closes_on=consultation.closes_on.isoformat(),
        feedback_due_on=consultation.feedback_due_on.isoformat(),
        people=sum(by_channel.values()),
        by_channel=by_channel,
        by_language=by_language,
        helped_by_a_worker=helped,
        answers=sum(per_question.values()),
        questions=questions,
        themes=themes,
        outcomes=outcomes,
        loop=closed_loop(session, consultation),
        first_outcome_on=first.isoformat() if first else None,
        days_to_first_outcome=(first - consultation.closes_on).days if first else None,
        overdue=outcome_store.is_overdue(session, consultation, today),
        priority_votes=[{"label": label, "votes": count} for label, count in votes],
        priorities_invited=invited,
        panel_volunteers=volunteers,
        did_it_help=did_it_help(session, cid),
    )


def _report(
    title: str,
    scope: str,
    items: list[ConsultationEvidence],
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> EvidenceReport:
    loop = LoopCounts()
    helped: Counter[str] = Counter()
    for item in items:
        loop.add(item.loop)
        helped.update(item.did_it_help)
    waits = [item.days_to_first_outcome for item in items if item.days_to_first_outcome is not None]
    return EvidenceReport(
        title=title,
        scope=scope,
        starts_on=starts_on.isoformat() if starts_on else None,
        ends_on=ends_on.isoformat() if ends_on else None,
        made_at=utcnow().replace(microsecond=0).isoformat(),
        consultations=items,
        loop=loop,
        median_days_to_first_outcome=statistics.median(waits) if waits else None,
        overdue=[
            {"slug": item.slug, "title": item.title, "feedback_due_on": item.feedback_due_on}
            for item in items
            if item.overdue
        ],
        did_it_help=dict(helped),
    )


def consultation_report(
    session: Session, consultation: Consultation, today: date
) -> EvidenceReport:
    item = consultation_evidence(session, consultation, today)
    return _report(f"Evidence report: {consultation.title}", "consultation", [item])


def range_report(session: Session, starts_on: date, ends_on: date, today: date) -> EvidenceReport:
    """Every consultation open at some time from `starts_on` to `ends_on`, both included."""
    if ends_on < starts_on:
        raise BadRange("The end date is before the start date. Swap them and try again.")
    found = session.execute(
        select(Consultation)
        .where(Consultation.opens_on <= ends_on, Consultation.closes_on >= starts_on)
        .order_by(Consultation.opens_on, Consultation.title)
    ).scalars()
    items = [consultation_evidence(session, item, today) for item in found]
    title = f"Evidence report: {starts_on.isoformat()} to {ends_on.isoformat()}"
    return _report(title, "range", items, starts_on, ends_on)


#: Only year-month-day: Python would also take "20270210" or "2027-W06-3".
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_range(starts: str, ends: str) -> tuple[date, date]:
    """Two dates as year-month-day; BadRange with a plain message if they are not."""
    try:
        if not (_FULL_DATE.fullmatch(starts) and _FULL_DATE.fullmatch(ends)):
            raise ValueError(starts, ends)
        start, end = date.fromisoformat(starts), date.fromisoformat(ends)
    except ValueError:
        raise BadRange("Enter both dates as year-month-day, like 2027-02-10.") from None
    if end < start:
        raise BadRange("The end date is before the start date. Swap them and try again.")
    return start, end


@dataclass(frozen=True)
class LoopHealth:
    overdue: list[Consultation]
    loop: LoopCounts
    unhandled_alerts: int


def loop_health(session: Session, today: date, days: int = 90) -> LoopHealth:
    """For the staff home page: overdue consultations, the closed-loop rate for people whose
    promised date fell in the last `days` days, and safeguarding alerts nobody has handled."""
    since = date.fromordinal(today.toordinal() - days)
    loop = LoopCounts()
    for consultation in session.execute(
        select(Consultation).where(
            Consultation.feedback_due_on >= since, Consultation.feedback_due_on <= today
        )
    ).scalars():
        loop.add(closed_loop(session, consultation))
    unhandled = session.execute(
        select(func.count(SafeguardingAlert.id)).where(SafeguardingAlert.handled_at.is_(None))
    ).scalar_one()
    return LoopHealth(outcome_store.overdue_consultations(session, today), loop, unhandled)
