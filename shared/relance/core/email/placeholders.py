"""Subjects and preheaders a shop writes: ``{shop}``, ``{first_name}``, ``{code}``, each with an
optional fallback (``{first_name|Bonjour}``), and a form that still reads well when a value
is unknown: ``{first_name}, vos articles vous attendent`` becomes "Vos articles vous
attendent" for a customer with no first name."""

from __future__ import annotations

import re
from collections.abc import Mapping

FIELDS = ("shop", "first_name", "code")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}|]*)(?:\|([^{}]*))?\}|[{}]")
_LEADING = re.compile(r"^[\s,;:.!?\u2013\u2014-]+")
_TRAILING = re.compile(r"[\s,;:\u2013\u2014-]+$")


class PlaceholderError(ValueError):
    """A pattern that cannot be filled: unknown field, stray brace."""


def fill(pattern: str, values: Mapping[str, str | None]) -> str:
    """``pattern`` with each placeholder replaced by its value, else its fallback, else nothing
    (``values`` names every placeholder the pattern may use); what an empty value leaves
    behind (a leading comma, doubled spaces) is tidied away."""
    emptied = False

    def replace(match: re.Match[str]) -> str:
        nonlocal emptied
        token, name, fallback = match.group(0), match.group(1), match.group(2)
        if token in ("{{", "}}"):
            return token[0]
        if name is None or name.strip() not in values:
            raise PlaceholderError(f"unknown placeholder {token!r}")
        value = values.get(name.strip()) or (fallback or "").strip()
        emptied = emptied or not value
        return value

    text = _TOKEN.sub(replace, pattern)
    return tidy(text) if emptied else text.strip()


def tidy(text: str) -> str:
    """What an empty placeholder leaves, cleaned: one space between words (none before a
    comma, a period or a non-breaking space), no leading or trailing separator, a capital."""
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r" +(?=[,.\u00a0\u202f])", "", text)
    text = re.sub(r"([:;,])\s*,", r"\1", text)  # "rappel : , c'est" -> "rappel : c'est"
    stripped = _TRAILING.sub("", _LEADING.sub("", text))
    if stripped != text.strip() and stripped[:1].islower():
        stripped = stripped[0].upper() + stripped[1:]
    return stripped


def problem(pattern: str, fields: tuple[str, ...] = FIELDS) -> str | None:
    """Why ``pattern`` cannot be sent, or ``None``: an unknown placeholder or a stray brace,
    or nothing left to say once every value is unknown."""
    for match in _TOKEN.finditer(pattern):
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            continue
        if name is None:
            return "unbalanced braces; write {{ and }} for literal ones"
        if name.strip() not in fields:
            allowed = ", ".join(f"{{{f}}}" for f in fields)
            return f"only {allowed} may appear in braces (with an optional fallback: {{first_name|...}})"
    if not fill(pattern, dict.fromkeys(fields)).strip():
        return "would be empty for a customer whose first name is unknown: add a fallback, {first_name|...}"
    return None
