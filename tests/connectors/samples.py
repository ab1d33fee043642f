"""The platforms' documented sample payloads (payloads/SOURCES.md), and variations of them
that say what they change."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"


def sample(name: str, **changes: Any) -> dict[str, Any]:
    """``payloads/<name>.json``, with top-level fields replaced (``None`` values are set, a
    ``DROP`` removes the field)."""
    payload: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    for field, value in changes.items():
        if value is DROP:
            payload.pop(field, None)
        else:
            payload[field] = copy.deepcopy(value)
    return payload


DROP: Any = object()


def pending_woocommerce_order(**changes: Any) -> dict[str, Any]:
    """WooCommerce's documented order 727, as it is before payment: status ``pending``, no
    payment date, with the payment link WooCommerce gives unpaid orders."""
    pending = {
        "status": "pending",
        "date_paid": None,
        "date_paid_gmt": None,
        "payment_url": "https://example.com/checkout/order-pay/727/?pay_for_order=true&key=wc_order_58d2d042d1d",
    }
    return sample("woocommerce/order_727", **{**pending, **changes})
