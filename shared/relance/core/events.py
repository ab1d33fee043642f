"""Events a shop posts, validated with pydantic.

Each event is validated on its own so that one bad event does not spoil its batch:
:func:`parse_batch` returns the valid events and, for the others, the field and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import list_currencies
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    model_validator,
)

MAX_EVENTS_PER_REQUEST = 100
_CURRENCIES = frozenset(list_currencies())


def _known_currency(code: str) -> str:
    if code not in _CURRENCIES:
        raise ValueError(f"unknown ISO 4217 currency code {code!r}")
    return code


def _known_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None
    return name


def _https_only(url: HttpUrl) -> HttpUrl:
    if url.scheme != "https":
        raise ValueError("must be an https:// URL")
    return url


Currency = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(_known_currency)]
TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_known_time_zone)]
SecureUrl = Annotated[HttpUrl, AfterValidator(_https_only)]
Identifier = Annotated[str, Field(min_length=1, max_length=256)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class AcquisitionSource(_Strict):
    utm_source: str | None = Field(default=None, max_length=128)
    utm_medium: str | None = Field(default=None, max_length=128)
    utm_campaign: str | None = Field(default=None, max_length=128)
    referrer: str | None = Field(default=None, max_length=512)


class CustomerInfo(_Strict):
    """What the shop knows of the customer; every field optional and merged over time."""

    email: EmailStr | None = None
    first_name: str | None = Field(default=None, max_length=100)
    locale: str | None = Field(default=None, pattern=r"^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$")
    time_zone: TimeZoneName | None = None
    orders_count: int | None = Field(default=None, ge=0, le=1_000_000)
    source: AcquisitionSource | None = None
    marketing_consent: bool | None = Field(
        default=None, description="the customer's answer to marketing emails, when the shop asked"
    )


class CartItem(_Strict):
    sku: Identifier
    name: str = Field(min_length=1, max_length=300)
    quantity: int = Field(ge=1, le=10_000)
    unit_price: Money
    image_url: SecureUrl | None = None
    product_url: SecureUrl | None = None
    category: str | None = Field(default=None, max_length=100)


class _CartEvent(_Strict):
    id: Identifier
    occurred_at: AwareDatetime
    cart_id: Identifier
    customer: CustomerInfo | None = None


class CartUpdated(_CartEvent):
    type: Literal["cart_updated"]
    items: list[CartItem] = Field(max_length=200)
    currency: Currency
    restore_url: SecureUrl
    total: Money | None = Field(default=None, description="defaults to the sum of the items")


class CheckoutStarted(_CartEvent):
    type: Literal["checkout_started"]
    checkout_token: Identifier | None = Field(
        default=None, description="the checkout's own id, when the order will name it instead of the cart"
    )


class OrderPlaced(_CartEvent):
    type: Literal["order_placed"]
    order_id: Identifier
    amount: Money
    currency: Currency
    checkout_token: Identifier | None = Field(
        default=None, description="the checkout it came from, as in checkout_started"
    )


class CartEmptied(_CartEvent):
    type: Literal["cart_emptied"]


class CustomerIdentified(_CartEvent):
    type: Literal["customer_identified"]
    customer: CustomerInfo


class ConsentChanged(_CartEvent):
    """The customer gave or withdrew marketing consent (applies to every cart of the address)."""

    type: Literal["consent_changed"]
    customer: CustomerInfo

    @model_validator(mode="after")
    def _says_which(self) -> ConsentChanged:
        if self.customer.marketing_consent is None:
            raise ValueError("customer.marketing_consent: required (true or false) for consent_changed")
        return self


ShopEvent = Annotated[
    CartUpdated | CheckoutStarted | OrderPlaced | CartEmptied | CustomerIdentified | ConsentChanged,
    Field(discriminator="type"),
]
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


def parse_batch(body: Any) -> ParsedBatch:
    """Validate a decoded request body ``{"events": [...]}`` event by event."""
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
            valid.append((index, _event_adapter.validate_python(raw)))
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
