"""Link tokens: signed, expiring, naming a cart but never a destination."""

from __future__ import annotations

from datetime import timedelta

import pytest

from relance.core.security.tokens import ExpiredToken, InvalidToken, click_claims, make_token, read_token
from tests.conftest import T0

pytestmark = pytest.mark.unit
KEY = b"k" * 64


def test_a_token_reads_back_its_claims_until_it_expires() -> None:
    claims = click_claims("shop", "cart/with spaces & ünïcode", 2, T0)
    token = make_token(KEY, claims)
    assert read_token(KEY, token, T0 + timedelta(days=59)) == claims
    with pytest.raises(ExpiredToken):
        read_token(KEY, token, T0 + timedelta(days=61))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: t.split(".")[0],  # no signature
        lambda t: "",
        lambda t: "not.a-token",
        lambda t: t + "==.x",
    ],
)
def test_a_tampered_token_is_invalid(tamper) -> None:  # type: ignore[no-untyped-def]
    token = make_token(KEY, click_claims("shop", "cart", 1, T0))
    with pytest.raises(InvalidToken):
        read_token(KEY, tamper(token), T0)


def test_a_token_signed_with_another_key_is_invalid() -> None:
    token = make_token(b"other" * 10, click_claims("shop", "cart", 1, T0))
    with pytest.raises(InvalidToken):
        read_token(KEY, token, T0)


def test_a_token_names_no_url() -> None:
    token = make_token(KEY, click_claims("shop", "cart", 1, T0))
    assert "http" not in token and "/" not in token
