"""The evidence report in the staff app: a page with charts and tables, a PDF, and JSON.

Wording follows what an inspector looks for in co-production evidence: what people said,
what changed, and how people heard back. The numbers come from bot/feedback/evidence.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import jinja2
from starlette.responses import Response

from bot.feedback import evidence
from bot.staff import operations
from bot.staff.app import GOVUK_DIR, HERE
from bot.staff.chart import BarChart, bar_chart
from bot.staff.context import ApiError, Visit, api, page
from bot.staff.evidence_pdf import PdfUnavailable, html_to_pdf
from bot.store.schema import utcnow

DEFAULT_DAYS = 365


def charts_for(report: evidence.EvidenceReport) -> dict[str, BarChart]:
    """Charts of the report's main numbers; the page puts a table beside each."""
    people: dict[str, int] = {}
    closed: dict[str, int] = {}
    for item in report.consultations:
        for channel, count in item.by_channel.items():
            people[channel] = people.get(channel, 0) + count
    for channel, counts in report.loop.by_channel.items():
        closed[channel] = counts["closed"]
    name = evidence.CHANNEL_NAMES.get
    charts = {
        "people": bar_chart(
            "chart-people",
            "People who took part, by channel",
            [(name(channel, channel), count) for channel, count in sorted(people.items())],
            "people",
        ),
        "loop": bar_chart(
            "chart-loop",
            "People told what happened by the date promised, by channel",
            [(name(channel, channel), count) for channel, count in sorted(closed.items())],
            "people",
        ),
    }
    if len(report.consultations) == 1:
        charts["themes"] = bar_chart(
            "chart-themes",
            "What people said: answers in each theme",
            [(theme["label"], theme["answers"]) for theme in report.consultations[0].themes[:15]],
            "answers",
        )
    return charts


@lru_cache(maxsize=1)
def _inline_css() -> str:
    """GOV.UK Frontend's CSS and Sayso's own, to put inside the PDF's page (no fetching)."""
    parts = []
    govuk = GOVUK_DIR / "govuk-frontend.min.css"
    if govuk.exists():
        parts.append(govuk.read_text(encoding="utf-8"))
    parts.append((HERE / "static" / "staff.css").read_text(encoding="utf-8"))
    return "\n".join(parts).replace("</style", "")


def _values(report: evidence.EvidenceReport) -> dict[str, Any]:
    return {
        "report": report,
        "charts": charts_for(report),
        "channel_names": evidence.CHANNEL_NAMES,
        "language_names": evidence.LANGUAGE_NAMES,
    }


def _percent(value: float | None) -> str:
    return "no one to tell yet" if value is None else f"{round(value * 100)}%"


def printable_page(templates: jinja2.Environment, report: evidence.EvidenceReport) -> str:
    """The report as one page for Chromium to print: its CSS inside, so it fetches nothing."""
    return templates.get_template("evidence_pdf.html").render(
        css=_inline_css(), percent=_percent, **_values(report)
    )


def _pdf(visit: Visit, report: evidence.EvidenceReport, name: str) -> Response:
    try:
        data = html_to_pdf(printable_page(visit.staff.templates, report))
    except PdfUnavailable:
        return visit.staff.error_page(
            visit.request,
            503,
            "The PDF cannot be made just now",
            "The browser that prints it is not working. The report page still works: "
            "use your browser's Print instead.",
        )
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


def _range_from(visit: Visit, blank_is_default: bool = True) -> tuple[date, date]:
    """The dates asked for. The page's form sends empty boxes, which mean the default; the
    API's callers leave a date out for that, and an empty one is a mistake."""
    today = utcnow().date()
    query = visit.request.query_params
    defaults = {"from": (today - timedelta(days=DEFAULT_DAYS)).isoformat(), "to": today.isoformat()}
    chosen = {}
    for name, default in defaults.items():
        given = query.get(name)
        if given is None or (blank_is_default and not given):
            given = default
        chosen[name] = given
    return evidence.parse_range(chosen["from"], chosen["to"])


@page
def consultation_evidence(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    report = evidence.consultation_report(visit.db, consultation, utcnow().date())
    return visit.render(
        "evidence.html",
        title=report.title,
        consultation=consultation,
        percent=_percent,
        pdf_link=f"/consultations/{consultation.slug}/evidence.pdf",
        **_values(report),
    )


@page
def consultation_evidence_pdf(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    report = evidence.consultation_report(visit.db, consultation, utcnow().date())
    return _pdf(visit, report, f"{consultation.slug}-evidence")


@page
def range_evidence(visit: Visit) -> Response:
    query = visit.request.query_params
    try:
        starts, ends = _range_from(visit)
    except evidence.BadRange as error:
        return visit.render(
            "evidence_range.html",
            status=400,
            title="Evidence report",
            errors=[("from", str(error))],
            starts=query.get("from", ""),
            ends=query.get("to", ""),
        )
    report = evidence.range_report(visit.db, starts, ends, utcnow().date())
    return visit.render(
        "evidence_range.html",
        title=report.title,
        errors=[],
        starts=starts.isoformat(),
        ends=ends.isoformat(),
        percent=_percent,
        pdf_link=f"/evidence.pdf?from={starts.isoformat()}&to={ends.isoformat()}",
        **_values(report),
    )


@page
def range_evidence_pdf(visit: Visit) -> Response:
    try:
        starts, ends = _range_from(visit)
    except evidence.BadRange as error:
        return visit.staff.error_page(visit.request, 400, "Check the dates", str(error))
    report = evidence.range_report(visit.db, starts, ends, utcnow().date())
    return _pdf(visit, report, f"evidence-{starts.isoformat()}-to-{ends.isoformat()}")


@api
def consultation_evidence_json(visit: Visit) -> dict[str, Any]:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    return evidence.consultation_report(visit.db, consultation, utcnow().date()).as_data()


@api
def range_evidence_json(visit: Visit) -> dict[str, Any]:
    try:
        starts, ends = _range_from(visit, blank_is_default=False)
    except evidence.BadRange as error:
        raise ApiError(422, str(error), "from") from None
    return evidence.range_report(visit.db, starts, ends, utcnow().date()).as_data()
