"""The product on embedded AWS: moto in server mode, the API on 127.0.0.1, a virtual clock
and a driver that fires due schedules the way EventBridge Scheduler would (moto never
fires nor deletes a schedule)."""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import threading
import urllib.request
import warnings
from collections import Counter
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from infra.cloudformation import http_routes
from infra.local.http_front import ApiFront, LocalRoute, RouteTable
from infra.local.lambda_context import LambdaContext
from infra.local.outbox import OutboxMailer
from infra.local.report_jobs import run_report
from infra.local.ses_events import events_after_send
from infra.local.stack import REGION, Stack, deploy
from infra.local.threads import serialize_aws_calls
from relance.config import Settings
from relance.ports import OutgoingEmail
from relance.wiring import AwsAdapters, use

_AT = re.compile(r"^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$")


class VirtualClock:
    """Time for every function of the local runtime; only the driver moves it forward."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance_to(self, moment: datetime) -> None:
        with self._lock:
            self._now = max(self._now, moment)


class LocalAdapters(AwsAdapters):
    """The functions' services, with SES sends also written to the outbox folder."""

    def __init__(self, settings: Settings, clock: VirtualClock, session: Any, outbox: Path) -> None:
        super().__init__(settings, clock, session)
        self._outbox = outbox

    @cached_property
    def mailer(self) -> OutboxMailer:
        client = self._client("sesv2")
        return OutboxMailer(client, self.settings.SES_CONFIGURATION_SET, self._outbox, self.clock)


