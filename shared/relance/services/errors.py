"""What a use case refuses, for the edges to answer: kept apart from the use cases so that an
edge can name them without loading what the use case needs (jinja2, for templates)."""

from __future__ import annotations


class TemplateRejected(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
