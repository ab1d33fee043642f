"""Every kind of email, as SES gets it: RFC-clean MIME (RFC 2045 line lengths, folded headers,
a Reply-To), a plain-text part wrapped for reading, and the signature separator."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from infra.local.demo_shop import DEMO_SHOP
from relance.adapters.mailer import build_mime
from relance.core.email.samples import SAMPLE_NOW
from relance.ports import OutgoingEmail
from tests.emails.kinds import KINDS, LINKS, Kind

pytestmark = pytest.mark.unit
URL = re.compile(r"https?://\S+")


def _mime(kind: Kind) -> bytes:
    rendered = kind.render()
    mail = OutgoingEmail(
        sender_name=DEMO_SHOP.name,
        sender_address=str(DEMO_SHOP.sender_email),
        recipient="camille.dupont@example.fr",
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        sent_at=SAMPLE_NOW,
        reply_to=str(DEMO_SHOP.support_email),
        headers={
            "List-Unsubscribe": f"<{LINKS.unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return build_mime(mail)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_line_of_the_encoded_message_fits_rfc_2045_and_5322(kind: Kind) -> None:
    raw = _mime(kind).decode("ascii")
    head, _, body = raw.partition("\n\n")
    too_long = [line for line in body.splitlines() if len(line) > 76]
    assert too_long == [], (
        f"{len(too_long)} body lines over 76 characters, the longest {max(map(len, too_long))}"
    )
    for line in head.splitlines():  # only a URL header may not be folded (RFC 5322: 998)
        assert len(line) <= 78 or line.startswith("List-Unsubscribe:"), line
        assert len(line) <= 998


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_message_reads_back_whole_with_reply_to_and_unsubscribe_headers(kind: Kind) -> None:
    rendered = kind.render()
    message = email.message_from_bytes(_mime(kind), policy=email.policy.default)
    assert message["Reply-To"] == str(DEMO_SHOP.support_email)
    assert message["Subject"] == rendered.subject
    assert message["List-Unsubscribe"] == f"<{LINKS.unsubscribe}>"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content() == rendered.text
    assert html.get_content() == rendered.html + "\n"  # MIME ends a text part with a line break


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_plain_text_is_wrapped_at_78_with_urls_whole_and_a_signature_separator(kind: Kind) -> None:
    text = kind.render().text
    lines = text.splitlines()
    for line in lines:
        assert len(line) <= 78 or URL.search(line), line
        assert line == "-- " or line == line.rstrip(), repr(line)
    assert lines.count("-- ") == 1
    for url in (LINKS.cart, LINKS.unsubscribe):
        assert url in text, "a URL is never cut"
