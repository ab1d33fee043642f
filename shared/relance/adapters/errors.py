"""Exceptions the adapters raise instead of botocore's ``ClientError``."""

from __future__ import annotations

from botocore.exceptions import ClientError


class ConcurrentUpdate(Exception):
    """Someone else wrote the item since we read it: reload and decide again."""


class MailThrottled(Exception):
    """SES refused for rate: try again later, never drop the message."""


class MailRejected(Exception):
    """SES refused this message for good (unverified sender, bad address...)."""


class SecretStoreUnavailable(Exception):
    """The shops' secret store failed (throttled, denied, 5xx): try again, it is not a 401."""


class TimerError(Exception):
    """The scheduler could not arm a timer."""


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
