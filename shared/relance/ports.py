"""What the use cases need from the outside world, as interfaces (``typing.Protocol``).

``relance.adapters`` implements them on AWS (``wiring.AwsAdapters``); ``tests/fakes.py``
implements them in memory, and both pass the same contract tests (``tests/contracts``), so a
service test can run at unit speed without embedded AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from relance.config import Settings
from relance.core.cart.state import Cart
from relance.core.sequence.contact import ContactState
from relance.core.shop import Shop

if TYPE_CHECKING:  # only the report builds KPIs: the other functions need not import them
    from relance.core.reporting.kpis import CohortKpis
    from relance.core.reporting.reported import ReportedCart

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SentMessage:
    """Which reminder an SES message id was: what SES's events are matched with."""

    shop_id: str
    cart_id: str
    step: int


@dataclass(frozen=True)
class LastEmail:
    cart_id: str
    sent_at: datetime


@dataclass(frozen=True)
class OutgoingEmail:
    sender_name: str
    sender_address: str
    recipient: str
    subject: str
    html: str
    text: str
    sent_at: datetime
    headers: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    reply_to: str | None = None
    """Where the customer's reply goes: the shop's support address, not the sending one."""


class CartStore(Protocol):
    def get(self, shop_id: str, cart_id: str) -> Cart | None:
        """The cart, or ``None`` (never stored, erased, or past its retention)."""

    def get_many(self, shop_id: str, cart_ids: Collection[str]) -> dict[str, Cart]:
        """The carts of ``cart_ids`` that ``get`` would return, by id, in a few reads."""

    def save(self, cart: Cart, retention_days: int) -> Cart:
        """Write ``cart`` if nobody wrote since it was read (else ``ConcurrentUpdate``)."""

    def delete(self, shop_id: str, cart_id: str) -> bool: ...

    def carts_of_day(self, shop_id: str, day: date) -> Iterator[Cart]: ...

    def reported_carts_of_day(self, shop_id: str, day: date) -> Iterator[ReportedCart]:
        """The carts of ``carts_of_day`` as the report reads them (only what it shows)."""


class ShopStore(Protocol):
    def get(self, shop_id: str) -> Shop | None: ...

    def put(self, shop: Shop) -> None: ...

    def change(self, shop_id: str, change: Callable[[Shop], Shop]) -> Shop:
        """Apply ``change`` unless another write came first (``ConcurrentUpdate``)."""

    def templates(self, shop_id: str) -> dict[str, str]: ...

    def put_templates(self, shop_id: str, templates: dict[str, str]) -> None: ...

    def shop_ids(self) -> list[str]: ...


class MessageIndex(Protocol):
    def remember(self, message_id: str, sent: SentMessage, expires: datetime) -> None: ...

    def forget(self, message_id: str) -> None: ...

    def find(self, message_id: str) -> SentMessage | None: ...


class CheckoutIndex(Protocol):
    def remember(self, shop_id: str, token: str, cart_id: str, expires: datetime) -> None: ...

    def cart_of(self, shop_id: str, token: str, now: datetime) -> str | None: ...

    def forget(self, shop_id: str, token: str) -> None: ...


