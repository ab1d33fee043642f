"""Exceptions the adapters raise instead of botocore's ``ClientError``."""

from __future__ import annotations

from botocore.exceptions import ClientError


class ConcurrentUpdate(Exception):
    """Someone else wrote the item since we read it: reload and decide again."""


class MailThrottled(Exception):
    """SES refused for rate (or sending is paused): try again later, never drop the message."""

    def __init__(self, code: str, retry_after_seconds: int = 300) -> None:
        super().__init__(code)
        self.retry_after_seconds = retry_after_seconds


class MailRejected(Exception):
    """SES refused this message for good (unverified sender, bad address...)."""


class MailFailed(Exception):
    """SES failed before taking the message (5xx, no connection): nothing was sent; retry."""


class MailOutcomeUnknown(Exception):
    """The request reached SES but no answer came back: the email may have gone out.

    Relance then counts the step as sent (at most once): a second email to a customer costs
    more trust than a missing reminder (docs/architecture.md#faults)."""


class SecretStoreUnavailable(Exception):
    """The shops' secret store failed (throttled, denied, 5xx): try again, it is not a 401."""


class TimerError(Exception):
    """The scheduler could not arm a timer."""


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
