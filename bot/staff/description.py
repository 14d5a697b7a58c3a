"""The staff API's own description, openapi.yml, read once.

It is served to callers, and it is also the one list of the options (query parameters) each
call takes, so a call can refuse an option it does not know rather than ignore a misspelt one.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

OPENAPI_FILE = Path(__file__).with_name("openapi.yml")


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


@cache
def query_options(path: str, method: str) -> frozenset[str]:
    """The query parameters the description lists for one call (path as routed, under
    /staff), empty when it lists none or does not describe the call."""
    described = openapi_document()["paths"].get(path, {})
    parameters = [
        *described.get("parameters", []),
        *described.get(method.lower(), {}).get("parameters", []),
    ]
    resolved = [_resolved(parameter) for parameter in parameters]
    return frozenset(parameter["name"] for parameter in resolved if parameter["in"] == "query")


def _resolved(parameter: dict[str, Any]) -> dict[str, Any]:
    reference = parameter.get("$ref")
    if reference is None:
        return parameter
    found: Any = openapi_document()
    for part in reference.removeprefix("#/").split("/"):
        found = found[part]
    return found
