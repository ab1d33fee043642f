"""Deliveries as AWS makes them, for a run with a fault in it: the shop resends a batch the
API answered 5xx; a timer is delivered to the reminder function and, when it fails, retried
twice by Lambda, then dead-lettered; an SES event is retried by EventBridge, then
dead-lettered. Every schedule fires once it is due, in time order."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.conftest import World
from tests.faults.injector import function_running

SHOP_RESENDS = 3
SHOPIFY_SECRET = "shopify-webhook-secret-of-every-run"
LAMBDA_ATTEMPTS = 3  # the first and EventInvokeConfig's MaximumRetryAttempts: 2


@dataclass
class Platform:
    world: World
    shop_id: str
    secret: str
    dead_letters: list[dict[str, Any]] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)

    def post(self, events: list[dict[str, Any]]) -> int:
        status = 500
        for _ in range(SHOP_RESENDS):
            try:
                with function_running():
                    status, _ = self.world.post(events, shop_id=self.shop_id, secret=self.secret)
            except Exception:  # the function died: API Gateway answers 500
                status = 500
            if status < 500:
                return status
        self.refused.append(status)
        return status

    def request(self, method: str, path: str, body: dict[str, Any]) -> int:
        for _ in range(SHOP_RESENDS):
            try:
                event = self.world.api_event(json.dumps(body).encode(), shop_id=self.shop_id,
                                             secret=self.secret, path=path, method=method)  # fmt: skip
                with function_running():
                    status = int(self.world.invoke("api", event)["statusCode"])
            except Exception:
                status = 500
            if status < 500:
                return status
        self.refused.append(status)
        return status

    def shopify(self, topic: str, payload: dict[str, Any], webhook_id: str) -> int:
        """A Shopify webhook, resent as Shopify resends whatever did not get a 2xx."""
        headers = {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": webhook_id}
        for _ in range(SHOP_RESENDS):
            try:
                with function_running():
                    status, _ = self.world.webhook(
                        "shopify", payload, headers, secret=SHOPIFY_SECRET, shop_id=self.shop_id
                    )
            except Exception:
                status = 500
            if status < 300:
                return status
        self.refused.append(status)
        return status

    def _deliver(self, function: str, event: dict[str, Any]) -> None:
        for _ in range(LAMBDA_ATTEMPTS):
            try:
                with function_running():
                    self.world.invoke(function, event)
                return
            except Exception:  # noqa: S112 - Lambda retries, as here
                continue
        self.dead_letters.append({"function": function, "event": event})

    def schedules(self) -> list[tuple[datetime, dict[str, Any], str]]:
        mine = []
        for schedule in self.world.schedules():
            payload = json.loads(schedule["Target"]["Input"])
            if payload["shop_id"] == self.shop_id:
                at = datetime.fromisoformat(schedule["ScheduleExpression"][3:-1] + "+00:00")
                mine.append((at, payload, schedule["Name"]))
        return sorted(mine, key=lambda entry: entry[0])

    def run_until(self, moment: datetime) -> None:
        """Fire every due schedule of this shop up to ``moment``; each is deleted after it fired."""
        scheduler = self.world.session.client("scheduler")
        group = self.world.adapters.settings.SCHEDULE_GROUP
        while True:
            due = [entry for entry in self.schedules() if entry[0] <= moment]
            if not due:
                break
            at, payload, name = due[0]
            self.world.clock.now = max(self.world.clock.now, at)
            self._deliver("reminder", {k: payload[k] for k in ("shop_id", "cart_id", "step")})
            scheduler.delete_schedule(GroupName=group, Name=name)
        self.world.clock.now = max(self.world.clock.now, moment)

    def ses_event(self, detail_type: str, detail: dict[str, Any]) -> None:
        event = {"version": "0", "id": "e", "source": "aws.ses", "detail-type": detail_type,
                 "account": "123456789012", "region": "eu-west-3", "detail": detail}  # fmt: skip
        for _ in range(4):  # EventBridge retries (10 in the template; a few suffice here)
            try:
                with function_running():
                    self.world.invoke("feedback", event)
                return
            except Exception:  # noqa: S112
                continue
        self.dead_letters.append({"function": "feedback", "event": event})

    def later(self, **delta: float) -> datetime:
        return self.world.clock.now + timedelta(**delta)
