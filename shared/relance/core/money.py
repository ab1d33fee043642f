"""Money as finance reads it: plain digits in the currency's own precision (2 for EUR, 0 for JPY)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_currency_precision


def plain_amount(amount: Decimal, currency: str) -> str:
    return str(amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency))))
