"""The languages Relance writes its emails and pages in."""

from __future__ import annotations

from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
