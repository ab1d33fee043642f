from __future__ import annotations

from datetime import timedelta

import pytest

from relance.core.security.signing import FRESHNESS_SECONDS, AuthError, signature, verify
from tests.conftest import T0

pytestmark = pytest.mark.unit
BODY = b'{"events": []}'
TS = int(T0.timestamp())


def test_a_fresh_signature_over_the_exact_body_is_accepted() -> None:
    verify("s3cret", str(TS), signature("s3cret", TS, BODY), BODY, T0 + timedelta(seconds=30))


@pytest.mark.parametrize(
    ("secret", "timestamp", "body", "now_offset", "reason"),
    [
        ("other", TS, BODY, 0, "does not match"),
        ("s3cret", TS, BODY + b" ", 0, "does not match"),
        ("s3cret", TS, BODY, FRESHNESS_SECONDS + 1, "more than"),
        ("s3cret", TS, BODY, -(FRESHNESS_SECONDS + 1), "more than"),
    ],
)
def test_wrong_secret_tampered_body_or_stale_request_is_refused(
    secret: str, timestamp: int, body: bytes, now_offset: int, reason: str
) -> None:
    signed = signature("s3cret", TS, BODY)
    with pytest.raises(AuthError) as raised:
        verify(secret, str(timestamp), signed, body, T0 + timedelta(seconds=now_offset))
    assert reason in raised.value.reason


def test_a_replayed_signature_with_a_new_timestamp_is_refused() -> None:
    signed = signature("s3cret", TS, BODY)
    with pytest.raises(AuthError):
        verify("s3cret", str(TS + 60), signed, BODY, T0)


@pytest.mark.parametrize(("timestamp", "signed"), [(None, "v1=ab"), ("123", None), ("soon", "v1=ab")])
def test_missing_or_malformed_headers_are_refused(timestamp: str | None, signed: str | None) -> None:
    with pytest.raises(AuthError):
        verify("s3cret", timestamp, signed, BODY, T0)


@pytest.mark.parametrize("signed", ["v1=é", "v1=" + "ï" * 64, "\u200b"])
def test_a_signature_header_with_non_ascii_text_is_refused_not_a_crash(signed: str) -> None:
    # hmac.compare_digest raises TypeError on non-ASCII str: that was a 500.
    with pytest.raises(AuthError):
        verify("secret", str(int(T0.timestamp())), signed, b"{}", T0)
