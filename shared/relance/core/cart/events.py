"""Events a shop posts, validated with pydantic.

Each event is validated on its own so that one bad event does not spoil its batch
(:mod:`relance.core.cart.batch`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import list_currencies
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
    model_validator,
)
from pydantic.networks import validate_email

from relance.core.money import Amount

EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)
LOCALE_PATTERN = r"^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$"
MAX_CART_ITEMS = 200
FUTURE_TOLERANCE = timedelta(minutes=5)
"""Clock skew allowed between a shop and Relance; an event later than that is refused."""

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


Currency = Annotated[
    str,
    Field(min_length=3, max_length=3),
    AfterValidator(_known_currency),
    WithJsonSchema({"type": "string", "enum": sorted(_CURRENCIES), "examples": ["EUR"]}),
]
TimeZoneName = Annotated[
    str,
    Field(max_length=64),
    AfterValidator(_known_time_zone),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[A-Za-z]+(/[A-Za-z0-9_+-]+){0,2}$", "examples": ["Europe/Paris"]}
    ),
]
SecureUrl = Annotated[HttpUrl, AfterValidator(_https_only)]
Identifier = Annotated[str, Field(min_length=1, max_length=256)]
Money = Amount


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class AcquisitionSource(_Strict):
    utm_source: str | None = Field(default=None, max_length=128)
    utm_medium: str | None = Field(default=None, max_length=128)
    utm_campaign: str | None = Field(default=None, max_length=128)
    referrer: str | None = Field(default=None, max_length=512)


STORED = "stored"
"""Validation context of a document Relance stored itself: its addresses were checked when
they came in, and checking them again is most of the cost of reading a cart (the report
reads millions)."""


def _address(value: Any, as_text: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    text = as_text(value)
    context: Any = info.context or {}
    if isinstance(context, dict) and context.get(STORED):
        return text
    # pydantic's own check (EmailStr's), whose email_validator is imported on the first
    # address checked: a function that only reads stored carts and shops never loads it.
    return validate_email(text)[1]


Email = Annotated[str, WrapValidator(_address), WithJsonSchema({"format": "email", "type": "string"})]
"""An email address, as pydantic's EmailStr checks and normalises it."""


class CustomerInfo(_Strict):
    """What the shop knows of the customer; every field optional and merged over time."""

    email: Email | None = None
    first_name: str | None = Field(default=None, max_length=100)
    locale: str | None = Field(default=None, pattern=LOCALE_PATTERN)
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

    @field_validator("occurred_at")
    @classmethod
    def _plausible_time(cls, value: datetime, info: ValidationInfo) -> datetime:
        """Not before 2000, not more than 5 minutes ahead of ``now`` (given by the caller in
        the validation context): a far-future event would supersede every other cart, and
        date arithmetic near year 9999 overflows."""
        value = value.astimezone(UTC)
        if value < EARLIEST_EVENT:
            raise ValueError(f"must be after {EARLIEST_EVENT:%Y-%m-%d}")
        context: Any = info.context or {}
        now = context.get("now") if isinstance(context, dict) else None
        latest = (now or datetime(9000, 1, 1, tzinfo=UTC)) + FUTURE_TOLERANCE
        if value > latest:
            raise ValueError("must not be more than 5 minutes in the future")
        return value


class CartUpdated(_CartEvent):
    type: Literal["cart_updated"]
    items: list[CartItem] = Field(max_length=MAX_CART_ITEMS)
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
