"""Read consultations from YAML files or plain dicts, and explain every mistake in plain words.

Staff write consultations by hand or through a web form, so a mistake is normal, not
exceptional. Checking collects every problem it finds, not just the first, and each problem
names the file, the field and what to do, so one round of fixes is usually enough. A bad
consultation never reaches people half-checked: it is either fully valid or rejected.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path

import yaml

from bot.consultations.spec import (
    LADDER_RUNGS,
    QUESTION_KINDS,
    STATUSES,
    ConsultationSpec,
    ConsultationTranslation,
    Option,
    QuestionSpec,
    QuestionTranslation,
)
from bot.languages import TRANSLATED_LANGUAGES

SLUG_PATTERN = re.compile(r"[a-z0-9-]{1,80}")
QUESTION_KEY_PATTERN = re.compile(r"[a-z0-9-]{1,80}")
OPTION_VALUE_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")

MAX_TITLE_CHARS = 60
MAX_WHO_DECIDES_CHARS = 300
MAX_LABEL_CHARS = 40
MAX_KEYWORD_CHARS = 40
MAX_QUESTIONS = 12
OPTION_COUNTS = {"choice": (2, 8), "scale": (3, 5)}
OPTION_EXAMPLES = {"choice": "[Breakfast, Lunch, Dinner]", "scale": "[Bad, OK, Good]"}
YES_NO_OPTIONS = (Option(value="yes", label="Yes"), Option(value="no", label="No"))

CONSULTATION_REQUIRED = (
    "slug",
    "title",
    "summary",
    "ladder_rung",
    "who_decides",
    "opens_on",
    "closes_on",
    "feedback_due_on",
    "questions",
)
CONSULTATION_OPTIONAL = ("status", "keywords", "translations")
QUESTION_REQUIRED = ("key", "kind", "prompt")
QUESTION_OPTIONAL = ("easy_read", "options", "required")
OPTION_FIELDS = ("value", "label")
TRANSLATION_FIELDS = ("title", "summary", "who_decides", "keywords", "questions")
QUESTION_TRANSLATION_FIELDS = ("prompt", "easy_read", "options")

# Said after "is missing", so the fix is obvious without opening the README.
MISSING_HINTS = {
    "slug": "Add it, like 'slug: hostel-food'",
    "title": "Add it, like 'title: Food at the hostel'",
    "summary": "Add it, like 'summary: We want to plan the hostel meals with you.'",
    "ladder_rung": "Add it, like 'ladder_rung: consultation'",
    "who_decides": "Add it, like 'who_decides: The hostel manager decides.'",
    "opens_on": "Add it, like 'opens_on: 2026-11-20'",
    "closes_on": "Add it, like 'closes_on: 2027-01-29'",
    "feedback_due_on": "Add it, like 'feedback_due_on: 2027-02-19'",
    "questions": "Add a list of questions, as in consultations/README.md",
    "key": "Add it, like 'key: food-now'",
    "kind": "Add it, like 'kind: choice'",
    "prompt": "Add it, like 'prompt: How good is the food?'",
    "label": "Add it, like 'label: Very good'",
}

WHOLE_DOCUMENT = "(top level)"
WHOLE_FILE = "(file)"
WHOLE_FOLDER = "(folder)"


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is and, in plain words, what to do about it."""

    source: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.reason}"


class ConsultationError(ValueError):
    """A consultation that cannot be used, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _ProblemList:
    """Collects problems for one source, so checking can carry on after the first mistake."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, field: str, reason: str) -> None:
        self.problems.append(Problem(source=self.source, field=field, reason=reason))


class _RepeatedFieldError(yaml.constructor.ConstructorError):
    """A field written twice in one place; its message is already plain words."""


class _ConsultationYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with two mistakes made visible instead of silent or fatal.

    A field written twice would otherwise keep only the last value without a word. An impossible
    date such as 2027-02-30 would otherwise crash the parser with no line number; kept as text,
    it gets a proper problem against its field.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        self.flatten_mapping(node)
        first_seen: dict[object, yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in first_seen:
                earlier_line = first_seen[key_node.value].start_mark.line + 1
                raise _RepeatedFieldError(
                    None,
                    None,
                    f"'{key_node.value}' is written twice (also on line {earlier_line}). "
                    "Keep only one",
                    key_node.start_mark,
                )
            first_seen[key_node.value] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_ConsultationYamlLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _ConsultationYamlLoader.construct_lenient_timestamp
)


