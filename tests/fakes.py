"""In-memory implementations of the ports (relance/ports.py).

They keep the AWS adapters' promises — conditional writes, newest-wins notes, expiry read
as absence, millisecond times — and tests/contracts runs the same tests on both, so a
service test on :class:`MemoryAdapters` says what it would say on embedded AWS, in
milliseconds instead of a second of moto setup.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from relance.adapters.contacts import contact_digest
from relance.adapters.errors import ConcurrentUpdate
from relance.adapters.mailer import build_mime
from relance.adapters.reports import export_key
from relance.adapters.scheduler import TimerFired, at_expression, fire_time, schedule_name
from relance.adapters.secrets import ROTATION_OVERLAP
from relance.config import Settings
from relance.core.cart.state import Cart
from relance.core.reporting.kpis import CohortKpis
from relance.core.reporting.reported import ReportedCart
from relance.core.sequence.contact import REMEMBERED_EMAILS, ContactState
from relance.core.shop import Shop
from relance.ports import Clock, LastEmail, OutgoingEmail, SentMessage, ShopDay


def _ms(at: datetime) -> datetime:
    """DynamoDB keeps epoch milliseconds: so does the fake."""
    return datetime.fromtimestamp(int(at.timestamp() * 1000) / 1000, UTC)


class MemoryCarts:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._items: dict[tuple[str, str], tuple[str, datetime]] = {}

    def get(self, shop_id: str, cart_id: str) -> Cart | None:
        item = self._items.get((shop_id, cart_id))
        if item is None or item[1] <= self._clock():
            return None
        return Cart.model_validate_json(item[0])

    def get_many(self, shop_id: str, cart_ids: Collection[str]) -> dict[str, Cart]:
        carts = (self.get(shop_id, cart_id) for cart_id in set(cart_ids))
        return {cart.cart_id: cart for cart in carts if cart is not None}

    def save(self, cart: Cart, retention_days: int) -> Cart:
        now = self._clock()
        stored = self._items.get((cart.shop_id, cart.cart_id))
        if cart.version == 0:  # new: the id is free, or its item expired (TTL deletes late)
            taken = stored is not None and stored[1].timestamp() >= int(now.timestamp())
        else:  # an update: nobody wrote since it was read
            taken = stored is None or Cart.model_validate_json(stored[0]).version != cart.version
        if taken:
            raise ConcurrentUpdate(cart.cart_id)
        saved = cart.model_copy(update={"version": cart.version + 1})
        expires = max(saved.abandoned_at + timedelta(days=retention_days), now + timedelta(days=1))
        self._items[(cart.shop_id, cart.cart_id)] = (saved.model_dump_json(), expires.replace(microsecond=0))
        return saved

    def delete(self, shop_id: str, cart_id: str) -> bool:
        return self._items.pop((shop_id, cart_id), None) is not None

    def carts_of_day(self, shop_id: str, day: date) -> Iterator[Cart]:
        for (shop, cart_id), _ in sorted(self._items.items()):
            cart = self.get(shop, cart_id) if shop == shop_id else None
            if cart is not None and cart.cohort_day == day:
                yield cart

    def reported_carts_of_day(self, shop_id: str, day: date) -> Iterator[ReportedCart]:
        for cart in self.carts_of_day(shop_id, day):
            yield ReportedCart.read(self._items[shop_id, cart.cart_id][0])


class MemoryShops:
    def __init__(self) -> None:
        self._shops: dict[str, str] = {}
        self._templates: dict[str, dict[str, str]] = {}

    def get(self, shop_id: str) -> Shop | None:
        doc = self._shops.get(shop_id)
        return None if doc is None else Shop.model_validate_json(doc)

    def put(self, shop: Shop) -> None:
        self._shops[shop.shop_id] = shop.model_dump_json()

    def change(self, shop_id: str, change: Callable[[Shop], Shop]) -> Shop:
        read = self._shops.get(shop_id)
        if read is None:
            raise LookupError(shop_id)
        changed = change(Shop.model_validate_json(read))
        if self._shops[shop_id] != read:  # ``change`` itself wrote meanwhile: a lost race
            raise ConcurrentUpdate(shop_id)
        self._shops[shop_id] = changed.model_dump_json()
        return changed

    def templates(self, shop_id: str) -> dict[str, str]:
        return dict(self._templates.get(shop_id, {}))

    def put_templates(self, shop_id: str, templates: dict[str, str]) -> None:
        self._templates[shop_id] = dict(templates)

    def shop_ids(self) -> list[str]:
        return sorted(self._shops)


class MemoryMessages:
    def __init__(self) -> None:
        self._sent: dict[str, SentMessage] = {}

    def remember(self, message_id: str, sent: SentMessage, expires: datetime) -> None:
        self._sent[message_id] = sent

    def forget(self, message_id: str) -> None:
        self._sent.pop(message_id, None)

    def find(self, message_id: str) -> SentMessage | None:
        return self._sent.get(message_id)


class MemoryCheckouts:
    def __init__(self) -> None:
        self._carts: dict[tuple[str, str], tuple[str, datetime]] = {}

    def remember(self, shop_id: str, token: str, cart_id: str, expires: datetime) -> None:
        self._carts[(shop_id, token)] = (cart_id, expires)

    def cart_of(self, shop_id: str, token: str, now: datetime) -> str | None:
        found = self._carts.get((shop_id, token))
        return found[0] if found is not None and int(found[1].timestamp()) > now.timestamp() else None

    def forget(self, shop_id: str, token: str) -> None:
        self._carts.pop((shop_id, token), None)


@dataclass
class _Contact:
    suppressed_reason: str | None = None
    consent: bool | None = None
    consent_at: datetime | None = None
    last_order_at: datetime | None = None
    newest_cart_id: str | None = None
    newest_at: datetime | None = None
    recent_emails: list[datetime] = field(default_factory=list)
    last_incentive_at: datetime | None = None
    last_cart_id: str | None = None
    last_email_at: datetime | None = None
    cart_ids: set[str] = field(default_factory=set)
    erased_at: datetime | None = None


class MemoryContacts:
    def __init__(self) -> None:
        self._contacts: dict[tuple[str, str], _Contact] = {}

    def _of(self, shop_id: str, email: str) -> _Contact:
        return self._contacts.setdefault((shop_id, contact_digest(shop_id, email)), _Contact())

    def state(self, shop_id: str, email: str) -> ContactState:
        c = self._of(shop_id, email)
        return ContactState(
            suppressed_reason=c.suppressed_reason,
            consent=c.consent,
            last_order_at=c.last_order_at,
            newest_cart_id=c.newest_cart_id,
            newest_at=c.newest_at,
            recent_emails=tuple(c.recent_emails[-REMEMBERED_EMAILS:]),
            last_incentive_at=c.last_incentive_at,
        )

    def is_suppressed(self, shop_id: str, email: str) -> bool:
        return bool(self._of(shop_id, email).suppressed_reason)

    def suppress(self, shop_id: str, email: str, reason: str, at: datetime) -> None:
        self._of(shop_id, email).suppressed_reason = reason

    def unsubscribe(self, shop_id: str, digest: str, at: datetime) -> None:
        self._contacts.setdefault((shop_id, digest), _Contact()).suppressed_reason = "unsubscribed"

    def note_order(self, shop_id: str, email: str, at: datetime) -> None:
        c = self._of(shop_id, email)
        if c.last_order_at is None or c.last_order_at < _ms(at):
            c.last_order_at = _ms(at)

    def note_consent(self, shop_id: str, email: str, consent: bool, at: datetime) -> None:
        c = self._of(shop_id, email)
        if c.consent_at is None or c.consent_at <= _ms(at):
            c.consent, c.consent_at = consent, _ms(at)

    def claim_newest(self, shop_id: str, email: str, cart_id: str, abandoned_at: datetime) -> None:
        c, at = self._of(shop_id, email), _ms(abandoned_at)
        if (
            c.newest_at is None
            or c.newest_cart_id is None
            or (c.newest_at, c.newest_cart_id) <= (at, cart_id)
        ):
            c.newest_cart_id, c.newest_at = cart_id, at

    def note_cart(self, shop_id: str, email: str, cart_id: str) -> None:
        self._of(shop_id, email).cart_ids.add(cart_id)

    def cart_ids(self, shop_id: str, email: str) -> set[str]:
        return set(self._of(shop_id, email).cart_ids)

    def forget(self, shop_id: str, email: str, at: datetime) -> None:
        key = (shop_id, contact_digest(shop_id, email))
        kept = self._of(shop_id, email).suppressed_reason
        self._contacts[key] = _Contact(suppressed_reason=kept, erased_at=_ms(at))

    def erased_at(self, shop_id: str, email: str) -> datetime | None:
        return self._of(shop_id, email).erased_at

    def erased_many(self, shop_id: str, emails: Collection[str]) -> dict[str, datetime]:
        erased = {email: self.erased_at(shop_id, email) for email in emails}
        return {email: at for email, at in erased.items() if at is not None}

    def note_email(self, shop_id: str, email: str, cart_id: str, at: datetime) -> None:
        c, sent = self._of(shop_id, email), _ms(at)
        if sent in c.recent_emails:
            return  # noted already
        c.last_cart_id, c.last_email_at = cart_id, sent
        c.recent_emails = [*c.recent_emails, sent][-REMEMBERED_EMAILS:]

    def note_last_cart(self, shop_id: str, email: str, cart_id: str, at: datetime) -> None:
        c = self._of(shop_id, email)
        c.last_cart_id, c.last_email_at = cart_id, _ms(at)

    def last_email(self, shop_id: str, email: str) -> LastEmail | None:
        c = self._of(shop_id, email)
        if c.last_cart_id is None or c.last_email_at is None:
            return None
        return LastEmail(c.last_cart_id, c.last_email_at)

    def claim_incentive(self, shop_id: str, email: str, now: datetime, not_since: datetime) -> bool:
        c = self._of(shop_id, email)
        if c.last_incentive_at is not None and c.last_incentive_at > _ms(not_since):
            return False
        c.last_incentive_at = _ms(now)
        return True

    def release_incentive(self, shop_id: str, email: str, claimed_at: datetime) -> None:
        c = self._of(shop_id, email)
        if c.last_incentive_at == _ms(claimed_at):
            c.last_incentive_at = None


class MemoryCodes:
    def __init__(self) -> None:
        self._free: dict[str, set[str]] = {}
        self._issued: dict[tuple[str, str], str] = {}

    def upload(self, shop_id: str, codes: Iterable[str]) -> tuple[int, list[str]]:
        added, refused = 0, []
        for code in sorted(set(codes)):
            if (shop_id, code) in self._issued:
                refused.append(code)
            else:
                self._free.setdefault(shop_id, set()).add(code)
                added += 1
        return added, refused

    def issued_to(self, shop_id: str, code: str) -> str | None:
        return self._issued.get((shop_id, code))

    def free_count(self, shop_id: str) -> int:
        return len(self._free.get(shop_id, set()))

    def take(self, shop_id: str, cart_id: str, at: datetime) -> str | None:
        free = self._free.get(shop_id, set())
        if not free:
            return None
        code = min(free)
        free.remove(code)
        self._issued[(shop_id, code)] = cart_id
        return code


class MemoryAlerts:
    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []

    def publish(self, subject: str, detail: dict[str, Any]) -> None:
        self.published.append((subject[:100], detail))


class MemorySecrets:
    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str | None], tuple[str, str | None, datetime]] = {}

    def get(self, shop_id: str, now: datetime, platform: str | None = None) -> list[str] | None:
        stored = self._secrets.get((shop_id, platform))
        if stored is None:
            return None
        current, previous, rotated_at = stored
        valid = previous is not None and now < rotated_at + ROTATION_OVERLAP
        return [current, previous] if valid and previous is not None else [current]

    def put(self, shop_id: str, secret: str, now: datetime, platform: str | None = None) -> None:
        valid = self.get(shop_id, now, platform)
        self._secrets[(shop_id, platform)] = (secret, valid[0] if valid else None, now)


class MemoryLinkKey:
    def get(self) -> bytes:
        return b"memory-link-key-for-tests-only-0123456789"


class MemoryTimers:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._schedules: dict[str, dict[str, Any]] = {}

    def arm(self, shop_id: str, cart_id: str, step: int, due: datetime) -> datetime:
        name = schedule_name(shop_id, cart_id, step, due)
        if name not in self._schedules:
            fired = TimerFired(shop_id=shop_id, cart_id=cart_id, step=step, due_at=due)
            fires_at = at_expression(fire_time(due, self._clock()))
            self._schedules[name] = {
                "Name": name,
                "ScheduleExpression": fires_at,
                "Target": {"Input": json.dumps(fired.model_dump(mode="json"))},
            }
        return _fired_at(self._schedules[name]["ScheduleExpression"])

    def schedules(self) -> list[dict[str, Any]]:
        """As EventBridge Scheduler's GetSchedule shows them (the fields tests read)."""
        return list(self._schedules.values())


