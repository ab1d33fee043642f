"""Request bodies a careless or hostile client sends: mutations of valid ones, wrong types,
extreme values, deep nesting, long names, bytes that are not UTF-8."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.conftest import load_event

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False), st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-1", "1e400", "NaN", "9999-12-31T23:59:59+00:00",
                     "0001-01-01T00:00:00+00:00", "1970-01-01T00:00:00Z", "2026-11-02T09:00:00",
                     "x" * 5000, "é" * 300, "\u0000", "<script>", "a@b", "../../etc", "EUR", "XXX"]),
)  # fmt: skip
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_KEYS = st.one_of(
    st.text(max_size=20), st.just("k" * 300), st.sampled_from(["id", "type", "cart_id", "items"])
)


def _set_path(document: Any, path: list[Any], value: Any) -> Any:
    """A copy of ``document`` with ``value`` at ``path`` (keys or indexes that exist)."""
    if not path:
        return value
    head, *rest = path
    if isinstance(document, dict) and head in document:
        return {**document, head: _set_path(document[head], rest, value)}
    if isinstance(document, list) and isinstance(head, int) and head < len(document):
        copied = list(document)
        copied[head] = _set_path(document[head], rest, value)
        return copied
    return document


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[list[Any]]:
    found = [list(prefix)]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with a few values replaced, keys added or removed."""
    document = base
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        action = draw(st.sampled_from(["replace", "add", "remove"]))
        target = document
        for part in path:
            target = target[part]
        if action == "replace" or not isinstance(target, dict):
            document = _set_path(document, path, draw(_JSON))
        elif action == "add":
            document = _set_path(document, path, {**target, draw(_KEYS): draw(_JSON)})
        elif target:
            key = draw(st.sampled_from(sorted(target)))
            document = _set_path(document, path, {k: v for k, v in target.items() if k != key})
    return document


def nested(depth: int) -> bytes:
    return b'{"events": ' + b"[" * depth + b"]" * depth + b"}"


def event_bodies() -> st.SearchStrategy[bytes]:
    events = [load_event("cart_updated.json"), load_event("order_placed.json")]
    batch = st.lists(st.sampled_from(events).flatmap(mutated), min_size=1, max_size=3)
    return st.one_of(
        batch.map(lambda evs: json.dumps({"events": evs}).encode()),
        mutated({"events": events}).map(lambda body: json.dumps(body).encode()),
        _JSON.map(lambda value: json.dumps(value).encode()),
        st.binary(max_size=64),
        st.sampled_from([b"\xff\xfe\xfd", b'{"events": "\xc3\x28"}', nested(5000), nested(100_000), b""]),
    )


def settings_bodies(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        mutated(base).map(lambda body: json.dumps(body).encode()),
        _JSON.map(lambda value: json.dumps(value).encode()),
        st.binary(max_size=64),
        st.just(b'{"a": ' * 3000 + b"1" + b"}" * 3000),
    )