def parse_consultation(data: object, source: str) -> ConsultationSpec:
    """Check a consultation given as plain data (from YAML or a staff form) and build it.

    Raises ConsultationError listing every problem found, so staff can fix them all at once.
    """
    problems = _ProblemList(source)
    if not isinstance(data, Mapping):
        problems.add(WHOLE_DOCUMENT, _not_a_mapping_reason(data))
        raise ConsultationError(problems.problems)

    _check_fields(problems, data, "", CONSULTATION_REQUIRED, CONSULTATION_OPTIONAL)
    slug = _slug(problems, data.get("slug"), "slug") if "slug" in data else None
    title = _text(problems, data, "title", "title", max_chars=MAX_TITLE_CHARS)
    summary = _text(problems, data, "summary", "summary")
    ladder_rung = _one_of(problems, data, "ladder_rung", "ladder_rung", LADDER_RUNGS)
    who_decides = _text(
        problems, data, "who_decides", "who_decides", max_chars=MAX_WHO_DECIDES_CHARS
    )
    opens_on = _date(problems, data, "opens_on")
    closes_on = _date(problems, data, "closes_on")
    feedback_due_on = _date(problems, data, "feedback_due_on")
    status = "open"
    if "status" in data:
        status = _one_of(problems, data, "status", "status", STATUSES)
    keywords = _keywords(problems, data.get("keywords"))
    questions = _questions(problems, data.get("questions"), present="questions" in data)
    translations = _translations(
        problems, data.get("translations"), data.get("questions"), questions
    )

    if opens_on and closes_on and closes_on < opens_on:
        problems.add(
            "closes_on",
            f"is {closes_on.isoformat()}, before opens_on ({opens_on.isoformat()}). "
            "A consultation must open before it closes",
        )
    if closes_on and feedback_due_on and feedback_due_on < closes_on:
        problems.add(
            "feedback_due_on",
            f"is {feedback_due_on.isoformat()}, before closes_on ({closes_on.isoformat()}). "
            "People hear back after it closes, so pick a later date",
        )

    if problems.problems:
        raise ConsultationError(problems.problems)
    return ConsultationSpec(
        slug=slug,
        title=title,
        summary=summary,
        ladder_rung=ladder_rung,
        who_decides=who_decides,
        opens_on=opens_on,
        closes_on=closes_on,
        feedback_due_on=feedback_due_on,
        status=status,
        keywords=keywords,
        questions=questions,
        translations=translations,
    )


