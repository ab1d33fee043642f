"""One DynamoDB item per customer of a shop, keyed by a hash of the address (never in clear).

pk ``CONTACT#<shop>#<sha256>``, sk ``CONTACT``. Times are epoch milliseconds so that
conditions can compare them: "keep the newest", "once per period" are single conditional
writes, safe under concurrent Lambdas.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from relance.adapters.pages import get_many
from relance.core.sequence.contact import REMEMBERED_EMAILS, ContactState
from relance.ports import LastEmail

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table


def contact_digest(shop_id: str, email: str) -> str:
    """Who the customer is, without their address: what unsubscribe links carry."""
    return hashlib.sha256(f"{shop_id}\n{email.strip().lower()}".encode()).hexdigest()


def contact_key(shop_id: str, email: str) -> dict[str, str]:
    return _key(shop_id, contact_digest(shop_id, email))


def _key(shop_id: str, digest: str) -> dict[str, str]:
    return {"pk": f"CONTACT#{shop_id}#{digest}", "sk": "CONTACT"}


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _at(value: Any) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value) / 1000, UTC)


class ContactStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def _item(self, shop_id: str, email: str) -> dict[str, Any]:
        item = self._table.get_item(Key=contact_key(shop_id, email), ConsistentRead=True).get("Item")
        return item or {}

    def _update(
        self, shop_id: str, email: str, expression: str, condition: str | None, **values: Any
    ) -> bool:
        return self._update_key(contact_key(shop_id, email), expression, condition, **values)

    def _update_key(self, key: dict[str, str], expression: str, condition: str | None, **values: Any) -> bool:
        """One UpdateItem; ``False`` when ``condition`` did not hold (nothing written)."""
        request: dict[str, Any] = {"Key": key, "UpdateExpression": expression}
        if values:
            request["ExpressionAttributeValues"] = {f":{k}": v for k, v in values.items()}
        if condition:
            request["ConditionExpression"] = condition
        try:
            self._table.update_item(**request)
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def state(self, shop_id: str, email: str) -> ContactState:
        item = self._item(shop_id, email)
        consent = item.get("consent")
        return ContactState(
            suppressed_reason=item.get("suppressed_reason"),
            consent=None if consent is None else bool(consent),
            last_order_at=_at(item.get("last_order_at")),
            newest_cart_id=item.get("newest_cart_id"),
            newest_at=_at(item.get("newest_at")),
            recent_emails=tuple(filter(None, map(_at, item.get("recent_emails", []))))[-REMEMBERED_EMAILS:],
            last_incentive_at=_at(item.get("last_incentive_at")),
        )

    def is_suppressed(self, shop_id: str, email: str) -> bool:
        return bool(self._item(shop_id, email).get("suppressed_reason"))

    def suppress(self, shop_id: str, email: str, reason: str, at: datetime) -> None:
        """Never mail ``email`` again: ``unsubscribed``, ``bounce`` or ``complaint``."""
        self._update(
            shop_id,
            email,
            "SET suppressed_reason = :reason, suppressed_at = :at",
            None,
            reason=reason,
            at=_ms(at),
        )

    def unsubscribe(self, shop_id: str, digest: str, at: datetime) -> None:
        """The customer asked to stop (one-click or confirm page); the link knows only the hash."""
        self._update_key(
            _key(shop_id, digest),
            "SET suppressed_reason = :reason, suppressed_at = :at",
            None,
            reason="unsubscribed",
            at=_ms(at),
        )

    def note_order(self, shop_id: str, email: str, at: datetime) -> None:
        """The customer bought (through any cart): keeps the newest order time."""
        self._update(
            shop_id,
            email,
            "SET last_order_at = :at",
            "attribute_not_exists(last_order_at) OR last_order_at < :at",
            at=_ms(at),
        )

    def note_consent(self, shop_id: str, email: str, consent: bool, at: datetime) -> None:
        """The newest answer wins, whichever cart or device it came from."""
        self._update(
            shop_id,
            email,
            "SET consent = :consent, consent_at = :at",
            "attribute_not_exists(consent_at) OR consent_at <= :at",
            consent=consent,
            at=_ms(at),
        )

    def claim_newest(self, shop_id: str, email: str, cart_id: str, abandoned_at: datetime) -> None:
        """``cart_id`` becomes the customer's one active sequence unless a newer cart holds it.
        Newer means a later abandonment, or the same instant and a greater cart id: a total
        order, so two carts abandoned at once never both keep a sequence."""
        self._update(
            shop_id,
            email,
            "SET newest_cart_id = :cart, newest_at = :at",
            "attribute_not_exists(newest_at) OR newest_at < :at OR newest_cart_id = :cart "
            "OR (newest_at = :at AND newest_cart_id < :cart)",
            cart=cart_id,
            at=_ms(abandoned_at),
        )

    def note_cart(self, shop_id: str, email: str, cart_id: str) -> None:
        """``cart_id`` holds this address: what an erasure request must delete."""
        self._update(shop_id, email, "ADD cart_ids :cart", None, cart={cart_id})

    def cart_ids(self, shop_id: str, email: str) -> set[str]:
        return {str(c) for c in self._item(shop_id, email).get("cart_ids", set())}

    def forget(self, shop_id: str, email: str, at: datetime) -> None:
        """Erase what is known of the customer. Kept, under the address's hash only: that
        they must never be mailed again (an unsubscribe or a bounce) and when they were
        erased, so that an event from before that moment, resent, is not stored again."""
        self._update(
            shop_id,
            email,
            "REMOVE consent, consent_at, last_order_at, newest_cart_id, newest_at, recent_emails, "
            "last_incentive_at, last_cart_id, last_email_at, cart_ids SET erased_at = :at",
            None,
            at=_ms(at),
        )

    def erased_at(self, shop_id: str, email: str) -> datetime | None:
        return _at(self._item(shop_id, email).get("erased_at"))

    def erased_many(self, shop_id: str, emails: Collection[str]) -> dict[str, datetime]:
        by_key = {contact_key(shop_id, email)["pk"]: email for email in emails}
        keys = [{"pk": pk, "sk": "CONTACT"} for pk in sorted(by_key)]
        items = get_many(self._table, keys, consistent=True)
        erased = {by_key[item["pk"]]: _at(item.get("erased_at")) for item in items}
        return {email: at for email, at in erased.items() if at is not None}

    def note_email(self, shop_id: str, email: str, cart_id: str, at: datetime) -> None:
        """The email sent at ``at`` (its claim time): for attribution (last cart) and the
        pressure cap (recent times). Noting the same email again changes nothing, so a
        redelivered timer can finish what its first run left undone."""
        try:
            updated = self._table.update_item(
                Key=contact_key(shop_id, email),
                UpdateExpression="SET last_cart_id = :cart, last_email_at = :at, "
                "recent_emails = list_append(if_not_exists(recent_emails, :empty), :sent)",
                ConditionExpression="attribute_not_exists(recent_emails) OR NOT contains(recent_emails, :at)",
                ExpressionAttributeValues={
                    ":cart": cart_id,
                    ":at": _ms(at),
                    ":empty": [],
                    ":sent": [_ms(at)],
                },
                ReturnValues="UPDATED_NEW",
            )
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return  # noted already
        noted: Any = updated["Attributes"]["recent_emails"]
        surplus = len(noted) - REMEMBERED_EMAILS
        if surplus > 0:  # keep the list short: only the newest times matter to any cap
            oldest = ", ".join(f"recent_emails[{n}]" for n in range(surplus))
            self._update(shop_id, email, f"REMOVE {oldest}", None)

    def note_last_cart(self, shop_id: str, email: str, cart_id: str, at: datetime) -> None:
        """A hold-out step: the cart counts for attribution, not for the pressure cap."""
        self._update(
            shop_id, email, "SET last_cart_id = :cart, last_email_at = :at", None, cart=cart_id, at=_ms(at)
        )

    def last_email(self, shop_id: str, email: str) -> LastEmail | None:
        item = self._item(shop_id, email)
        sent_at = _at(item.get("last_email_at"))
        if "last_cart_id" not in item or sent_at is None:
            return None
        return LastEmail(str(item["last_cart_id"]), sent_at)

    def claim_incentive(self, shop_id: str, email: str, now: datetime, not_since: datetime) -> bool:
        """Take the customer's incentive for this period; ``False`` if already given since ``not_since``."""
        return self._update(
            shop_id,
            email,
            "SET last_incentive_at = :now",
            "attribute_not_exists(last_incentive_at) OR last_incentive_at <= :since",
            now=_ms(now),
            since=_ms(not_since),
        )

    def release_incentive(self, shop_id: str, email: str, claimed_at: datetime) -> None:
        """Give the period back when no code could be handed out after all."""
        self._update(
            shop_id, email, "REMOVE last_incentive_at", "last_incentive_at = :now", now=_ms(claimed_at)
        )
