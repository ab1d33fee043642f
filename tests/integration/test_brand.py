"""A shop's brand in its emails: its logo and colour, with readable text whatever the colour."""

from __future__ import annotations

import json

import pytest

from relance.core.email.brand import AA_CONTRAST, brand_colours, contrast
from tests.conftest import World, load_event

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
BRAND = {
    "logo_url": "https://atelier-test.example/logo.png",
    "logo_width": 180,
    "logo_height": 40,
    "colour": "#7C3AED",
}


@pytest.mark.parametrize(
    "colour", ["#7c3aed", "#ffd500", "#777777", "#0b5fff", "#ffffff", "#000000", "#00ff00"]
)
def test_the_button_text_always_reaches_aa_contrast(colour: str) -> None:
    colours = brand_colours(colour)
    assert contrast(colours.button, colours.button_text) >= AA_CONTRAST
    assert contrast(colours.name, "#ffffff") >= AA_CONTRAST
    assert (colours.name == colour) is (contrast(colour, "#ffffff") >= AA_CONTRAST)


def test_contrast_is_wcags() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the usual AA-grey on white


def test_the_brand_is_set_and_shows_in_the_header_and_the_buttons(world: World) -> None:
    status, body = world.request("PUT", "/v1/brand", BRAND)
    answer = json.loads(body)
    assert (
        status == 200 and answer["button_colour"] == "#7c3aed" and answer["button_text_colour"] == "#ffffff"
    )
    assert answer["notes"] == []
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    html = world.sent_messages()[-1].mail.html
    assert 'src="https://atelier-test.example/logo.png"' in html and 'width="180" height="40"' in html
    assert html.count('bgcolor="#7c3aed"') >= 3  # the header bar and both buttons


def test_a_pale_brand_colour_is_used_with_dark_text_and_the_answer_says_what_fell_back(world: World) -> None:
    status, body = world.request("PUT", "/v1/brand", {"colour": "#FFD500"})
    answer = json.loads(body)
    assert status == 200 and answer["button_text_colour"] == "#000000" and answer["button_contrast"] >= 4.5
    assert answer["name_colour"] == "#1f2937" and "shop name" in answer["notes"][0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "purple"}, "colour"),
        ({"logo_url": "http://x.example/l.png"}, "logo_url"),
        ({"logo_width": 9000}, "logo_width"),
    ],
)
def test_an_invalid_brand_is_refused_naming_the_field(
    world: World, body: dict[str, object], field: str
) -> None:
    status, answer = world.request("PUT", "/v1/brand", body)
    assert status == 422 and json.loads(answer)["errors"][0]["field"] == field
    stored = world.adapters.shops.get("atelier-test")
    assert stored is not None and stored.brand.colour is None