def load_consultation_file(path: Path) -> ConsultationSpec:
    """Read one YAML file. Unreadable files and YAML syntax errors become problems too."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConsultationError(
            [Problem(source, WHOLE_FILE, "could not be read as text. Save it as UTF-8 text")]
        ) from None
    except OSError as error:
        reason = f"could not be opened ({error.strerror or error}). Check the file is there"
        raise ConsultationError([Problem(source, WHOLE_FILE, reason)]) from None
    try:
        # A SafeLoader subclass: no Python objects can be built from the file.
        data = yaml.load(text, Loader=_ConsultationYamlLoader)
    except yaml.YAMLError as error:
        raise ConsultationError([_yaml_problem(source, error)]) from None
    return parse_consultation(data, source)


def load_consultation_directory(directory: Path) -> tuple[list[ConsultationSpec], list[Problem]]:
    """Load every *.yml and *.yaml file in a folder, keeping the good ones.

    Each file is all or nothing: a bad file adds its problems and no consultation, and never
    stops the other files loading. When two files use the same slug, the one whose name sorts
    later is rejected, so the outcome does not depend on the order the disk lists files in.
    """
    if not directory.is_dir():
        reason = "is not a folder that exists. Check SAYSO_CONSULTATIONS_DIR"
        return [], [Problem(str(directory), WHOLE_FOLDER, reason)]
    specs: list[ConsultationSpec] = []
    problems: list[Problem] = []
    file_for_slug: dict[str, Path] = {}
    for path in _consultation_files(directory):
        try:
            spec = load_consultation_file(path)
        except ConsultationError as error:
            problems.extend(error.problems)
            continue
        if spec.slug in file_for_slug:
            reason = (
                f"'{spec.slug}' is already used by {file_for_slug[spec.slug].name}. "
                "Give this consultation its own slug"
            )
            problems.append(Problem(str(path), "slug", reason))
            continue
        file_for_slug[spec.slug] = path
        specs.append(spec)
    return specs, problems


def _consultation_files(directory: Path) -> list[Path]:
    """YAML files only, so README.md and editor backups (hidden files) are left alone."""
    return sorted(
        path
        for path in directory.iterdir()
        if path.suffix in {".yml", ".yaml"} and path.is_file() and not path.name.startswith(".")
    )


def _yaml_problem(source: str, error: yaml.YAMLError) -> Problem:
    """Turn a PyYAML error into a line number and a plain hint, keeping PyYAML's own words."""
    context = getattr(error, "context", None) or ""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if "quoted scalar" in context:
        mark = getattr(error, "context_mark", None) or mark
    field = f"line {mark.line + 1}" if mark is not None else WHOLE_FILE
    detail = getattr(error, "problem", None) or str(error)
    if isinstance(error, _RepeatedFieldError):
        return Problem(source, field, detail)
    if "quoted scalar" in context:
        hint = "A quote mark opens here but never closes. Add the closing quote"
    elif "\\t" in detail or "\t" in detail:
        hint = "There is a tab here. Use spaces to indent, not tabs"
    elif "mapping values are not allowed" in detail:
        hint = (
            "There is a colon (:) where it is not expected. Check the spaces at the start "
            "of the line, and put text with a colon in quotes"
        )
    else:
        hint = "This line could not be read. Check the spaces at the start and any quotes"
    return Problem(source, field, f"{hint} (YAML says: {detail})")


def _not_a_mapping_reason(data: object) -> str:
    if data is None:
        return "is empty. Start with 'slug:' and the other fields in consultations/README.md"
    found = "a list" if isinstance(data, list | tuple) else "a single value"
    return f"must be a set of named fields, like 'slug: hostel-food', not {found}"


