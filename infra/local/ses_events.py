"""What SES would publish to EventBridge after each send, for the local runtime.

moto publishes no SES events. Locally, every accepted message gets a ``Delivery`` event (the
stack's configuration set does not publish ``Send``: the reminder records its sends), except
for the SES mailbox simulator's addresses, which behave as on AWS:
``bounce@simulator.amazonses.com`` hard-bounces and ``complaint@...`` complains
(``bounce+label@...`` works too).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

SIMULATOR = "simulator.amazonses.com"


def _record(message_id: str, recipient: str, at: datetime, configuration_set: str) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "timestamp": at.isoformat(),
        "destination": [recipient],
        "tags": {"ses:configuration-set": [configuration_set]},
    }


def events_after_send(
    message_id: str, recipient: str, at: datetime, configuration_set: str
) -> list[dict[str, Any]]:
    """The EventBridge events SES publishes for one accepted message, in order."""
    mail = _record(message_id, recipient, at, configuration_set)
    local, _, domain = recipient.partition("@")
    kind = local.split("+")[0] if domain == SIMULATOR else "success"
    details: list[tuple[str, dict[str, Any]]] = []
    stamp = {"timestamp": at.isoformat()}
    if kind == "bounce":
        bounce = {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": recipient}], **stamp}
        details.append(("Email Bounced", {"eventType": "Bounce", "mail": mail, "bounce": bounce}))
    elif kind == "complaint":
        complaint = {"complainedRecipients": [{"emailAddress": recipient}], **stamp}
        details.append(("Email Delivered", {"eventType": "Delivery", "mail": mail, "delivery": stamp}))
        details.append(
            ("Email Complaint Received", {"eventType": "Complaint", "mail": mail, "complaint": complaint})
        )
    else:
        details.append(("Email Delivered", {"eventType": "Delivery", "mail": mail, "delivery": stamp}))
    return [
        {"version": "0", "source": "aws.ses", "detail-type": detail_type, "detail": detail}
        for detail_type, detail in details
    ]
