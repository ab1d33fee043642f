"""A shop's brand in its emails: its logo and its colour, with text colours chosen for WCAG AA
contrast (4.5:1), so that a pale brand colour never makes a button or a name unreadable."""

from __future__ import annotations

from dataclasses import dataclass

AA_CONTRAST = 4.5
DEFAULT_COLOUR = "#111827"
TEXT_COLOUR = "#1f2937"
WHITE, BLACK = "#ffffff", "#000000"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class BrandColours:
    button: str
    button_text: str
    button_contrast: float
    name: str
    """The shop's name in the header: the brand colour if it reads on white, else dark grey."""
    notes: tuple[str, ...] = ()
    """What fell back, and why: the settings answer says so."""


def brand_colours(colour: str | None) -> BrandColours:
    """The button in the brand colour with white or black text, whichever contrasts more: for
    any colour one of them reaches 4.58:1 at least (where both are equal), so the button never
    falls back. The name is in the brand colour when that reaches 4.5:1 on white."""
    button = (colour or DEFAULT_COLOUR).lower()
    text = max((WHITE, BLACK), key=lambda candidate: contrast(button, candidate))
    notes: list[str] = []
    on_white = contrast(button, WHITE)
    name = button if on_white >= AA_CONTRAST else TEXT_COLOUR
    if name != button:
        notes.append(
            f"shop name: {button} on white is {on_white:.1f}:1 (under {AA_CONTRAST}:1), dark grey used"
        )
    return BrandColours(button, text, round(contrast(button, text), 2), name, tuple(notes))
