"""A request's batch of events, validated event by event.

:func:`parse_events` returns the valid events and, for the others, the field and reason, so
that one bad event does not spoil its batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import TypeAdapter, ValidationError

from relance.core.cart.events import ShopEvent

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


def field_path(location: Sequence[str | int]) -> str:
    """``("events", 3, "currency")`` -> ``events[3].currency``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in location).lstrip(".")


def field_errors(prefix: str, error: ValidationError) -> tuple[FieldError, ...]:
    found = []
    for detail in error.errors(include_url=False):
        # The discriminator tag ("cart_updated") appears in pydantic's location: drop it.
        location = [part for part in detail["loc"] if part not in EVENT_TYPES]
        found.append(FieldError(field=field_path([prefix, *location]), reason=detail["msg"]))
    return tuple(found)


def parse_events(raw_events: Sequence[object], now: datetime | None = None) -> ParsedBatch:
    """Validate a batch's events one by one; ``now`` bounds how far ahead an event's time may
    be. The batch's own shape (a list of 1 to 100) is the HTTP schema's job."""
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
