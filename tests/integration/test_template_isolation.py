"""A shop's template is code running between other shops' sends: it can change nothing
outside its own render, its work is bounded, and if it still fails at send time the email
goes out in the built-in template (never a stopped sequence)."""

from __future__ import annotations

import email
import json
from types import MappingProxyType
from typing import cast

import pytest

from relance.core.email.i18n import STRINGS
from relance.services.shops import register
from tests.conftest import World, demo_shop, load_event
from tests.integration.test_settings import OURS, put

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]

HOSTILE = {
    "mutates the shared words": "{% if w.update({'greeting': 'HACKED'}) %}{% endif %}",
    "mutates a list it is given": "{% if items.append(1) %}{% endif %}",
    "a huge range": "{% for i in range(10**9) %}{% endfor %}",
    "a 1e3 x 1e4 loop": "{% for i in range(1000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
    "a 50 MB string": "{% set s = 'x' * 50000000 %}{{ s|length }}",
    "a huge power": "{{ 10 ** 100000000 }}",
    "namespace accumulation": "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
                              "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "recursive macro": "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x') }}",
    "a padding method": "{{ 'x'.center(1000000000) }}",
    "a format width": "{{ '{:>1000000000}'.format(1) }}",
    "a %-format width": "{{ '%0999999999d' % 1 }}",
    "a join that multiplies": "{% set s = 'y' * 9000 %}{{ s|list|join(s) }}",
    "a padding filter": "{{ 'x'|center(1000000000) }}",
    "three nested loops": "{% for a in items %}{% for b in items %}{% for c in items %}{% endfor %}"
                          "{% endfor %}{% endfor %}",
    "a slow silent loop": "{% set s = 'y' * 9000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "python internals": "{{ shop.__class__.__init__.__globals__ }}",
}  # fmt: skip


@pytest.mark.parametrize("attack", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_templates_are_refused_at_upload_with_a_422(world: World, attack: str) -> None:
    status, body = put(world, "/v1/templates", {"reminder.html": OURS + attack})
    assert status == 422, body
    assert body["errors"][0]["field"] == "reminder.html" and body["errors"][0]["reason"]
    assert world.adapters.shops.templates("atelier-test") == {}
    assert STRINGS["fr"]["greeting"] != "HACKED" and "HACKED" not in json.dumps(STRINGS)


def html_of(message: object) -> str:
    raw = email.message_from_string(message.raw_data)  # type: ignore[attr-defined]
    part = next(p for p in raw.walk() if p.get_content_type() == "text/html")
    return str(cast(bytes, part.get_payload(decode=True)).decode())


def test_a_template_that_fails_at_send_falls_back_to_ours_and_other_shops_are_untouched(world: World) -> None:
    # Stored straight in the table, as a template accepted before today's rules would be.
    stored = OURS + HOSTILE["mutates the shared words"]
    world.adapters.shops.put_templates("atelier-test", {"reminder.html": stored})
    other = demo_shop("autre-boutique", name="Autre Boutique")
    other_secret = register(world.adapters, other)
    world.post([load_event("cart_updated.json")])
    same_cart_elsewhere = {**load_event("cart_updated.json"), "id": "evt-other"}
    world.post([same_cart_elsewhere], shop_id=other.shop_id, secret=other_secret)
    world.clock.advance(hours=3)

    assert world.fire("cart-1", 1)["action"] == "sent"  # in the built-in template
    other_step = {"shop_id": other.shop_id, "cart_id": "cart-1", "step": 1}
    assert world.invoke("reminder", other_step)["action"] == "sent"
    first, second = (html_of(m) for m in world.sent_messages()[-2:])
    assert "MAISON-TEMPLATE" not in first and "HACKED" not in first + second
    assert isinstance(STRINGS["fr"], dict) and "HACKED" not in json.dumps(STRINGS)
    schedules = {s["Name"] for s in world.schedules()}
    assert len(schedules) >= 2  # both sequences go on to step 2


def test_each_render_gets_read_only_words() -> None:
    from relance.core.email.context import EmailLinks, email_context
    from relance.core.email.samples import SAMPLE_NOW, sample_cart

    links = EmailLinks(cart="https://x.example/r/1", unsubscribe="https://x.example/u/1")
    context = email_context(demo_shop(), sample_cart("s", "fr"), 1, SAMPLE_NOW, links=links)
    assert isinstance(context["w"], MappingProxyType)
    with pytest.raises(TypeError):
        context["w"]["greeting"] = "changed"  # type: ignore[index]


@pytest.mark.parametrize(
    "subject",
    ["{nope}", "{shop.x}", "{first_name[0]}", "{first_name!r}", "{shop:>200}", "{first_name}", "{", "}"],
)
def test_subject_placeholders_are_checked_at_upload(world: World, subject: str) -> None:
    policy = {"variants": [{"name": "A", "weight": 50, "subjects": {"1": {"fr": subject}}},
                           {"name": "B", "weight": 50}]}  # fmt: skip
    status, body = put(world, "/v1/policy", policy)
    assert status == 422, body
    assert "subjects" in json.dumps(body["errors"])
