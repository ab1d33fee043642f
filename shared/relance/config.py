"""Function settings from the environment, validated once, on first use (never at import)."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    """The environment variables ``template.yaml`` gives the functions (Globals)."""

    model_config = ConfigDict(frozen=True)

    TABLE_NAME: str
    REPORTS_BUCKET: str = ""
    SCHEDULE_GROUP: str = ""
    REMINDER_FUNCTION_ARN: str = ""
    SCHEDULER_ROLE_ARN: str = ""
    TIMER_DLQ_ARN: str = ""
    SES_CONFIGURATION_SET: str = ""
    SHOP_SECRETS_PREFIX: str = "/relance/shops"
    LINK_KEY_SECRET_ARN: str = ""
    MANUAL_CALL_TOPIC_ARN: str = ""
    REPORT_JOBS_QUEUE_URL: str = ""
    PUBLIC_API_URL: str = ""
    """Base URL of the HTTP API, for tracked links in emails; empty: links go straight to the shop."""


@lru_cache(maxsize=1)
def settings_from_env() -> Settings:
    return Settings.model_validate(dict(os.environ))