def _check_fields(
    problems: _ProblemList,
    data: Mapping,
    prefix: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> None:
    """Report unknown fields (usually typos, with a suggestion) and missing required ones."""
    known = required + optional
    for name in data:
        if name in known:
            continue
        reason = f"'{name}' is not a field we know"
        suggestion = get_close_matches(str(name), known, n=1)
        if suggestion:
            reason += f". Did you mean '{suggestion[0]}'?"
        else:
            reason += f". Use only: {', '.join(known)}"
        problems.add(f"{prefix}{name}", reason)
    for name in required:
        if name not in data:
            problems.add(f"{prefix}{name}", f"is missing. {MISSING_HINTS[name]}")


def _text_value(
    problems: _ProblemList, value: object, field: str, max_chars: int | None = None
) -> str | None:
    """Plain text from a YAML value; numbers count as text, true/false never do."""
    if isinstance(value, bool):
        problems.add(
            field,
            "became true or false, because YAML reads Yes, No, On and Off that way. "
            'Put the words in quotes, like "Yes"',
        )
        return None
    if isinstance(value, int | float):
        value = str(value)
    if value is None:
        problems.add(field, "is empty. Write some words here")
        return None
    if not isinstance(value, str):
        problems.add(field, f"must be words, not {_describe(value)}")
        return None
    text = value.strip()
    if not text:
        problems.add(field, "is empty. Write some words here")
        return None
    if max_chars is not None and len(text) > max_chars:
        problems.add(field, f"is {len(text)} characters long. Keep it to {max_chars} or fewer")
        return None
    return text


def _text(
    problems: _ProblemList,
    data: Mapping,
    name: str,
    field: str,
    max_chars: int | None = None,
) -> str | None:
    if name not in data:
        return None
    return _text_value(problems, data[name], field, max_chars)


def _one_of(
    problems: _ProblemList, data: Mapping, name: str, field: str, allowed: tuple[str, ...]
) -> str | None:
    if name not in data:
        return None
    value = data[name]
    if isinstance(value, str) and value in allowed:
        return value
    reason = f"must be one of: {', '.join(allowed)}"
    suggestion = get_close_matches(str(value).strip().lower(), allowed, n=1)
    if suggestion:
        reason += f". Did you mean '{suggestion[0]}'?"
    problems.add(field, reason)
    return None


def _slug(problems: _ProblemList, value: object, field: str) -> str | None:
    if isinstance(value, str) and SLUG_PATTERN.fullmatch(value):
        return value
    reason = "must be 1 to 80 small letters, numbers or dashes"
    suggestion = _value_from_label(value, 80) if isinstance(value, str) else ""
    reason += f". Try '{suggestion}'" if suggestion else ", like 'hostel-food'"
    problems.add(field, reason)
    return None


def _date(problems: _ProblemList, data: Mapping, name: str) -> date | None:
    """A date from YAML (already a date) or from a form (an ISO string such as 2026-11-30)."""
    if name not in data:
        return None
    value = data[name]
    if isinstance(value, datetime):
        problems.add(name, "must be a date without a time, like 2026-11-30")
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE_PATTERN.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            problems.add(name, f"{value.strip()} is not a real date. Check the day and month")
            return None
    problems.add(name, "must be a date written year-month-day, like 2026-11-30")
    return None


def _keywords(problems: _ProblemList, value: object, field: str = "keywords") -> tuple[str, ...]:
    """Extra routing words, lower-cased and without repeats; absent means none."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        problems.add(field, "must be a list, like [meal, dinner, breakfast]")
        return ()
    keywords: list[str] = []
    for index, item in enumerate(value):
        word = _text_value(problems, item, f"{field}[{index}]", max_chars=MAX_KEYWORD_CHARS)
        if word and word.lower() not in keywords:
            keywords.append(word.lower())
    return tuple(keywords)


def _questions(problems: _ProblemList, value: object, present: bool) -> tuple[QuestionSpec, ...]:
    if not present:
        return ()
    if not isinstance(value, list | tuple) or not value:
        problems.add(
            "questions", "must be a list of at least one question, each starting with '- key:'"
        )
        return ()
    if len(value) > MAX_QUESTIONS:
        problems.add(
            "questions",
            f"has {len(value)} questions. {MAX_QUESTIONS} is the most, so people do not give up",
        )
    questions: list[QuestionSpec] = []
    index_for_key: dict[str, int] = {}
    for index, item in enumerate(value):
        field = f"questions[{index}]"
        question = _question(problems, item, field)
        key = item.get("key") if isinstance(item, Mapping) else None
        if isinstance(key, str) and key in index_for_key:
            problems.add(
                f"{field}.key",
                f"'{key}' is also the key of questions[{index_for_key[key]}]. "
                "Each question needs its own key",
            )
        elif isinstance(key, str):
            index_for_key[key] = index
        if question is not None:
            questions.append(question)
    return tuple(questions)


def _question(problems: _ProblemList, data: object, field: str) -> QuestionSpec | None:
    if not isinstance(data, Mapping):
        problems.add(field, "must be a question with its own key, kind and prompt")
        return None
    before = len(problems.problems)
    _check_fields(problems, data, f"{field}.", QUESTION_REQUIRED, QUESTION_OPTIONAL)
    key = None
    if "key" in data:
        key = data["key"]
        if not (isinstance(key, str) and QUESTION_KEY_PATTERN.fullmatch(key)):
            problems.add(
                f"{field}.key", "must be 1 to 80 small letters, numbers or dashes, like 'food-now'"
            )
    kind = _one_of(problems, data, "kind", f"{field}.kind", QUESTION_KINDS)
    prompt = _text(problems, data, "prompt", f"{field}.prompt")
    easy_read = None
    if data.get("easy_read") is not None:
        easy_read = _text(problems, data, "easy_read", f"{field}.easy_read")
    required = data.get("required", False)
    if not isinstance(required, bool):
        problems.add(f"{field}.required", "must be true or false")
    options = _options(problems, data.get("options"), f"{field}.options", kind)
    if len(problems.problems) > before:
        return None
    return QuestionSpec(
        key=key,
        kind=kind,
        prompt=prompt,
        easy_read=easy_read,
        options=options,
        required=required,
    )


def _options(
    problems: _ProblemList, value: object, field: str, kind: str | None
) -> tuple[Option, ...]:
    """Buttons for a question, as the kind needs them.

    yes_no buttons are always Yes and No, so every yes_no answer is stored the same way.
    Options may be plain labels: a scale then numbers them 1 to n from worst to best, and a
    choice makes each value from its label.
    """
    given = value is not None and not (isinstance(value, list | tuple) and not value)
    if kind == "free_text":
        if given:
            problems.add(field, "free_text questions have no buttons. Remove the options")
        return ()
    if kind == "yes_no":
        if given:
            problems.add(
                field, "yes_no questions get Yes and No buttons by themselves. Remove them"
            )
        return YES_NO_OPTIONS
    if kind not in OPTION_COUNTS:
        return ()
    fewest, most = OPTION_COUNTS[kind]
    if not given:
        problems.add(
            field,
            f"is missing. A {kind} question needs {fewest} to {most} options, "
            f"like {OPTION_EXAMPLES[kind]}",
        )
        return ()
    if not isinstance(value, list | tuple):
        problems.add(field, "must be a list, like [Breakfast, Lunch, Dinner]")
        return ()
    if not fewest <= len(value) <= most:
        problems.add(
            field,
            f"has {len(value)} option{'s' if len(value) != 1 else ''}. "
            f"A {kind} question needs {fewest} to {most}",
        )
    numbered_options: list[tuple[int, Option]] = []
    for index, item in enumerate(value):
        option = _option(problems, item, f"{field}[{index}]", kind, position=index + 1)
        if option is not None:
            numbered_options.append((index, option))
    _report_repeats(problems, numbered_options, field)
    return tuple(option for _, option in numbered_options)


def _option(
    problems: _ProblemList, data: object, field: str, kind: str, position: int
) -> Option | None:
    if isinstance(data, Mapping):
        _check_fields(problems, data, f"{field}.", ("label",), ("value",))
        label = _text(problems, data, "label", f"{field}.label", max_chars=MAX_LABEL_CHARS)
        explicit_value = data.get("value")
        label_field = f"{field}.label"
    else:
        label = _text_value(problems, data, field, max_chars=MAX_LABEL_CHARS)
        explicit_value = None
        label_field = field
    if label is None:
        return None
    if explicit_value is not None:
        value = str(explicit_value) if isinstance(explicit_value, int | str) else ""
        if not OPTION_VALUE_PATTERN.fullmatch(value):
            problems.add(
                f"{field}.value", "must be 1 to 40 small letters, numbers or dashes, like 'often'"
            )
            return None
    elif kind == "scale":
        value = str(position)
    else:
        value = _value_from_label(label, 40)
        if not value:
            problems.add(
                label_field,
                "has no letters or numbers to make a value from. Give it a 'value:' and a 'label:'",
            )
            return None
    return Option(value=value, label=label)


def _report_repeats(
    problems: _ProblemList, numbered_options: list[tuple[int, Option]], field: str
) -> None:
    """Two buttons with the same value or words would make answers impossible to tell apart."""
    first_value: dict[str, int] = {}
    first_label: dict[str, int] = {}
    for index, option in numbered_options:
        same_words = first_label.setdefault(option.label.casefold(), index)
        same_value = first_value.setdefault(option.value, index)
        if same_words != index:
            problems.add(
                f"{field}[{index}]",
                f"says the same as {field}[{same_words}]. Each button needs its own words",
            )
        elif same_value != index:
            problems.add(
                f"{field}[{index}]",
                f"gives the value '{option.value}', the same as {field}[{same_value}]. "
                "Each option needs its own value",
            )


def _translations(
    problems: _ProblemList,
    value: object,
    raw_questions: object,
    questions: tuple[QuestionSpec, ...],
) -> tuple[ConsultationTranslation, ...]:
    """Words in other languages: optional, and checked against the English they translate."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        problems.add(
            "translations",
            f"must list languages, like 'pl:' and 'ro:', each with its words. "
            f"Sayso offers: {', '.join(TRANSLATED_LANGUAGES)}",
        )
        return ()
    keys = _question_keys(raw_questions)
    translations = []
    for language, words in value.items():
        field = f"translations.{language}"
        if language not in TRANSLATED_LANGUAGES:
            problems.add(
                field,
                f"'{language}' is not a language Sayso offers. "
                f"Use one of: {', '.join(TRANSLATED_LANGUAGES)}",
            )
            continue
        translation = _translation(problems, words, field, language, keys, questions)
        if translation is not None:
            translations.append(translation)
    return tuple(translations)


