"""A shop sets its policy, texts and templates through signed routes; anything invalid is
refused with the field named and the stored settings stay as they were."""

from __future__ import annotations

import email
import json
from html import unescape
from typing import Any, cast

import pytest

from relance.core.email.samples import sample_cart
from relance.services.errors import TemplateRejected
from relance.services.templates import check_templates
from tests.conftest import World, load_event

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
OURS = (
    "{{ greeting }} {{ intro }} {% for line in items %}{{ line.item.name }}{% endfor %} "
    "<a href='{{ cart_url }}'>{{ w.cta }}</a> <a href='{{ unsubscribe_url }}'>{{ w.unsubscribe }}</a> "
    "{{ shop.name }}, {{ shop.postal_address }} - MAISON-TEMPLATE"
)


def put(world: World, path: str, body: object) -> tuple[int, dict[str, Any]]:
    status, text = world.request("PUT", path, json.dumps(body).encode())
    return status, json.loads(text)


def test_a_valid_policy_is_stored_and_read_back(world: World) -> None:
    status, stored = put(world, "/v1/policy", {"delay_preset": "patient", "consent_mode": "eu"})
    assert status == 200 and stored["consent_mode"] == "eu"
    assert world.adapters.shops.get("atelier-test").policy.delay_preset == "patient"  # type: ignore[union-attr]
    status, text = world.request("GET", "/v1/policy")
    assert status == 200 and json.loads(text)["quiet_hours"] == {"start": "21:00:00", "end": "08:00:00"}


def test_an_invalid_policy_is_refused_with_its_fields_and_the_old_one_kept(world: World) -> None:
    put(world, "/v1/policy", {"delay_preset": "patient"})
    status, body = put(world, "/v1/policy", {"delay_preset": "fast", "pressure_cap": {"max_emails": 0}})
    assert status == 422 and body["error"] == "invalid_request"
    fields = {e["field"] for e in body["errors"]}
    assert {"delay_preset", "pressure_cap.max_emails"} <= fields
    assert world.adapters.shops.get("atelier-test").policy.delay_preset == "patient"  # type: ignore[union-attr]
    assert world.request("PUT", "/v1/policy", b"{nope")[0] == 400  # not JSON: 400 on every route


def test_settings_need_the_shops_signature(world: World) -> None:
    event = world.api_event(b'{"delay_preset": "patient"}', path="/v1/policy", method="PUT", secret="wrong")
    assert world.invoke("api", event)["statusCode"] == 401
    assert world.adapters.shops.get("atelier-test").policy.delay_preset == "avanci"  # type: ignore[union-attr]


def test_texts_are_stored_and_used_in_the_reassurance_step(world: World) -> None:
    texts = {"reassurance": {"fr": {"returns": "Retours gratuits sous 60 jours."}}}
    assert put(world, "/v1/texts", texts)[0] == 200
    status, body = put(world, "/v1/texts", {"reassurance": {"de": {"returns": "x"}}})
    assert status == 422 and body["errors"][0]["field"].startswith("reassurance.de")
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    world.clock.advance(hours=21)  # step 2 comes its policy gap after step 1
    assert world.fire("cart-1", 2)["action"] == "sent"
    msg = email.message_from_string(world.sent_messages()[-1].raw_data)
    assert "Retours gratuits sous 60 jours." in msg.as_string() or any(
        "Retours gratuits sous 60 jours." in unescape(cast(bytes, p.get_payload(decode=True)).decode())
        for p in msg.walk()
        if not p.is_multipart()
    )


def test_shop_templates_are_checked_then_used(world: World) -> None:
    status, body = put(world, "/v1/templates", {"reminder.html": "<p>{{ shop.name }}</p>"})
    assert status == 422 and "unsubscribe" in body["errors"][0]["reason"]
    status, body = put(world, "/v1/templates", {"reminder.html": "{% for %}"})
    assert status == 422 and body["errors"][0]["field"] == "reminder.html"
    assert world.adapters.shops.templates("atelier-test") == {}
    assert put(world, "/v1/templates", {"reminder.html": OURS})[0] == 200
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    raw = email.message_from_string(world.sent_messages()[-1].raw_data)
    html = cast(
        bytes, next(p for p in raw.walk() if p.get_content_type() == "text/html").get_payload(decode=True)
    ).decode()
    assert "MAISON-TEMPLATE" in html and "Pull – laine mérinos" in unescape(html)


def test_shop_templates_run_in_a_sandbox(world: World) -> None:
    sneaky = OURS + "{{ shop.__class__.__init__.__globals__ }}"
    with pytest.raises(TemplateRejected) as refused:
        check_templates(world.shop, {"reminder.html": sneaky})
    assert "unsafe" in refused.value.reason or "__" in refused.value.reason
    assert sample_cart("atelier-test", "fr").items  # the sample every step is checked against


def test_a_settings_change_never_silently_undoes_a_concurrent_one(world: World) -> None:
    from relance.adapters.errors import ConcurrentUpdate

    store = world.adapters.shops

    def meanwhile_texts_change(shop):  # type: ignore[no-untyped-def]
        store.change(shop.shop_id, lambda s: s.model_copy(update={"website": "https://other.example"}))
        return shop.model_copy(update={"name": "Changed"})

    with pytest.raises(ConcurrentUpdate):
        store.change("atelier-test", meanwhile_texts_change)
    stored = store.get("atelier-test")
    assert stored is not None and stored.name == "Atelier Test"


def test_a_conflicting_settings_request_gets_a_409(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from relance.adapters.errors import ConcurrentUpdate

    def conflicting(*_: object) -> None:
        raise ConcurrentUpdate("atelier-test")

    monkeypatch.setattr(world.adapters.shops, "change", conflicting)
    status, body = put(world, "/v1/policy", {"delay_preset": "patient"})
    assert status == 409 and body["error"] == "conflict"
    assert world.adapters.shops.get("atelier-test").policy.delay_preset != "patient"  # type: ignore[union-attr]
