"""One place that builds the adapters, so tests and the local runtime swap them the same way.

Functions call :func:`adapters`; tests and ``infra/local`` call :func:`use` first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3

from relance.aws_clients import CLIENT_CONFIG, SEND_EMAIL_CONFIG
from relance.config import Settings, settings_from_env
from relance.ports import Adapters, Clock

if TYPE_CHECKING:
    from relance.adapters.alerts import ManualCallAlerts
    from relance.adapters.carts import CartStore
    from relance.adapters.checkouts import CheckoutIndex
    from relance.adapters.codes import CodePool
    from relance.adapters.contacts import ContactStore
    from relance.adapters.mailer import SesMailer
    from relance.adapters.messages import MessageIndex
    from relance.adapters.report_jobs import SqsReportJobs
    from relance.adapters.reports import S3ReportSink
    from relance.adapters.scheduler import ReminderTimers
    from relance.adapters.secrets import LinkKey, ShopSecrets
    from relance.adapters.shops import ShopStore


def utc_now() -> datetime:
    return datetime.now(UTC)


class AwsAdapters:
    """The ports on AWS, built lazily: a function only pays for the clients it uses, and only
    imports the adapters it uses (each on first use)."""

    def __init__(self, settings: Settings, clock: Clock = utc_now, session: Any = None) -> None:
        self.settings = settings
        self.clock = clock
        self.session: Any = session or boto3.session.Session()

    def _client(self, service: str) -> Any:
        config = SEND_EMAIL_CONFIG if service == "sesv2" else CLIENT_CONFIG
        return self.session.client(service, config=config)

    @cached_property
    def _table(self) -> Any:
        return self.session.resource("dynamodb", config=CLIENT_CONFIG).Table(self.settings.TABLE_NAME)

    @cached_property
    def carts(self) -> CartStore:
        from relance.adapters.carts import CartStore

        return CartStore(self._table, self.clock)

    @cached_property
    def shops(self) -> ShopStore:
        from relance.adapters.shops import ShopStore

        return ShopStore(self._table)

    @cached_property
    def contacts(self) -> ContactStore:
        from relance.adapters.contacts import ContactStore

        return ContactStore(self._table)

    @cached_property
    def messages(self) -> MessageIndex:
        from relance.adapters.messages import MessageIndex

        return MessageIndex(self._table)

    @cached_property
    def checkouts(self) -> CheckoutIndex:
        from relance.adapters.checkouts import CheckoutIndex

        return CheckoutIndex(self._table)

    @cached_property
    def codes(self) -> CodePool:
        from relance.adapters.codes import CodePool

        return CodePool(self._table, self.settings.TABLE_NAME)

    @cached_property
    def alerts(self) -> ManualCallAlerts:
        from relance.adapters.alerts import ManualCallAlerts

        return ManualCallAlerts(self._client("sns"), self.settings.MANUAL_CALL_TOPIC_ARN)

    @cached_property
    def secrets(self) -> ShopSecrets:
        from relance.adapters.secrets import ShopSecrets

        return ShopSecrets(self._client("ssm"), self.settings.SHOP_SECRETS_PREFIX)

    @cached_property
    def link_key(self) -> LinkKey:
        from relance.adapters.secrets import LinkKey

        return LinkKey(self._client("secretsmanager"), self.settings.LINK_KEY_SECRET_ARN)

    @cached_property
    def timers(self) -> ReminderTimers:
        from relance.adapters.scheduler import ReminderTimers, TimerTarget

        target = TimerTarget(
            function_arn=self.settings.REMINDER_FUNCTION_ARN,
            role_arn=self.settings.SCHEDULER_ROLE_ARN,
            dead_letter_arn=self.settings.TIMER_DLQ_ARN,
        )
        client = self._client("scheduler")
        return ReminderTimers(client, self.settings.SCHEDULE_GROUP, target, self.clock)

    @cached_property
    def mailer(self) -> SesMailer:
        from relance.adapters.mailer import SesMailer

        return SesMailer(self._client("sesv2"), self.settings.SES_CONFIGURATION_SET)

    @cached_property
    def reports(self) -> S3ReportSink:
        from relance.adapters.reports import S3ReportSink

        return S3ReportSink(self._client("s3"), self.settings.REPORTS_BUCKET)

    @cached_property
    def report_jobs(self) -> SqsReportJobs:
        from relance.adapters.report_jobs import SqsReportJobs

        return SqsReportJobs(self._client("sqs"), self.settings.REPORT_JOBS_QUEUE_URL)


_current: Adapters | None = None


def adapters() -> Adapters:
    global _current
    if _current is None:
        _current = AwsAdapters(settings_from_env())
    return _current


def use(replacement: Adapters | None) -> None:
    """Make every handler use ``replacement`` (``None``: rebuild from the environment)."""
    global _current
    _current = replacement
