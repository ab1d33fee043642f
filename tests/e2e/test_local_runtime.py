"""End to end over HTTP: the local runtime (moto server, API front, scheduler driver)."""

from __future__ import annotations

import csv
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from infra.local.client import ShopClient
from infra.local.demo import setup_shop
from infra.local.runtime import LocalRuntime
from infra.local.serve import local_routes
from tests.e2e.conftest import DemoRun
from tests.factories import cart_updated, item, order_placed

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRuntime]:
    local = LocalRuntime(tmp_path_factory.mktemp("out"), START)
    local.start(local_routes=local_routes(local))
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="module")
def client(runtime: LocalRuntime) -> ShopClient:
    return setup_shop(runtime)


def emails_to(runtime: LocalRuntime, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted((runtime.out_dir / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def test_events_in_clock_forward_exactly_the_right_emails_order_report_row(
    runtime: LocalRuntime, client: ShopClient
) -> None:
    now = runtime.clock()
    status, _ = client.post_events(
        [cart_updated("p1", now, "path-1", email="path@example.fr", items=[item("A", "120.00")])]
    )
    assert status == 202
    runtime.run_until(now + timedelta(hours=2, minutes=59))
    assert emails_to(runtime, "path@example.fr") == []
    runtime.run_until(now + timedelta(hours=3, minutes=1))
    (first,) = emails_to(runtime, "path@example.fr")
    assert first["Subject"] == "Votre panier vous attend chez Maison Lumière"
    assert (runtime.out_dir / "outbox").glob("*.html")

    status, _ = client.post_events([order_placed("p1-order", runtime.clock(), "path-1", amount="120.00")])
    assert status == 202
    runtime.run_until(now + timedelta(days=5))
    assert len(emails_to(runtime, "path@example.fr")) == 1, "no email after the order"

    day = now.date().isoformat()
    runtime.run_report({"shop_id": client.shop_id, "from": day, "to": day})
    runtime.mirror_reports()
    report = runtime.out_dir / f"reports/kpis/shop={client.shop_id}/date={day}/kpis.csv"
    (row,) = csv.DictReader(report.open(encoding="utf-8"))
    assert int(row["recovered_orders"]) >= 1 and row["recovered_revenue"] != "0.00"
    assert (report.parent / "kpis.json").exists()


def test_invalid_input_over_http_is_422_and_changes_nothing(
    runtime: LocalRuntime, client: ShopClient
) -> None:
    now = runtime.clock()
    client.post_events([cart_updated("i1", now, "invalid-1", email="invalid@example.fr")])
    before = runtime.adapters.carts.get(client.shop_id, "invalid-1")
    status, body = client.post_events([{**cart_updated("i2", now, "invalid-1"), "currency": "euro"}])
    assert status == 422 and body["rejected"][0]["errors"][0]["field"] == "events[0].currency"
    assert runtime.adapters.carts.get(client.shop_id, "invalid-1") == before


def test_wrong_credentials_over_http_are_401(runtime: LocalRuntime, client: ShopClient) -> None:
    intruder = ShopClient(client.base_url, client.shop_id, "guessed-secret", runtime.clock)
    status, body = intruder.post_events([cart_updated("w1", runtime.clock(), "wrong-1")])
    assert status == 401 and body["error"] == "unauthorized"
    assert runtime.adapters.carts.get(client.shop_id, "wrong-1") is None


def test_a_timer_delivered_twice_sends_one_email(runtime: LocalRuntime, client: ShopClient) -> None:
    now = runtime.clock()
    client.post_events([cart_updated("d1", now, "double-1", email="double@example.fr")])
    runtime.clock.advance_to(now + timedelta(hours=3, minutes=1))
    fired = {"shop_id": client.shop_id, "cart_id": "double-1", "step": 1}
    runtime.invoke("reminder", fired)
    runtime.invoke("reminder", fired)
    runtime.run_until(runtime.clock() + timedelta(minutes=5))  # and the scheduler's own delivery
    assert len(emails_to(runtime, "double@example.fr")) == 1


@pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("openssl")), reason="the example script needs curl and openssl"
)
def test_the_readme_curl_example_posts_a_signed_event(runtime: LocalRuntime, client: ShopClient) -> None:
    environment = {
        **os.environ,
        "RELANCE_URL": client.base_url,
        "SHOP": client.shop_id,
        "SECRET": client.secret,
        "CART": "curl-1",
    }
    result = subprocess.run(
        ["bash", str(ROOT / "docs/examples/post_event.sh")],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert '"outcome": "applied"' in result.stdout, result.stdout + result.stderr
    assert runtime.adapters.carts.get(client.shop_id, "curl-1") is not None


def test_make_demo_prints_recovered_revenue_and_leaves_emails_and_reports(demo_run: DemoRun) -> None:
    assert "Recovered revenue over the week:" in demo_run.stdout
    assert "Hold-out (15 % of customers, never emailed)" in demo_run.stdout
    assert "What the reminders add:" in demo_run.stdout
    shopify = re.search(r"\((\d+) of them Shopify webhooks, (\d+) refused\)", demo_run.stdout)
    assert shopify is not None and int(shopify.group(1)) > 0, demo_run.stdout[:400]
    assert shopify.group(2) == "0", "every Shopify webhook and batch of the demo is taken"
    clicks = re.search(r"(\d+) clicks", demo_run.stdout)
    assert clicks is not None and int(clicks.group(1)) > 0, "customers click before they order"
    html = list((demo_run.out / "outbox").glob("*.html"))
    assert html and len(html) == len(list((demo_run.out / "outbox").glob("*.eml")))
    assert "<table" in html[0].read_text(encoding="utf-8")
    assert "Decisions when timers fired:" in demo_run.stdout and "waiting:quiet_hours" in demo_run.stdout
    kinds = set(re.findall(r"step (\d) (fr|en) (prospect|returning)-(standard|high)", demo_run.stdout))
    assert {(step, language) for step, language, *_ in kinds} == {
        (s, lang) for s in "123" for lang in ("fr", "en")
    }
    assert {segment for *_, segment in kinds} == {"standard", "high"}
    assert {customer for _, _, customer, _ in kinds} == {"prospect", "returning"}
    last_steps = [
        p.read_text(encoding="utf-8")
        for p in (demo_run.out / "outbox").glob("*-step3-fr-prospect-standard-*.html")
    ]
    assert any("Livraison offerte avec le code LUMIERE-" in html for html in last_steps), (
        "a pool code in step 3"
    )
    calls = (demo_run.out / "staff_calls.jsonl").read_text(encoding="utf-8").splitlines()
    assert calls and all(float(json.loads(c)["total"]) >= 450 for c in calls)
    days = list((demo_run.out / "reports/kpis/shop=maison-lumiere").glob("date=*"))
    assert len(days) >= 7
    assert all({f.name for f in day.iterdir()} >= {"kpis.csv", "kpis.json", "carts.csv"} for day in days)


def test_a_hard_bounce_reported_by_ses_stops_the_sequence(runtime: LocalRuntime, client: ShopClient) -> None:
    address = "bounce+e2e@simulator.amazonses.com"
    now = runtime.clock()
    client.post_events([cart_updated("b1", now, "bounce-1", email=address)])
    runtime.run_until(now + timedelta(days=5))
    assert len(emails_to(runtime, address)) == 1, "the bounce must stop steps 2 and 3"
    assert runtime.adapters.contacts.is_suppressed(client.shop_id, address)
    cart = runtime.adapters.carts.get(client.shop_id, "bounce-1")
    assert cart is not None and set(cart.reminders[0].feedback) == {"bounce"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_the_emails_cart_link_is_tracked_and_lands_on_the_shops_cart(
    runtime: LocalRuntime, client: ShopClient
) -> None:
    now = runtime.clock()
    client.post_events([cart_updated("l1", now, "link-1", email="link@example.fr")])
    runtime.run_until(now + timedelta(hours=3, minutes=1))
    (message,) = emails_to(runtime, "link@example.fr")
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    (link,) = re.findall(re.escape(client.base_url) + r"/r/\S+", text)
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(link, timeout=10)
    assert answer.value.code == 302
    assert answer.value.headers["Location"] == "https://atelier-test.example/cart/link-1"
    cart = runtime.adapters.carts.get(client.shop_id, "link-1")
    assert cart is not None and "click" in cart.reminders[0].feedback


@pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("openssl")), reason="the example script needs curl and openssl"
)
def test_the_documented_settings_examples_work_over_http(runtime: LocalRuntime) -> None:
    from relance.services.shops import register
    from tests.conftest import demo_shop

    shop = demo_shop("docs-example-shop")
    environment = {
        **os.environ,
        "RELANCE_URL": runtime.api.url if runtime.api else "",
        "SHOP": shop.shop_id,
        "SECRET": register(runtime.adapters, shop),
    }

    def signed(*arguments: str) -> str:
        result = subprocess.run(
            ["bash", str(ROOT / "docs/examples/signed.sh"), *arguments],
            env=environment, capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return result.stdout

    assert '"consent_mode": "eu"' in signed("PUT", "/v1/policy", str(ROOT / "docs/examples/policy.json"))
    assert '"faq_url": "https://maison-lumiere.example/aide"' in signed(
        "PUT", "/v1/texts", str(ROOT / "docs/examples/texts.json")
    )
    stored = runtime.adapters.shops.get(shop.shop_id)
    assert stored is not None and stored.policy.manual_call_value == 500 and stored.reassurance
    assert '"manual_call_value": "500"' in signed("GET", "/v1/policy")


def test_a_route_the_template_does_not_declare_is_404_as_on_api_gateway(runtime: LocalRuntime) -> None:
    assert runtime.api is not None
    routes = [("GET", "/v1/events"), ("POST", "/v1/unknown"), ("DELETE", "/v1/policy"), ("TRACE", "/r/x")]
    for method, path in [*routes, ("QUERY", "/u/x"), ("PATCH", "/v1/policy")]:
        request = urllib.request.Request(runtime.api.url + path, data=b"{}", method=method)  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        assert answer.value.code == 404
        assert json.loads(answer.value.read()) == {"message": "Not Found"}


def test_the_reports_count_exactly_the_emails_in_the_outbox(demo_run: DemoRun) -> None:
    import csv

    days = sorted((demo_run.out / "reports/kpis/shop=maison-lumiere").glob("date=*"))

    def total(name: str, column: str) -> int:
        count = 0
        for day in days:
            with (day / name).open(encoding="utf-8") as rows:
                count += sum(int(row[column] or 0) for row in csv.DictReader(rows))
        return count

    outbox = len(list((demo_run.out / "outbox").glob("*.eml")))
    assert outbox > 0
    assert total("kpis.csv", "emails_sent") == total("carts.csv", "emails_sent") == outbox


@pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("openssl")), reason="the example script needs curl and openssl"
)
def test_the_documented_platform_webhook_example_works_over_http(
    runtime: LocalRuntime, client: ShopClient, tmp_path: Path
) -> None:
    """docs/connectors.md: the script delivers Shopify's sample checkout as Shopify would."""
    secret = client.webhook_secrets["shopify"]
    checkout = json.loads((ROOT / "tests/connectors/payloads/shopify/checkouts_create.json").read_text())
    now = runtime.clock().isoformat()
    checkout.update(token="docs-example-checkout", created_at=now, updated_at=now)
    payload = tmp_path / "checkout.json"
    payload.write_text(json.dumps(checkout, ensure_ascii=False), encoding="utf-8")
    environment = {
        **os.environ,
        "RELANCE_URL": client.base_url,
        "SHOP": client.shop_id,
        "WEBHOOK_SECRET": secret,
    }
    script = [
        "bash",
        str(ROOT / "docs/examples/platform_webhook.sh"),
        "shopify",
        "checkouts/create",
        str(payload),
    ]
    result = subprocess.run(script, env=environment, capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout)["outcome"] == "applied", result.stdout + result.stderr
    assert runtime.adapters.carts.get(client.shop_id, "docs-example-checkout") is not None
    wrong = {**environment, "WEBHOOK_SECRET": "not-the-secret"}
    result = subprocess.run(script, env=wrong, capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout)["error"] == "unauthorized"


