"""Consultations are content staff write: good files load, and every mistake is explained."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import textstat
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import PROJECT_ROOT
from bot.consultations.loader import (
    ConsultationError,
    Problem,
    load_consultation_directory,
    load_consultation_file,
    parse_consultation,
)
from bot.consultations.spec import ConsultationSpec, Option

SHIPPED_DIR = PROJECT_ROOT / "consultations"
FIXTURES = Path(__file__).resolve().parent.parent / "data" / "consultations"
INVALID = FIXTURES / "invalid"
TODAY = date(2026, 11, 22)
JARGON = ("service user", "stakeholder", "provision", "utilise", "facilitate", "co-produc")


def valid_form() -> dict:
    """A consultation as the staff web form would send it: plain dicts, dates as ISO text."""
    return {
        "slug": "laundry",
        "title": "Using the laundry",
        "summary": "We want to make the laundry easier to use.",
        "ladder_rung": "consultation",
        "who_decides": "The hostel manager decides.",
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "feedback_due_on": "2027-02-28",
        "questions": [
            {"key": "day", "kind": "choice", "prompt": "Which day?", "options": ["Mon", "Tue"]},
            {"key": "ideas", "kind": "free_text", "prompt": "What would help?"},
        ],
    }


def problems_of(data: object, source: str = "staff form") -> tuple[Problem, ...]:
    with pytest.raises(ConsultationError) as caught:
        parse_consultation(data, source)
    return caught.value.problems


def file_problems(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(ConsultationError) as caught:
        load_consultation_file(path)
    return caught.value.problems


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.?!])\s+", text.strip()) if part]


def participant_texts(spec: ConsultationSpec) -> list[str]:
    texts = [spec.title, spec.summary, spec.who_decides]
    for question in spec.questions:
        texts.append(question.prompt)
        if question.easy_read:
            texts.append(question.easy_read)
        texts.extend(option.label for option in question.options)
    return texts


@pytest.fixture(scope="module")
def shipped() -> dict[str, ConsultationSpec]:
    specs, problems = load_consultation_directory(SHIPPED_DIR)
    assert problems == []
    return {spec.slug: spec for spec in specs}


# --- The consultations that ship with Sayso ---------------------------------------------------


def test_the_three_shipped_consultations_load(shipped):
    assert set(shipped) == {"day-centre-hours", "hostel-food", "moving-on"}


def test_shipped_consultations_are_open_today_and_promise_feedback_soon_after(shipped):
    for spec in shipped.values():
        assert spec.status == "open"
        assert spec.opens_on <= TODAY <= spec.closes_on
        assert (spec.opens_on.year, spec.opens_on.month) == (2026, 11)
        assert (spec.closes_on.year, spec.closes_on.month) in {(2027, 1), (2027, 2)}
        assert timedelta(weeks=1) <= spec.feedback_due_on - spec.closes_on <= timedelta(weeks=6)


def test_shipped_consultations_state_an_honest_rung(shipped):
    rungs = {slug: spec.ladder_rung for slug, spec in shipped.items()}
    assert rungs == {
        "day-centre-hours": "consultation",
        "hostel-food": "co-design",
        "moving-on": "engagement",
    }


def test_shipped_first_questions_can_be_answered_with_a_tap(shipped):
    for spec in shipped.values():
        first = spec.questions[0]
        assert first.kind != "free_text", spec.slug
        assert first.options, spec.slug


def test_shipped_questions_mix_kinds_and_mostly_have_simpler_words(shipped):
    for spec in shipped.values():
        assert 3 <= len(spec.questions) <= 6, spec.slug
        assert len({question.kind for question in spec.questions}) >= 3, spec.slug
        with_easy_read = [question for question in spec.questions if question.easy_read]
        assert len(with_easy_read) > len(spec.questions) / 2, spec.slug
        assert len(spec.keywords) >= 5, spec.slug


def test_shipped_words_are_short_plain_and_free_of_jargon(shipped):
    for spec in shipped.values():
        assert len(spec.title.split()) <= 6, spec.title
        texts = participant_texts(spec)
        for text in texts:
            for sentence in sentences(text):
                assert len(sentence.split()) <= 15, sentence
            assert not any(word in text.lower() for word in JARGON), text
        # Reading age 9 is US grade 4 on the Flesch-Kincaid scale.
        assert textstat.flesch_kincaid_grade(" ".join(texts)) <= 4, spec.slug


def test_the_readme_example_is_a_valid_consultation():
    readme = (SHIPPED_DIR / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    spec = parse_consultation(yaml.safe_load(example.group(1)), "README example")
    assert [question.kind for question in spec.questions] == [
        "scale",
        "choice",
        "yes_no",
        "free_text",
    ]


# --- Each kind of mistake gives one clear problem ----------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "field", "reason_part"),
    [
        ("wrong-kind.yml", "questions[0].kind", "free_text, choice, scale, yes_no"),
        ("missing-prompt.yml", "questions[1].prompt", "is missing"),
        ("choice-one-option.yml", "questions[0].options", "needs 2 to 8"),
        ("yes-no-with-options.yml", "questions[0].options", "Yes and No"),
        ("dates-out-of-order.yml", "closes_on", "before opens_on"),
        ("feedback-too-early.yml", "feedback_due_on", "before closes_on"),
        ("bad-slug.yml", "slug", "Try 'hostel-food'"),
        ("duplicate-question-keys.yml", "questions[1].key", "also the key of questions[0]"),
        ("impossible-date.yml", "closes_on", "2027-02-30 is not a real date"),
        ("not-a-mapping.yml", "(top level)", "not a list"),
        ("yaml-syntax-error.yml", "line 13", "colon"),
        ("field-written-twice.yml", "line 10", "also on line 3"),
    ],
)
def test_a_mistake_names_the_file_the_field_and_what_to_do(file_name, field, reason_part):
    path = INVALID / file_name
    problems = file_problems(path)
    assert len(problems) == 1, problems
    assert problems[0].source == str(path)
    assert problems[0].field == field
    assert reason_part in problems[0].reason


def test_a_typo_in_a_field_name_suggests_the_right_name():
    problems = file_problems(INVALID / "unknown-field.yml")
    reasons = {problem.field: problem.reason for problem in problems}
    assert "Did you mean 'title'?" in reasons["tittle"]
    assert "is missing" in reasons["title"]


def test_unquoted_yes_and_no_buttons_are_explained():
    problems = file_problems(INVALID / "unquoted-yes-label.yml")
    assert [problem.field for problem in problems] == [
        "questions[0].options[0]",
        "questions[0].options[1]",
    ]
    assert all("quotes" in problem.reason for problem in problems)


def test_every_problem_in_a_file_is_reported_at_once_one_per_line():
    path = INVALID / "many-mistakes.yml"
    with pytest.raises(ConsultationError) as caught:
        load_consultation_file(path)
    fields = {problem.field for problem in caught.value.problems}
    assert fields == {
        "slug",
        "ladder_rung",
        "closes_on",
        "questions[0].kind",
        "questions[1].options",
        "questions[2].prompt",
        "questions[2].options",
    }
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems)
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert f"{path}: ladder_rung: " in str(caught.value)
    assert "Did you mean 'co-production'?" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "reason_part"),
    [
        ('slug: laundry\ntitle: "Using the laundry\nsummary: Clean clothes.\n', "line 2", "quote"),
        ("slug: laundry\ntitle: Laundry\n\tsummary: Clean clothes.\n", "line 3", "tab"),
        ("slug: laundry\n  title: Laundry\n", "line 2", "spaces at the start"),
    ],
)
def test_a_yaml_typing_slip_points_to_the_line_to_fix(tmp_path, text, line, reason_part):
    path = tmp_path / "slip.yml"
    path.write_text(text, encoding="utf-8")
    (problem,) = file_problems(path)
    assert (problem.field, problem.source) == (line, str(path))
    assert reason_part in problem.reason


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path):
    problems = file_problems(tmp_path / "gone.yml")
    assert problems[0].field == "(file)"


def test_an_empty_file_says_how_to_start(tmp_path):
    path = tmp_path / "empty.yml"
    path.write_text("", encoding="utf-8")
    assert "slug:" in file_problems(path)[0].reason


# --- Option shorthand and defaults -------------------------------------------------------------


def test_option_shorthand_numbers_a_scale_and_names_choices_from_their_words():
    spec = load_consultation_file(FIXTURES / "valid" / "shorthand-options.yml")
    scale, choice, yes_no, free_text = spec.questions
    assert scale.options == (
        Option("1", "Very hard"),
        Option("2", "Hard"),
        Option("3", "OK"),
        Option("4", "Easy"),
        Option("5", "Very easy"),
    )
    assert choice.options == (
        Option("weekdays", "Weekdays"),
        Option("dont-mind", "Don't mind"),
        Option("cafe-day", "Café day"),
        Option("sat", "Saturday"),
    )
    assert yes_no.options == (Option("yes", "Yes"), Option("no", "No"))
    assert free_text.options == ()


def test_left_out_fields_take_their_defaults():
    spec = load_consultation_file(FIXTURES / "valid" / "shorthand-options.yml")
    assert spec.status == "open"
    assert [question.required for question in spec.questions] == [False, False, True, False]
    assert [question.easy_read for question in spec.questions][:3] == [None, None, None]
    assert spec.keywords == ("laundry", "washing")


# --- Plain dicts, as the staff web form will send them -----------------------------------------


def test_a_staff_form_dict_with_text_dates_becomes_a_consultation():
    spec = parse_consultation(valid_form(), "staff form")
    assert spec.opens_on == date(2026, 12, 1)
    assert spec.questions[0].options == (Option("mon", "Mon"), Option("tue", "Tue"))
    assert spec.keywords == ()


@pytest.mark.parametrize(
    ("change", "field", "reason_part"),
    [
        (lambda form: form.update(status="live"), "status", "draft, open, closed"),
        (lambda form: form.update(questions=[]), "questions", "at least one question"),
        (lambda form: form.update(opens_on="1st December"), "opens_on", "2026-11-30"),
        (lambda form: form.update(title="x" * 61), "title", "60 or fewer"),
        (lambda form: form.update(keywords="laundry"), "keywords", "must be a list"),
        (
            lambda form: form["questions"][0].update(options=list("ABCDEFGHI")),
            "questions[0].options",
            "has 9 options. A choice question needs 2 to 8",
        ),
        (
            lambda form: form["questions"][0].update(kind="scale", options=["1", "2"]),
            "questions[0].options",
            "needs 3 to 5",
        ),
        (
            lambda form: form["questions"][1].update(options=["A", "B"]),
            "questions[1].options",
            "Remove the options",
        ),
        (
            lambda form: form["questions"][0].update(options=["Mon", "mon"]),
            "questions[0].options[1]",
            "same as questions[0].options[0]",
        ),
        (
            lambda form: form["questions"][0].update(options=["Mon", "A" * 41]),
            "questions[0].options[1]",
            "40 or fewer",
        ),
        (
            lambda form: form["questions"][0].update(
                options=[{"value": "Monday!", "label": "Mon"}, "Tue"]
            ),
            "questions[0].options[0].value",
            "small letters",
        ),
        (
            lambda form: form["questions"][0].update(required="yes"),
            "questions[0].required",
            "true or false",
        ),
        (
            lambda form: form["questions"][0].update(colour="red"),
            "questions[0].colour",
            "not a field we know",
        ),
    ],
)
def test_a_staff_form_mistake_is_reported_against_its_field(change, field, reason_part):
    form = valid_form()
    change(form)
    problems = problems_of(form)
    matching = [problem for problem in problems if problem.field == field]
    assert len(matching) == 1, problems
    assert reason_part in matching[0].reason
    assert matching[0].source == "staff form"


def test_more_than_twelve_questions_is_too_many():
    form = valid_form()
    form["questions"] = [
        {"key": f"q{number}", "kind": "free_text", "prompt": "Why?"} for number in range(13)
    ]
    problems = problems_of(form)
    assert [problem.field for problem in problems] == ["questions"]
    assert "12 is the most" in problems[0].reason


# The checks must cope with anything a form or file could hold, and never crash.
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=50)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = (
    "slug",
    "title",
    "summary",
    "ladder_rung",
    "who_decides",
    "opens_on",
    "closes_on",
    "feedback_due_on",
    "status",
    "keywords",
    "questions",
)
QUESTION_FIELDS = ("key", "kind", "prompt", "easy_read", "options", "required", "other")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(FIELDS),
    question_field=st.sampled_from(QUESTION_FIELDS),
    value=ANY_VALUE,
    other=ANY_VALUE,
)
def test_any_value_in_any_field_gives_a_consultation_or_problems_never_a_crash(
    field, question_field, value, other
):
    form = copy.deepcopy(valid_form())
    form[field] = value
    if isinstance(form.get("questions"), list) and form["questions"]:
        question = form["questions"][0]
        if isinstance(question, dict):
            question[question_field] = other
    try:
        parse_consultation(form, "staff form")
    except ConsultationError as error:
        assert error.problems
        assert all(problem.reason for problem in error.problems)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_any_file_text_gives_a_consultation_or_problems_never_a_crash(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "any.yml"
    path.write_text(text, encoding="utf-8")
    try:
        load_consultation_file(path)
    except ConsultationError as error:
        assert error.problems


# --- A folder of consultations ------------------------------------------------------------------


def test_a_bad_file_does_not_stop_good_files_loading_and_a_repeated_slug_is_rejected():
    folder = FIXTURES / "folder"
    specs, problems = load_consultation_directory(folder)
    assert [(spec.slug, spec.title) for spec in specs] == [
        ("laundry", "Test consultation"),
        ("food", "Test consultation"),
    ]
    assert [(Path(problem.source).name, problem.field) for problem in problems] == [
        ("b-broken.yml", "questions"),
        ("c-laundry-again.yaml", "slug"),
    ]
    assert "already used by a-laundry.yml" in problems[1].reason


def test_a_folder_that_does_not_exist_is_a_problem_not_a_crash(tmp_path):
    specs, problems = load_consultation_directory(tmp_path / "missing")
    assert specs == []
    assert problems[0].field == "(folder)"
