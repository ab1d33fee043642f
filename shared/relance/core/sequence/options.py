"""The parts of a shop's policy that are more than one number: quiet hours, pressure cap,
incentive, A/B variants. Each validates itself; :mod:`relance.core.sequence.policy` assembles them."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from relance.core.email.placeholders import problem
from relance.core.language import Language
from relance.core.segments import CustomerSegment, ValueSegment

Step = Annotated[int, Field(ge=1, le=3)]
# A wall-clock time with no offset: JSON Schema's "time" format would demand one (RFC 3339).
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "examples": ["21:00"]}
    ),
]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuietHours(_Part):
    """No email between ``start`` and ``end`` in the customer's local time (shop's when unknown).
    A message that falls inside is deferred to ``end``, never dropped."""

    start: LocalTime = time(21, 0)
    end: LocalTime = time(8, 0)

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("quiet_hours: start and end must differ (set quiet_hours to null to disable)")
        return self

    def contains(self, local: time) -> bool:
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # spans midnight


class PressureCap(_Part):
    """At most ``max_emails`` reminder emails to one customer over ``period_days``, all carts
    together. When reached, the step waits for room (``defer``) or is dropped (``stop``)."""

    max_emails: int = Field(default=3, ge=1, le=20)
    period_days: int = Field(default=7, ge=1, le=90)
    when_reached: Literal["defer", "stop"] = "defer"


class Incentive(_Part):
    """A controlled discount in the last email. Off by default (seed 003: discounts teach
    customers to abandon on purpose)."""

    enabled: bool = False
    customers: frozenset[CustomerSegment] = frozenset({"prospect"})
    cart_values: frozenset[ValueSegment] = frozenset({"standard"})
    once_per_days: int = Field(default=90, ge=1, le=730)
    source: Literal["pool", "static"] = "pool"
    static_code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{3,40}$")
    kind: Literal["percent", "amount", "free_shipping"] = "free_shipping"
    value: Decimal = Field(
        default=Decimal(0),
        ge=0,
        max_digits=10,
        decimal_places=2,
        description="percent off, amount off, or the average shipping cost paid for a free delivery",
    )
    apply_link: str | None = Field(
        default=None,
        max_length=300,
        description="where the last email's cart link goes when it carries a code, the code applied: "
        "{code}, and the cart as {path} (its path and query) or {url}; Shopify: "
        "https://your-shop.example/discount/{code}?redirect={path}",
        examples=["https://maison-lumiere.example/discount/{code}?redirect={path}"],
    )

    @model_validator(mode="after")
    def _consistent(self) -> Incentive:
        if self.source == "static" and self.static_code is None:
            raise ValueError("incentive.static_code: required when source is 'static'")
        if self.source == "pool" and self.static_code is not None:
            raise ValueError("incentive.static_code: only with source 'static' (pool codes are uploaded)")
        if self.kind == "percent" and not 0 < self.value <= 50:
            raise ValueError("incentive.value: a percentage between 0 and 50")
        if self.kind == "amount" and self.value <= 0:
            raise ValueError("incentive.value: the amount off must be positive")
        if self.apply_link is not None:
            found = problem(self.apply_link, ("code", "path", "url"))
            if found or not self.apply_link.startswith("https://") or "{code" not in self.apply_link:
                reason = found or "an https:// URL with {code} in it"
                raise ValueError(f"incentive.apply_link: {reason}")
        if self.enabled and (not self.customers or not self.cart_values):
            raise ValueError("incentive: name at least one customer segment and one cart value segment")
        return self


Line = Annotated[str, Field(min_length=1, max_length=150)]


class Variant(_Part):
    """One arm of an A/B test: a share of customers and, optionally, its own subject lines and
    preheaders, per step and language. Placeholders: ``{shop}``, ``{first_name}`` (and
    ``{code}``, the last step's discount code, in a preheader), each with an optional
    fallback: ``{first_name|Bonjour}``; docs/policy.md#ab-tests."""

    name: str = Field(pattern=r"^[A-Z][A-Za-z0-9]{0,15}$")
    weight: int = Field(default=50, ge=1, le=100)
    subjects: dict[Step, dict[Language, Line]] = {}
    preheaders: dict[Step, dict[Language, Line]] = {}

    @model_validator(mode="after")
    def _lines_format(self) -> Variant:
        for kind, lines, fields in (
            ("subjects", self.subjects, SUBJECT_FIELDS),
            ("preheaders", self.preheaders, PREHEADER_FIELDS),
        ):
            for step, by_language in lines.items():
                for language, line in by_language.items():
                    found = problem(line, fields)
                    if found:
                        raise ValueError(f"variants.{self.name}.{kind}.{step}.{language}: {found}")
        return self


SUBJECT_FIELDS = ("shop", "first_name")
PREHEADER_FIELDS = ("shop", "first_name", "code")
