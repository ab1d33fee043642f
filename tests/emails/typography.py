"""French typography as a French reader expects it, and each language free of the other."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_URL = re.compile(r"(https?://|mailto:)\S+")
_NO_BREAK = "\u00a0\u202f"
# French words that never belong in an English email, and the reverse (whole words, any case).
FRENCH_WORDS = ("bonjour", "votre", "vos", "panier", "commande", "livraison", "merci", "avec", "retrouver")
ENGLISH_WORDS = ("hello", "your", "cart", "order", "delivery", "thanks", "with", "back")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    """What a reader sees of an HTML email (tags, styles and the title dropped)."""
    parser = _Text()
    parser.feed(markup)
    return " ".join(parser.parts)


def french_problems(text: str) -> list[str]:
    """Each place ``text`` breaks French typography: a space that may break (or none) before
    ``? ! : ;`` or inside « », a straight apostrophe. URLs and times (10:30) are not text."""
    prose = _URL.sub(" ", text)
    problems = []
    for match in re.finditer(r"(.)([?!:;])", prose):
        before, mark = match.groups()
        if before in _NO_BREAK or (mark == ":" and before.isdigit()) or before == mark:
            continue
        context = prose[max(0, match.start() - 25) : match.end()]
        problems.append(f"no non-breaking space before {mark!r}: …{context!r}")
    for pattern, problem in (
        (r"«[^\u00a0\u202f]", "no non-breaking space after «"),
        (r"[^\u00a0\u202f]»", "no non-breaking space before »"),
        (r"\w'\w", "straight apostrophe"),
    ):
        problems += [f"{problem}: {m.group()!r}" for m in re.finditer(pattern, prose)]
    return problems


def words_of_the_other_language(text: str, language: str) -> list[str]:
    """The other language's common words in ``text`` (a code in capitals, MERCI-5XK2, is not
    a word)."""
    foreign = ENGLISH_WORDS if language == "fr" else FRENCH_WORDS
    words = re.findall(r"\w+", _URL.sub(" ", text))
    return sorted({w.lower() for w in words if w.lower() in foreign and not w.isupper()})
