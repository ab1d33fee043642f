"""Each step, in both languages, rendered by headless Chromium at phone (375 px) and desktop
(600 px) widths: no horizontal overflow, every item visible, the cart and unsubscribe links
present. The screenshots are written to ``out/screenshots/`` for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.demo_shop import DEMO_SHOP
from relance.core.email.compose import compose
from relance.core.email.samples import SAMPLE_NOW, sample_cart
from relance.core.language import Language
from relance.services.templates import SAMPLE_LINKS

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium's background services try the network, which this machine (and CI) refuses.
FLAGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.fail(
            "Chromium is needed for the rendering test: `make test` installs it (apt package chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", *FLAGS])
        yield launched
        launched.close()


MEASURE = """() => {
  const inside = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.left >= 0 && r.right <= innerWidth + 0.5;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    items: [...document.querySelectorAll('td.name')].map(td => ({text: td.innerText, inside: inside(td)})),
    cart: [...document.querySelectorAll('a')].filter(a => a.href.includes('/r/')).map(inside),
    unsubscribe: [...document.querySelectorAll('a')].filter(a => a.href.includes('/u/')).map(inside),
  };
}"""


@pytest.mark.parametrize("width", [375, 600])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("step", [1, 2, 3])
def test_the_email_fits_and_shows_everything(browser: Any, step: int, language: Language, width: int) -> None:
    cart = sample_cart(DEMO_SHOP.shop_id, language, high=step == 3)
    email = compose(DEMO_SHOP, cart, step, SAMPLE_NOW, links=SAMPLE_LINKS)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        # Offline: the sample's product images are served as an empty response, as a blocked image would be.
        page.route(
            "**/*",
            lambda route: (
                route.fulfill(status=204) if route.request.url.startswith("http") else route.continue_()
            ),
        )
        page.set_content(email.html)
        measured = page.evaluate(MEASURE)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"step{step}-{language}-{width}px.png"), full_page=True)
    finally:
        page.close()
    assert measured["scrollWidth"] <= width, f"horizontal overflow: {measured['scrollWidth']} px > {width} px"
    names = [line["text"] for line in measured["items"]]
    assert len(names) == len(cart.items)
    for item, line in zip(cart.items, measured["items"], strict=True):
        assert item.name in line["text"] and line["inside"], f"{item.name!r} not fully visible"
    assert measured["cart"] and all(measured["cart"]), "the cart link is missing or cut off"
    assert measured["unsubscribe"] and all(measured["unsubscribe"]), (
        "the unsubscribe link is missing or cut off"
    )
