"""What both platforms' payloads have in common: lenient models (a platform adds fields every
release; unknown ones are ignored) whose blanks read as absent, and one way to validate the
Relance events they become."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError

from relance.core.cart.events import LOCALE_PATTERN, MAX_CART_ITEMS, ShopEvent
from relance.core.cart.events import Email as Address
from relance.core.connectors import MalformedWebhook

_LOCALE = re.compile(LOCALE_PATTERN)
_events: TypeAdapter[ShopEvent] = TypeAdapter(ShopEvent)


def _blank_is_absent(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _utc_when_unzoned(value: Any) -> Any:
    """WooCommerce's ``*_gmt`` dates carry no offset: they are UTC by name."""
    if isinstance(value, str) and value.strip():
        parsed = datetime.fromisoformat(value.strip())
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return _blank_is_absent(value)


def _first_lines(value: Any) -> Any:
    """A cart is shown by its first lines: a huge order is clipped, not refused (a refused
    webhook is resent for hours, then dropped by the platform)."""
    return value[:MAX_CART_ITEMS] if isinstance(value, list) else value


Text = Annotated[str | None, BeforeValidator(_blank_is_absent)]
Email = Annotated[Address | None, BeforeValidator(_blank_is_absent)]
UtcDatetime = Annotated[datetime, BeforeValidator(_utc_when_unzoned)]
FirstLines = BeforeValidator(_first_lines)


class Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


def clipped(text: str | None, length: int) -> str | None:
    return text[:length] if text else None


def locale(value: str | None) -> str | None:
    """A locale Relance can read, or none: an odd one is no reason to refuse a checkout."""
    return value if value and _LOCALE.match(value) else None


def read(model: type[Payload], payload: object) -> Any:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise MalformedWebhook.of(error) from None


def events(raw: list[dict[str, Any]], now: datetime) -> tuple[ShopEvent, ...]:
    """The Relance events, validated as ``/v1/events`` validates them. A time ahead of ``now``
    is taken as ``now``: a shop's server clock may run minutes fast, and a refused webhook is
    resent, then dropped (WooCommerce disables it after 5 failures)."""
    timed = [{**event, "occurred_at": min(event["occurred_at"], now)} for event in raw]
    try:
        return tuple(_events.validate_python(event, context={"now": now}) for event in timed)
    except ValidationError as error:
        raise MalformedWebhook.of(error) from None