def test_make_serve_prints_credentials_that_the_api_takes_including_both_platforms(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "infra.local", "serve", "--port", str(port), "--out", str(tmp_path)]
    environment = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'shared'}"}
    with subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True) as served:
        try:
            assert served.stdout is not None
            lines: list[str] = []
            while not lines or lines[-1].strip() != "}":
                line = served.stdout.readline()
                assert line, "make serve stopped before printing its credentials"
                lines.append(line)
            printed = json.loads("".join(lines))
            api, shop_id = printed["api"], printed["shop_id"]
            client = ShopClient(api, shop_id, printed["secret"], lambda: datetime.now(UTC))
            client.webhook_secrets = {
                "shopify": printed["shopify_webhook_secret"],
                "woocommerce": printed["woocommerce_webhook_secret"],
            }
            assert printed["shopify_webhook_url"] == f"{api}/v1/webhooks/shopify/{shop_id}"
            assert client.post_shopify("carts/create", {"token": "t"}, "w-1")[1]["outcome"] == "ignored"
            ping = b"webhook_id=7"
            woo = {"Content-Type": "application/x-www-form-urlencoded"}
            assert client.post_raw(ping, woo, f"/v1/webhooks/woocommerce/{printed['shop_id']}")[0] == 200
            body = b'{"id": 7}'
            signed = {**client.webhook_headers("woocommerce", body), "X-WC-Webhook-Topic": "order.deleted"}
            status, answer = client.post_raw(body, signed, f"/v1/webhooks/woocommerce/{printed['shop_id']}")
            assert (status, answer["outcome"]) == (200, "applied")
        finally:
            served.terminate()