class ContactStore(Protocol):
    """One record per customer of a shop, under a hash of the address. Every "note" is
    idempotent and keeps the newest fact, whatever order concurrent writers arrive in."""

    def state(self, shop_id: str, email: str) -> ContactState: ...

    def is_suppressed(self, shop_id: str, email: str) -> bool: ...

    def suppress(self, shop_id: str, email: str, reason: str, at: datetime) -> None: ...

    def unsubscribe(self, shop_id: str, digest: str, at: datetime) -> None: ...

    def note_order(self, shop_id: str, email: str, at: datetime) -> None: ...

    def note_consent(self, shop_id: str, email: str, consent: bool, at: datetime) -> None: ...

    def claim_newest(self, shop_id: str, email: str, cart_id: str, abandoned_at: datetime) -> None: ...

    def note_cart(self, shop_id: str, email: str, cart_id: str) -> None: ...

    def cart_ids(self, shop_id: str, email: str) -> set[str]: ...

    def forget(self, shop_id: str, email: str, at: datetime) -> None: ...

    def erased_at(self, shop_id: str, email: str) -> datetime | None: ...

    def erased_many(self, shop_id: str, emails: Collection[str]) -> dict[str, datetime]:
        """``erased_at`` of each of ``emails`` that was erased, in a few reads."""

    def note_email(self, shop_id: str, email: str, cart_id: str, at: datetime) -> None: ...

    def note_last_cart(self, shop_id: str, email: str, cart_id: str, at: datetime) -> None: ...

    def last_email(self, shop_id: str, email: str) -> LastEmail | None: ...

    def claim_incentive(self, shop_id: str, email: str, now: datetime, not_since: datetime) -> bool: ...

    def release_incentive(self, shop_id: str, email: str, claimed_at: datetime) -> None: ...


class CodePool(Protocol):
    def upload(self, shop_id: str, codes: Iterable[str]) -> tuple[int, list[str]]: ...

    def issued_to(self, shop_id: str, code: str) -> str | None: ...

    def free_count(self, shop_id: str) -> int: ...

    def take(self, shop_id: str, cart_id: str, at: datetime) -> str | None: ...


class Alerts(Protocol):
    def publish(self, subject: str, detail: dict[str, Any]) -> None: ...


class Secrets(Protocol):
    """The shop's own signing secrets, and the webhook secret of each platform it connects."""

    def get(self, shop_id: str, now: datetime, platform: str | None = None) -> list[str] | None:
        """The valid secrets, newest first; ``None`` when there is none (an unknown shop)."""

    def put(self, shop_id: str, secret: str, now: datetime, platform: str | None = None) -> None: ...


class LinkKey(Protocol):
    def get(self) -> bytes: ...


class Timers(Protocol):
    def arm(self, shop_id: str, cart_id: str, step: int, due: datetime) -> datetime:
        """Have the reminder fire for ``step`` at ``due`` (idempotent); when it will fire."""


class Mailer(Protocol):
    def send(self, mail: OutgoingEmail) -> str:
        """Send; the provider's message id."""


@dataclass(frozen=True)
class ShopDay:
    """One job of the nightly report: one shop's cohort of one day."""

    shop_id: str
    day: date


class ReportJobs(Protocol):
    def enqueue(self, jobs: Sequence[ShopDay]) -> None:
        """Hand ``jobs`` to the report's workers (all of them, or raise)."""


class ReportSink(Protocol):
    """Each write returns the keys it wrote: none for a file whose content was there already."""

    def write_facts(self, shop_id: str, day: date, rows: Iterable[dict[str, str | int]]) -> list[str]: ...

    def write_kpis(
        self,
        shop_id: str,
        day: date,
        cohorts: Sequence[CohortKpis],
        segments: Sequence[tuple[str, CohortKpis]],
    ) -> list[str]: ...

    def write_export(self, shop_id: str, name: str, document: dict[str, Any]) -> str:
        """A customer's data, as asked by a platform: stored as JSON, its key returned."""


class Adapters(Protocol):
    """Everything a use case may touch; built once per process (:mod:`relance.wiring`)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def carts(self) -> CartStore: ...
    @property
    def shops(self) -> ShopStore: ...
    @property
    def contacts(self) -> ContactStore: ...
    @property
    def messages(self) -> MessageIndex: ...
    @property
    def checkouts(self) -> CheckoutIndex: ...
    @property
    def codes(self) -> CodePool: ...
    @property
    def alerts(self) -> Alerts: ...
    @property
    def secrets(self) -> Secrets: ...
    @property
    def link_key(self) -> LinkKey: ...
    @property
    def timers(self) -> Timers: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def reports(self) -> ReportSink: ...
    @property
    def report_jobs(self) -> ReportJobs: ...
