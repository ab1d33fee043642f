"""Each function imports only what it uses: the heavy libraries a cold start would pay for
are loaded by the code that needs them, on first use (docs/benchmarks.md#import-time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "asyncio",
    "aws_lambda_powertools.utilities.data_classes",
    "email_validator",
    "jinja2",
    "relance.core.connectors.shopify",
    "relance.core.connectors.woocommerce",
)
NEEDED = {
    "reminder": {"jinja2"},  # it renders the emails
    "api": {"asyncio", "aws_lambda_powertools.utilities.data_classes"},  # Powertools' HTTP resolver
}
PROBE = """
import json, sys
import functions.{function}.handler
from relance.core.cart.events import STORED
from relance.core.shop import Shop
shop = {{"shop_id": "a-shop", "name": "S", "sender_email": "a@s.example", "postal_address": "1 rue X, Paris",
        "website": "https://s.example"}}
Shop.model_validate_json(json.dumps(shop), context={{STORED: True}})  # as the adapters read a stored shop
print(json.dumps([name for name in {heavy!r} if name in sys.modules]))
"""


@pytest.mark.parametrize("function", ["api", "reminder", "feedback", "report"])
def test_a_function_loads_no_heavy_library_it_does_not_use_at_import(function: str) -> None:
    probe = PROBE.format(function=function, heavy=HEAVY)
    environment = {"PYTHONPATH": f"{ROOT}:{ROOT / 'shared'}", "AWS_DEFAULT_REGION": "eu-west-3",
                   "POWERTOOLS_METRICS_NAMESPACE": "Relance"}  # fmt: skip
    command = [sys.executable, "-c", probe]
    answer = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=environment)
    loaded = set(json.loads(answer.stdout.strip().splitlines()[-1]))
    assert loaded == NEEDED.get(function, set())


def test_an_address_from_outside_is_still_checked_and_normalised() -> None:
    from pydantic import ValidationError

    from relance.core.shop import Shop
    from tests.conftest import demo_shop

    assert (
        demo_shop(sender_email="Bonjour@Atelier-Test.EXAMPLE").sender_email == "Bonjour@atelier-test.example"
    )
    with pytest.raises(ValidationError, match="value is not a valid email address"):
        Shop.model_validate({**demo_shop().model_dump(mode="json"), "sender_email": "not an address"})
