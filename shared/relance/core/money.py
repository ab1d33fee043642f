"""Money as finance reads it: plain digits in the currency's own precision (2 for EUR, 0 for JPY)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from babel.numbers import get_currency_precision
from pydantic import Field, PlainSerializer, WithJsonSchema

Amount = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=4, allow_inf_nan=False),
    # "1000", never "1E+3": finance and clients read plain digits.
    PlainSerializer(lambda amount: format(amount, "f"), return_type=str, when_used="json"),
    # What a client should send: digits as a string (floats lose cents), or a whole number.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,4})?$", "examples": ["59.90"]},
                {"type": "integer", "minimum": 0, "maximum": 9_999_999_999},
            ]
        }
    ),
]
"""A sum of money or a threshold in the shop's currency: bounded, exact, written in plain digits."""


def plain_amount(amount: Decimal, currency: str) -> str:
    return str(amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency))))
