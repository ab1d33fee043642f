"""SES v2 sender. The MIME message is built here and sent as ``Raw`` so that the
``List-Unsubscribe`` headers reach SES (moto drops custom headers of a ``Simple`` send)
and so that the local outbox holds exactly the bytes SES got."""

from __future__ import annotations

import email.policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from relance.adapters.errors import MailFailed, MailOutcomeUnknown, MailRejected, MailThrottled, error_code
from relance.ports import OutgoingEmail

# SES v2 SendEmail's errors (API reference), by what a retry can change.
_THROTTLED = {"TooManyRequestsException", "Throttling", "ThrottlingException", "LimitExceededException"}
_PAUSED = {"AccountSuspendedException", "SendingPausedException"}
"""An operator lifts these (SES review, a paused configuration set): retry in an hour."""
_TRANSIENT = {"InternalFailure", "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException"}
PAUSED_RETRY_SECONDS = 3600


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
            code = error_code(error)
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            if code in _THROTTLED:
                raise MailThrottled(code) from error
            if code in _PAUSED:
                raise MailThrottled(code, PAUSED_RETRY_SECONDS) from error
            if code in _TRANSIENT or status >= 500:
                raise MailFailed(code) from error
            raise MailRejected(code) from error
        except (EndpointConnectionError, ConnectTimeoutError) as error:
            raise MailFailed(type(error).__name__) from error  # never reached SES
        except (ReadTimeoutError, ConnectionClosedError) as error:
            raise MailOutcomeUnknown(type(error).__name__) from error
        return str(response["MessageId"])