def _question_keys(raw_questions: object) -> list[str]:
    """Every key written in the questions, even of a question with mistakes of its own."""
    if not isinstance(raw_questions, list | tuple):
        return []
    return [
        item["key"]
        for item in raw_questions
        if isinstance(item, Mapping) and isinstance(item.get("key"), str)
    ]


def _translation(
    problems: _ProblemList,
    data: object,
    field: str,
    language: str,
    keys: list[str],
    questions: tuple[QuestionSpec, ...],
) -> ConsultationTranslation | None:
    if not isinstance(data, Mapping):
        problems.add(field, "must be the translated words, like 'title:' and 'questions:'")
        return None
    before = len(problems.problems)
    _check_fields(problems, data, f"{field}.", (), TRANSLATION_FIELDS)
    title = _text(problems, data, "title", f"{field}.title", max_chars=MAX_TITLE_CHARS)
    summary = _text(problems, data, "summary", f"{field}.summary")
    who_decides = _text(
        problems, data, "who_decides", f"{field}.who_decides", max_chars=MAX_WHO_DECIDES_CHARS
    )
    keywords = _keywords(problems, data.get("keywords"), f"{field}.keywords")
    translated_questions: list[QuestionTranslation] = []
    if "questions" in data:
        translated_questions = _question_translations(
            problems, data["questions"], f"{field}.questions", keys, questions
        )
    if len(problems.problems) > before:
        return None
    return ConsultationTranslation(
        language=language,
        title=title,
        summary=summary,
        who_decides=who_decides,
        questions=tuple(translated_questions),
        keywords=keywords,
    )


