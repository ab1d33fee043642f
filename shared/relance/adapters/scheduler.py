"""One-time EventBridge Scheduler schedules that fire the reminder function.

AWS rules moto does not enforce, enforced here:
- names are 1-64 characters of ``[0-9a-zA-Z-_.]``: a shop's cart id may be anything, so
  the name is a hash; it also makes arming idempotent (same step, same due time, same name);
- ``at()`` has minute precision and a time in the past is rejected: round up to the
  minute and clamp to at least one minute ahead;
- schedules delete themselves after completion (``ActionAfterCompletion=DELETE``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, Field

from relance.adapters.errors import TimerError, error_code

if TYPE_CHECKING:
    from mypy_boto3_scheduler import EventBridgeSchedulerClient

SCHEDULE_NAME = re.compile(r"^[0-9a-zA-Z\-_.]{1,64}$")
MIN_LEAD = timedelta(minutes=1)


def schedule_name(shop_id: str, cart_id: str, step: int, due: datetime) -> str:
    digest = hashlib.sha256(f"{shop_id}\n{cart_id}\n{step}\n{due.isoformat()}".encode()).hexdigest()
    name = f"relance-s{step}-{digest[:48]}"
    assert SCHEDULE_NAME.match(name), name
    return name


def fire_time(due: datetime, now: datetime) -> datetime:
    """The minute the schedule fires: never before ``due``, never less than a minute ahead."""
    wanted = max(due, now + MIN_LEAD).astimezone(UTC)
    minutes = math.ceil(wanted.timestamp() / 60)
    return datetime.fromtimestamp(minutes * 60, tz=UTC)


def at_expression(moment: datetime) -> str:
    return f"at({moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S')})"


class TimerFired(BaseModel):
    """What a schedule hands the reminder function: written here, read by its handler."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    shop_id: str
    cart_id: str
    step: int = Field(ge=1, le=3)
    due_at: datetime | None = None
    """When the step was due (absent from schedules created before it was added)."""


@dataclass(frozen=True)
class TimerTarget:
    function_arn: str
    role_arn: str
    dead_letter_arn: str


class ReminderTimers:
    def __init__(
        self,
        client: EventBridgeSchedulerClient,
        group: str,
        target: TimerTarget,
        clock: Callable[[], datetime],
    ) -> None:
        self._client = client
        self._group = group
        self._target = target
        self._clock = clock

    def arm(self, shop_id: str, cart_id: str, step: int, due: datetime) -> datetime:
        """Create the schedule for ``step`` (idempotent); return when it will fire."""
        fires_at = fire_time(due, self._clock())
        fired = TimerFired(shop_id=shop_id, cart_id=cart_id, step=step, due_at=due)
        payload = fired.model_dump(mode="json")
        name, expression = schedule_name(shop_id, cart_id, step, due), at_expression(fires_at)
        try:
            self._client.create_schedule(
                Name=name,
                GroupName=self._group,
                ScheduleExpression=expression,
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                Target={
                    "Arn": self._target.function_arn,
                    "RoleArn": self._target.role_arn,
                    "Input": json.dumps(payload),
                    "RetryPolicy": {"MaximumRetryAttempts": 20, "MaximumEventAgeInSeconds": 6 * 3600},
                    "DeadLetterConfig": {"Arn": self._target.dead_letter_arn},
                },
            )
        except self._client.exceptions.ConflictException as error:
            if not self._same(name, fired):
                raise TimerError(f"another schedule holds {name}, arming step {step}") from error
        except ClientError as error:
            raise TimerError(f"{error_code(error)} arming step {step}") from error
        return fires_at

    def _same(self, name: str, fired: TimerFired) -> bool:
        """A conflict is success only when the schedule there is this very timer (same target,
        same cart, step and due time; its firing time may differ by when it was armed)."""
        existing = self._client.get_schedule(Name=name, GroupName=self._group)
        target = existing.get("Target", {})
        return bool(
            target.get("Arn") == self._target.function_arn
            and TimerFired.model_validate_json(target.get("Input") or "{}") == fired
        )
