"""SES v2 sender. The MIME message is built here and sent as ``Raw`` so that the
``List-Unsubscribe`` headers reach SES (moto drops custom headers of a ``Simple`` send)
and so that the local outbox holds exactly the bytes SES got."""

from __future__ import annotations

import email.policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from relance.adapters.errors import MailFailed, MailOutcomeUnknown, MailRejected, MailThrottled, error_code
from relance.ports import OutgoingEmail

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client

# AWS-wide faults that SES v2 does not model as its own exceptions.
_GENERIC_THROTTLES = {"Throttling", "ThrottlingException"}
PAUSED_RETRY_SECONDS = 3600


# RFC 2045: quoted-printable lines of at most 76 characters (a relay that rewraps longer ones
# breaks the DKIM body hash); the body is encoded with this policy's length. Headers are folded
# at the same length, except those set as raw text (refold_source="none"): a List-Unsubscribe
# URL is one long word, which folding would RFC 2047-encode into something unusable (RFC 5322
# allows 998 characters per line).
_POLICY = email.policy.default.clone(max_line_length=76, refold_source="none")
URL_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post"})


def build_mime(mail: OutgoingEmail) -> bytes:
    message = EmailMessage(policy=_POLICY)
    username, domain = mail.sender_address.split("@", 1)
    message["From"] = Address(mail.sender_name, username, domain)
    message["To"] = mail.recipient
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.sent_at)
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in mail.headers.items():
        if name in URL_HEADERS:
            message.set_raw(name, value)
        else:
            message[name] = value
    message.set_content(mail.text, cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    return message.as_bytes()


class SesMailer:
    def __init__(self, client: SESV2Client, configuration_set: str) -> None:
        self._client = client
        self._configuration_set = configuration_set

    def send(self, mail: OutgoingEmail) -> str:
        """Send ``mail``; return SES's message id."""
        return self.send_raw(mail, build_mime(mail))

    def send_raw(self, mail: OutgoingEmail, raw: bytes) -> str:
        errors = self._client.exceptions
        try:
            response = self._client.send_email(
                FromEmailAddress=mail.sender_address,
                Destination={"ToAddresses": [mail.recipient]},
                Content={"Raw": {"Data": raw}},
                ConfigurationSetName=self._configuration_set,
                EmailTags=[{"Name": k, "Value": v} for k, v in mail.tags.items()],
            )
        except (errors.TooManyRequestsException, errors.LimitExceededException) as error:
            raise MailThrottled(error_code(error)) from error
        except (errors.AccountSuspendedException, errors.SendingPausedException) as error:
            # An operator lifts these (SES review, a paused configuration set): retry in an hour.
            raise MailThrottled(error_code(error), PAUSED_RETRY_SECONDS) from error
        except (
            errors.MessageRejected,
            errors.MailFromDomainNotVerifiedException,
            errors.NotFoundException,
            errors.BadRequestException,
        ) as error:
            raise MailRejected(error_code(error)) from error
        except ClientError as error:  # not one of SendEmail's own: an AWS-wide fault
            code = error_code(error)
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            if code in _GENERIC_THROTTLES:
                raise MailThrottled(code) from error
            if status >= 500:
                raise MailFailed(code) from error
            raise MailRejected(code) from error
        except (EndpointConnectionError, ConnectTimeoutError) as error:
            raise MailFailed(type(error).__name__) from error  # never reached SES
        except (ReadTimeoutError, ConnectionClosedError) as error:
            raise MailOutcomeUnknown(type(error).__name__) from error
        return str(response["MessageId"])
