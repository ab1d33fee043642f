"""Local stand-in for a mailbox: every message SES accepted, as ``.eml`` and ``.html`` files."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from relance.adapters.mailer import SesMailer
from relance.ports import OutgoingEmail


class OutboxMailer(SesMailer):
    def __init__(
        self, client: Any, configuration_set: str, folder: Path, clock: Callable[[], datetime]
    ) -> None:
        super().__init__(client, configuration_set)
        self._folder = folder
        self._clock = clock
        self.listeners: list[Callable[[OutgoingEmail, str], None]] = []

    def send_raw(self, mail: OutgoingEmail, raw: bytes) -> str:
        message_id = super().send_raw(mail, raw)
        self._folder.mkdir(parents=True, exist_ok=True)
        who = re.sub(r"[^a-zA-Z0-9]+", "-", mail.recipient.split("@")[0])[:30]
        stamp = self._clock().strftime("%Y%m%dT%H%M")
        tags = mail.tags
        stem = (
            f"{stamp}-{who}-step{tags.get('step', '0')}-{tags.get('language', '')}"
            f"-{tags.get('segment', '')}-{tags.get('variant', '')}"
            f"-{re.sub(r'[^a-zA-Z0-9]+', '', message_id)[-12:]}"  # two emails in a minute: two files
        )
        (self._folder / f"{stem}.eml").write_bytes(raw)
        (self._folder / f"{stem}.html").write_text(mail.html, encoding="utf-8")
        for listener in self.listeners:
            listener(mail, message_id)
        return message_id