class LocalRuntime:
    def __init__(self, out_dir: Path, start: datetime, quiet: bool = True) -> None:
        self.out_dir = out_dir
        self.clock = VirtualClock(start)
        self._quiet = quiet
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.api: ApiFront | None = None
        self.stack: Stack | None = None
        self.fired = 0
        self.decisions: Counter[str] = Counter()
        """What each reminder run did: ``sent``, ``held``, ``stopped:ordered``, ``waiting:quiet_hours``..."""
        self._fire_times: dict[str, datetime] = {}
        self._saved_environment: dict[str, str | None] = {}
        self._ses_events: list[dict[str, Any]] = []

    # -- lifecycle ----------------------------------------------------------------------
    def start(
        self, serve_api: bool = True, api_port: int = 0, local_routes: dict[str, LocalRoute] | None = None
    ) -> LocalRuntime:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request lines
        serialize_aws_calls()
        self._moto.start()
        host, port = self._moto.get_host_and_port()
        self._set_environment(
            AWS_ENDPOINT_URL=f"http://{host}:{port}",
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION=REGION,
        )
        self.session = boto3.session.Session(region_name=REGION)
        self.stack = deploy(self.session)
        environment = self.stack.functions_environment()
        if serve_api:
            routes = RouteTable(http_routes(self.stack.template))
            self.api = ApiFront(lambda event, _: self.invoke("api", event), routes, api_port, local_routes)
            self.api.start()
            # The front stands in for API Gateway: its address replaces the API's wherever the
            # template hands the functions that address (the links in the emails).
            api_url = self.stack.resolve(self.stack.template["Outputs"]["ApiUrl"]["Value"])
            environment = {name: value.replace(api_url, self.api.url) for name, value in environment.items()}
        if self._quiet:
            environment.update(POWERTOOLS_LOG_LEVEL="WARNING", POWERTOOLS_METRICS_DISABLED="true")
            # A settings request emits no metric, and Powertools warns of that on every flush.
            warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)
        self._set_environment(**environment)
        settings = Settings.model_validate(environment)
        self.adapters = LocalAdapters(settings, self.clock, self.session, self.out_dir / "outbox")
        self.adapters.mailer.listeners.append(self._queue_ses_events)
        self._staff_inbox = self._subscribe_staff_inbox()
        use(self.adapters)
        return self

    def _subscribe_staff_inbox(self) -> str:
        """An SQS queue on the manual-call topic: the local stand-in for the staff's email."""
        sqs, sns = self.session.client("sqs"), self.session.client("sns")
        queue = sqs.create_queue(QueueName="relance-local-staff-calls")["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]
        topic = self.adapters.settings.MANUAL_CALL_TOPIC_ARN
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=attributes["QueueArn"])
        return str(queue)

    def staff_calls(self) -> list[dict[str, Any]]:
        """The high-value carts staff were asked to call about (drains the local inbox)."""
        sqs = self.session.client("sqs")
        calls: list[dict[str, Any]] = []
        while True:
            messages = sqs.receive_message(QueueUrl=self._staff_inbox, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not messages:
                return calls
            for message in messages:
                calls.append(json.loads(json.loads(message["Body"])["Message"]))
                sqs.delete_message(QueueUrl=self._staff_inbox, ReceiptHandle=message["ReceiptHandle"])

    def stop(self) -> None:
        if self.api:
            self.api.stop()
        use(None)
        # moto's backends are shared by the whole process: empty them, so that a runtime
        # started later in the same process (the next test module) begins from nothing.
        host, port = self._moto.get_host_and_port()
        reset = urllib.request.Request(f"http://{host}:{port}/moto-api/reset", method="POST")
        urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 - our own local server
        self._moto.stop()
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    def _set_environment(self, **values: str) -> None:
        """Point boto3 at the embedded AWS; :meth:`stop` puts the environment back."""
        for name, value in values.items():
            self._saved_environment.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    # -- the scheduler driver -----------------------------------------------------------
    def pending_schedules(self) -> list[tuple[datetime, str]]:
        """Every one-time schedule of the group, soonest first."""
        scheduler = self.session.client("scheduler")
        group = self.adapters.settings.SCHEDULE_GROUP
        names: set[str] = set()
        for page in scheduler.get_paginator("list_schedules").paginate(GroupName=group):
            names.update(summary["Name"] for summary in page["Schedules"])
        for name in names - set(self._fire_times):
            # A schedule's name is unique to its (cart, step, due time): its time never changes.
            expression = scheduler.get_schedule(GroupName=group, Name=name)["ScheduleExpression"]
            match = _AT.match(expression)
            if match:
                self._fire_times[name] = datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)
        return sorted((self._fire_times[n], n) for n in names if n in self._fire_times)

    def next_fire_time(self) -> datetime | None:
        pending = self.pending_schedules()
        return pending[0][0] if pending else None

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        """Run ``functions/<function>/handler.py`` as Lambda would, in this process."""
        module = importlib.import_module(f"functions.{function}.handler")
        try:
            result: dict[str, Any] = module.lambda_handler(event, LambdaContext(f"relance-local-{function}"))
        finally:
            # With POWERTOOLS_METRICS_DISABLED, Powertools skips the flush that would also
            # clear the metric set, and then prints it once 100 values piled up.
            if os.environ.get("POWERTOOLS_METRICS_DISABLED") == "true" and hasattr(module, "metrics"):
                module.metrics.clear_metrics()
        return result

    def run_until(self, moment: datetime) -> int:
        """Fire every schedule due up to ``moment`` in time order, then move the clock there."""
        scheduler = self.session.client("scheduler")
        group = self.adapters.settings.SCHEDULE_GROUP
        fired = 0
        while True:
            due = [(at, name) for at, name in self.pending_schedules() if at <= moment]
            if not due:
                break
            at, name = due[0]
            self.clock.advance_to(at)
            detail = scheduler.get_schedule(GroupName=group, Name=name)
            outcome = self.invoke("reminder", json.loads(detail["Target"]["Input"]))
            action, reason = outcome["action"], outcome["reason"]
            self.decisions[action if action in ("sent", "held") else f"{action}:{reason}"] += 1
            self.deliver_ses_events()
            if detail.get("ActionAfterCompletion") == "DELETE":
                scheduler.delete_schedule(GroupName=group, Name=name)
                self._fire_times.pop(name, None)
            fired += 1
        self.clock.advance_to(moment)
        self.fired += fired
        return fired

    # -- SES feedback -------------------------------------------------------------------
    def _queue_ses_events(self, mail: OutgoingEmail, message_id: str) -> None:
        configuration_set = self.adapters.settings.SES_CONFIGURATION_SET
        self._ses_events.extend(
            events_after_send(message_id, mail.recipient, self.clock(), configuration_set)
        )

    def deliver_ses_events(self) -> int:
        """Hand SES's events to the feedback function, as EventBridge would, shortly after."""
        delivered = 0
        while self._ses_events:
            self.invoke("feedback", self._ses_events.pop(0))
            delivered += 1
        return delivered

    # -- reports ------------------------------------------------------------------------
    def run_report(self, event: dict[str, Any]) -> list[str]:
        """The report files the run wrote; a nightly run's jobs are delivered as SQS would."""
        return run_report(self.session, self.adapters.settings, self.invoke, event)

    def mirror_reports(self) -> list[Path]:
        """Copy the bucket's ``kpis/`` tree to ``out/reports`` (same layout as in S3)."""
        s3 = self.session.client("s3")
        bucket = self.adapters.settings.REPORTS_BUCKET
        copied: list[Path] = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="kpis/"):
            for obj in page.get("Contents", []):
                target = self.out_dir / "reports" / obj["Key"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
                copied.append(target)
        return copied
