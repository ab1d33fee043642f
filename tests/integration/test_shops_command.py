"""``python -m infra.shops create``: registers a shop, prints working credentials."""

from __future__ import annotations

import io
import json

import pytest

from infra.shops import main
from relance.core.security.signing import signature
from relance.telemetry import PER_SHOP, Metric
from tests.conftest import World

pytestmark = pytest.mark.integration
ARGS = ["create", "--table", "relance-test-table", "--shop-id", "la-boutique", "--name", "La Boutique",
        "--sender", "hello@boutique.example", "--address", "3 rue Haute, 33000 Bordeaux",
        "--website", "https://boutique.example"]  # fmt: skip


def test_create_prints_a_secret_that_the_api_accepts(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(ARGS) == 0
    credentials = json.loads(capsys.readouterr().out)
    assert credentials["shop_id"] == "la-boutique" and len(credentials["secret"]) >= 40
    shop = world.adapters.shops.get("la-boutique")
    assert shop is not None and shop.name == "La Boutique"
    assert "la-boutique" in world.adapters.shops.shop_ids()
    status, _ = world.post([], shop_id="la-boutique", secret=credentials["secret"])
    assert status == 422  # authenticated; an empty batch is then refused for what it is
    assert signature(credentials["secret"], 0, b"") != signature(world.secret, 0, b"")


def test_invalid_shop_details_are_refused_with_the_field_named(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [*ARGS[:-1], "not a url"]
    bad[bad.index("--shop-id") + 1] = "Bad Id!"
    assert main(bad) == 2
    error = capsys.readouterr().err
    assert "shop_id:" in error and "website:" in error
    assert world.adapters.shops.get("Bad Id!") is None


def test_create_sets_an_alarm_for_a_shop_that_stops_sending_events(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    topic = "arn:aws:sns:eu-west-3:123456789012:alarms"
    assert main([*ARGS, "--no-events-hours", "12", "--alarm-topic", topic]) == 0
    name = json.loads(capsys.readouterr().out)["alarm"]
    (alarm,) = world.session.client("cloudwatch").describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert alarm["MetricName"] == "EventsAccepted" and alarm["Namespace"] == "Relance"
    assert Metric(alarm["MetricName"]) in PER_SHOP  # a series the api publishes with the shop
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"shop": "la-boutique", "service": "api"}
    assert alarm["Period"] * alarm["EvaluationPeriods"] == 12 * 3600
    assert alarm["TreatMissingData"] == "breaching" and alarm["AlarmActions"] == [topic]


def test_the_alarm_can_be_left_out(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--no-events-hours", "0"]) == 0
    assert "alarm" not in json.loads(capsys.readouterr().out)
    assert world.session.client("cloudwatch").describe_alarms()["MetricAlarms"] == []


def test_connect_stores_the_platform_secret_read_from_stdin_and_the_webhook_verifies(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "shpss_from_the_shopify_admin_0123"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    connect = ["connect", "--table", "relance-test-table", "--shop-id", "atelier-test"]
    connect += ["--platform", "shopify"]
    assert main(connect) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["webhook_url"].endswith("/v1/webhooks/shopify/atelier-test")
    assert printed["secret_ends_with"] == "0123" and secret not in json.dumps(printed)
    headers = {"X-Shopify-Topic": "carts/create", "X-Shopify-Webhook-Id": "w-1"}
    assert world.webhook("shopify", {"token": "t"}, headers, secret=secret)[0] == 200
    assert world.webhook("shopify", {"token": "t"}, headers, secret=world.secret)[0] == 401


def test_connect_refuses_an_unknown_shop_or_a_short_secret(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["connect", "--table", "relance-test-table", "--platform", "woocommerce", "--shop-id"]
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-secret-value\n"))
    assert main([*base, "no-such-shop"]) == 2
    assert "shop_id" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main([*base, "atelier-test"]) == 2
    assert "webhook_secret" in capsys.readouterr().err
    assert world.adapters.secrets.get("atelier-test", world.clock(), "woocommerce") is None
