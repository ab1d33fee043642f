"""A request's batch of events, validated event by event.

:func:`parse_batch` returns the valid events and, for the others, the field and reason, so
that one bad event does not spoil its batch. :func:`field_errors` turns pydantic's errors
into the ``{"field", "reason"}`` pairs every 422 answer carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from relance.core.events import AcquisitionSource, CartItem, CustomerInfo, ShopEvent

MAX_EVENTS_PER_REQUEST = 100

_event_adapter: TypeAdapter[ShopEvent] = TypeAdapter(ShopEvent)
EVENT_TYPES = frozenset(
    (
        "cart_updated",
        "checkout_started",
        "order_placed",
        "cart_emptied",
        "customer_identified",
        "consent_changed",
    )
)


def _field_names() -> frozenset[str]:
    events = get_args(get_args(ShopEvent)[0])  # the members of the discriminated union
    models = (*events, CartItem, CustomerInfo, AcquisitionSource)
    return frozenset(name for model in models for name in model.model_fields)


EVENT_FIELD_NAMES = _field_names()
"""Every field name an event can have: the bounded set rejections are counted by."""


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str


@dataclass(frozen=True)
class RejectedEvent:
    index: int
    event_id: str | None
    errors: tuple[FieldError, ...]


@dataclass(frozen=True)
class ParsedBatch:
    events: tuple[tuple[int, ShopEvent], ...]
    rejected: tuple[RejectedEvent, ...]


class BatchShapeError(ValueError):
    """The request body is not a batch at all (not an object, no ``events`` list...)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def field_errors(prefix: str, error: ValidationError) -> tuple[FieldError, ...]:
    found = []
    for detail in error.errors(include_url=False):
        # The discriminator tag ("cart_updated") appears in pydantic's location: drop it.
        location = [part for part in detail["loc"] if part not in EVENT_TYPES]
        path = prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in location)
        found.append(FieldError(field=path, reason=detail["msg"]))
    return tuple(found)


def parse_batch(body: Any, now: datetime | None = None) -> ParsedBatch:
    """Validate a decoded request body ``{"events": [...]}`` event by event; ``now`` bounds
    how far ahead an event's time may be."""
    if not isinstance(body, dict):
        raise BatchShapeError("body", "must be a JSON object with an 'events' list")
    unexpected = sorted(set(body) - {"events"})
    if unexpected:
        raise BatchShapeError(unexpected[0], "unexpected field")
    raw_events = body.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise BatchShapeError("events", "must be a non-empty list of events")
    if len(raw_events) > MAX_EVENTS_PER_REQUEST:
        raise BatchShapeError("events", f"at most {MAX_EVENTS_PER_REQUEST} events per request")
    valid: list[tuple[int, ShopEvent]] = []
    rejected: list[RejectedEvent] = []
    for index, raw in enumerate(raw_events):
        try:
            valid.append((index, _event_adapter.validate_python(raw, context={"now": now})))
        except ValidationError as error:
            event_id = raw.get("id") if isinstance(raw, dict) else None
            rejected.append(
                RejectedEvent(
                    index=index,
                    event_id=event_id if isinstance(event_id, str) else None,
                    errors=field_errors(f"events[{index}]", error),
                )
            )
    return ParsedBatch(events=tuple(valid), rejected=tuple(rejected))