def _fired_at(expression: str) -> datetime:
    return datetime.fromisoformat(expression.removeprefix("at(").removesuffix(")")).replace(tzinfo=UTC)


@dataclass(frozen=True)
class SentRaw:
    """Like moto's record of a sent message: the MIME text SES would have sent."""

    mail: OutgoingEmail
    raw_data: str


class MemoryMailer:
    def __init__(self) -> None:
        self.sent: list[SentRaw] = []
        self._ids = itertools.count(1)

    def send(self, mail: OutgoingEmail) -> str:
        self.sent.append(SentRaw(mail, build_mime(mail).decode()))
        return f"memory-{next(self._ids)}"


class MemoryReports:
    def __init__(self) -> None:
        self.written: dict[str, list[Any]] = {}

    def write_facts(self, shop_id: str, day: date, rows: Iterable[dict[str, str | int]]) -> list[str]:
        key = f"{shop_id}/{day.isoformat()}/carts.csv"
        kept = list(rows)
        if self.written.get(key) == kept:
            return []
        self.written[key] = kept
        return [key]

    def write_kpis(
        self,
        shop_id: str,
        day: date,
        cohorts: Sequence[CohortKpis],
        segments: Sequence[tuple[str, CohortKpis]],
    ) -> list[str]:
        key = f"{shop_id}/{day.isoformat()}/kpis"
        kept = [*cohorts, *segments]
        if self.written.get(key) == kept:
            return []
        self.written[key] = kept
        return [key]

    def write_export(self, shop_id: str, name: str, document: dict[str, Any]) -> str:
        key = export_key(shop_id, name)
        self.written[key] = [document]
        return key


class MemoryReportJobs:
    def __init__(self) -> None:
        self.queued: list[ShopDay] = []

    def enqueue(self, jobs: Sequence[ShopDay]) -> None:
        self.queued.extend(jobs)


class MemoryAdapters:
    """Every port in memory: what a service test builds instead of embedded AWS."""

    def __init__(self, clock: Clock, settings: Settings | None = None) -> None:
        self.clock = clock
        self.settings = settings or Settings(
            TABLE_NAME="memory", PUBLIC_API_URL="https://relance.test", LINK_KEY_SECRET_ARN="memory"
        )
        self.carts = MemoryCarts(clock)
        self.shops = MemoryShops()
        self.contacts = MemoryContacts()
        self.messages = MemoryMessages()
        self.checkouts = MemoryCheckouts()
        self.codes = MemoryCodes()
        self.alerts = MemoryAlerts()
        self.secrets = MemorySecrets()
        self.link_key = MemoryLinkKey()
        self.timers = MemoryTimers(clock)
        self.mailer = MemoryMailer()
        self.reports = MemoryReports()
        self.report_jobs = MemoryReportJobs()
