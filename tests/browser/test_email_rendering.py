"""Each step, in both languages, rendered by headless Chromium at phone (375 px) and desktop
(600 px) widths, and on a phone in dark mode and with images off: no horizontal overflow,
every item visible, the cart and unsubscribe links present, the first button above the fold
(600 px) on a phone, buttons 44 px tall with 4.5:1 text, one h1, no text under 14 px. The
screenshots are written to ``out/screenshots/`` for a person to look at."""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.demo_shop import DEMO_SHOP
from relance.core.email.brand import contrast
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
    buttons: [...document.querySelectorAll('a.button')].map(a => {
      const r = a.getBoundingClientRect();
      return {top: r.top + scrollY, height: r.height, color: getComputedStyle(a).color,
              background: getComputedStyle(a.parentElement).backgroundColor};
    }),
    headings: document.querySelectorAll('h1').length,
    smallest: Math.min(...[...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().height > 0 && [...el.childNodes].some(
        n => n.nodeType === 3 && n.textContent.trim()))
      .map(el => parseFloat(getComputedStyle(el).fontSize))),
    h1: {color: getComputedStyle(document.querySelector('h1')).color,
         background: getComputedStyle(document.querySelector('.card')).backgroundColor},
    thumbs: [...document.querySelectorAll('td.thumb img')].map(img => img.getBoundingClientRect().height),
  };
}"""


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(part) for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def _contrast(first: str, second: str) -> float:
    def hexed(rgb: tuple[int, ...]) -> str:
        return "#" + "".join(f"{channel:02x}" for channel in rgb)

    return contrast(hexed(_rgb(first)), hexed(_rgb(second)))


def _grey_png(size: int) -> bytes:
    """A ``size`` x ``size`` grey PNG: the sample's product images, as a shop's CDN serves them."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\x00" + b"\xd1" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


THUMBNAIL = _grey_png(128)
MODES = [(375, "light"), (600, "light"), (375, "dark"), (375, "images-off")]


@pytest.mark.parametrize(("width", "mode"), MODES)
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("step", [1, 2, 3])
def test_the_email_fits_and_shows_everything(
    browser: Any, step: int, language: Language, width: int, mode: str
) -> None:
    cart = sample_cart(DEMO_SHOP.shop_id, language, high=step == 3)
    email = compose(DEMO_SHOP, cart, step, SAMPLE_NOW, links=SAMPLE_LINKS)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        # Offline: images are served here (or refused, with images off); nothing leaves the machine.
        def serve(route: Any) -> None:
            if not route.request.url.startswith("http"):
                route.continue_()
            elif mode == "images-off":
                route.abort()
            else:
                route.fulfill(status=200, content_type="image/png", body=THUMBNAIL)

        page.route("**/*", serve)
        page.emulate_media(color_scheme="dark" if mode == "dark" else "light")
        page.set_content(email.html, wait_until="load")
        measured = page.evaluate(MEASURE)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"step{step}-{language}-{width}px-{mode}.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    (top, *_), heights = measured["buttons"], [b["height"] for b in measured["buttons"]]
    assert len(measured["buttons"]) == 2, "the button near the top and again after the cart"
    if width <= 480:
        assert top["top"] + top["height"] <= 600, f"the first button ends at {top['top'] + top['height']} px"
    assert min(heights) >= 44, f"a button {min(heights)} px tall (touch targets: 44 px)"
    assert _contrast(top["color"], top["background"]) >= 4.5
    assert measured["headings"] == 1 and measured["smallest"] >= 14, measured["smallest"]
    assert _contrast(measured["h1"]["color"], measured["h1"]["background"]) >= 4.5, (mode, measured["h1"])
    assert all(height >= 90 for height in measured["thumbs"]), (
        f"images off collapse the layout: {measured['thumbs']}"
    )
    assert measured["scrollWidth"] <= width, f"horizontal overflow: {measured['scrollWidth']} px > {width} px"
    names = [line["text"] for line in measured["items"]]
    assert len(names) == len(cart.items)
    for item, line in zip(cart.items, measured["items"], strict=True):
        assert item.name in line["text"] and line["inside"], f"{item.name!r} not fully visible"
    assert measured["cart"] and all(measured["cart"]), "the cart link is missing or cut off"
    assert measured["unsubscribe"] and all(measured["unsubscribe"]), (
        "the unsubscribe link is missing or cut off"
    )
