"""What the functions print: their EMF lines, and their log lines as their loggers format them."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from functions.feedback import handler as feedback
from functions.reminder import handler as reminder
from relance.http import responses

Lines = list[dict[str, Any]]
Printed = Callable[[], tuple[Lines, Lines, str]]
__all__ = ["Printed", "published"]


class _Formatting(logging.Handler):
    """Formats each record as it is emitted: the keys appended to a logger last only for
    their invocation (``clear_state``), so formatting later would show the last one's."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def published(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Iterator[Printed]:
    """Metrics on, loggers at INFO. ``published()`` gives (EMF lines, log lines, all the text)
    since the last call; a log line has the keys appended during its invocation (the shop)."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    loggers = (responses.logger, reminder.logger, feedback.logger)
    handlers = {logger.service: _Formatting(logger.registered_formatter) for logger in loggers}
    for name, handler in handlers.items():
        caplog.set_level(logging.INFO, logger=name)
        logging.getLogger(name).addHandler(handler)

    def read() -> tuple[Lines, Lines, str]:
        printed = capsys.readouterr().out
        lines = [line for handler in handlers.values() for line in handler.lines]
        for handler in handlers.values():
            handler.lines.clear()
        emf = [json.loads(line) for line in printed.splitlines() if line.startswith("{")]
        return [r for r in emf if "_aws" in r], [json.loads(line) for line in lines], printed + "".join(lines)

    yield read
    for name, handler in handlers.items():
        logging.getLogger(name).removeHandler(handler)
