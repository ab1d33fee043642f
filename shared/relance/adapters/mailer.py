"""SES v2 sender. The MIME message is built here and sent as ``Raw`` so that the
``List-Unsubscribe`` headers reach SES (moto drops custom headers of a ``Simple`` send)
and so that the local outbox holds exactly the bytes SES got."""

from __future__ import annotations

import email.policy
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from botocore.exceptions import ClientError

from relance.adapters.errors import MailRejected, MailThrottled, error_code

_THROTTLED = {"TooManyRequestsException", "Throttling", "LimitExceededException"}


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


# A List-Unsubscribe URL is one long word: folded at 78 columns it would be RFC 2047-encoded
# and unusable. RFC 5322 allows 998 characters per line.
_POLICY = email.policy.default.clone(max_line_length=998)


def build_mime(mail: OutgoingEmail) -> bytes:
    message = EmailMessage(policy=_POLICY)
    username, domain = mail.sender_address.split("@", 1)
    message["From"] = Address(mail.sender_name, username, domain)
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.sent_at)
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text, cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    return message.as_bytes()


class SesMailer:
    def __init__(self, client: Any, configuration_set: str) -> None:
        self._client = client
        self._configuration_set = configuration_set

    def send(self, mail: OutgoingEmail) -> str:
        """Send ``mail``; return SES's message id."""
        return self.send_raw(mail, build_mime(mail))

    def send_raw(self, mail: OutgoingEmail, raw: bytes) -> str:
        try:
            response = self._client.send_email(
                FromEmailAddress=mail.sender_address,
                Destination={"ToAddresses": [mail.recipient]},
                Content={"Raw": {"Data": raw}},
                ConfigurationSetName=self._configuration_set,
                EmailTags=[{"Name": k, "Value": v} for k, v in mail.tags.items()],
            )
        except ClientError as error:
            if error_code(error) in _THROTTLED:
                raise MailThrottled(error_code(error)) from error
            raise MailRejected(error_code(error)) from error
        return str(response["MessageId"])