def _question_translations(
    problems: _ProblemList,
    value: object,
    field: str,
    keys: list[str],
    questions: tuple[QuestionSpec, ...],
) -> list[QuestionTranslation]:
    if not isinstance(value, Mapping):
        problems.add(field, "must list questions by their key, like 'food-now:'")
        return []
    by_key = {question.key: question for question in questions}
    translated = []
    for key, words in value.items():
        key_field = f"{field}.{key}"
        if key not in keys:
            reason = f"'{key}' is not the key of a question here"
            suggestion = get_close_matches(str(key), keys, n=1)
            reason += f". Did you mean '{suggestion[0]}'?" if suggestion else ""
            problems.add(key_field, reason)
            continue
        if not isinstance(words, Mapping):
            problems.add(key_field, "must be the translated words, like 'prompt:'")
            continue
        _check_fields(problems, words, f"{key_field}.", (), QUESTION_TRANSLATION_FIELDS)
        labels: tuple[str, ...] = ()
        if "options" in words:
            labels = _translated_labels(
                problems, words["options"], f"{key_field}.options", by_key.get(key)
            )
        translated.append(
            QuestionTranslation(
                key=key,
                prompt=_text(problems, words, "prompt", f"{key_field}.prompt"),
                easy_read=_text(problems, words, "easy_read", f"{key_field}.easy_read"),
                option_labels=labels,
            )
        )
    return translated


def _translated_labels(
    problems: _ProblemList, value: object, field: str, question: QuestionSpec | None
) -> tuple[str, ...]:
    """Button words in the same order as the English ones; the stored values never change."""
    if question is None:
        return ()
    if not question.options:
        problems.add(field, "this question has no buttons. Remove the options")
        return ()
    if not isinstance(value, list | tuple):
        problems.add(field, "must be a list of button words, in the same order as the English")
        return ()
    if len(value) != len(question.options):
        problems.add(
            field,
            f"has {len(value)} button words but the English has {len(question.options)}. "
            "Give one for each button, in the same order",
        )
        return ()
    labels = [
        _text_value(problems, item, f"{field}[{index}]", max_chars=MAX_LABEL_CHARS)
        for index, item in enumerate(value)
    ]
    return tuple(label for label in labels if label is not None)


def _value_from_label(label: str, max_length: int) -> str:
    """A stable value from a label: "Don't know" becomes "dont-know", "Café" becomes "cafe"."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    plain = plain.lower().replace("'", "")
    value = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return value[:max_length].rstrip("-")


def _describe(value: object) -> str:
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a set of fields"
    if isinstance(value, date):
        return "a date"
    return f"a {type(value).__name__}"
