"""How long any one AWS call of the functions may take, and how it retries.

botocore's defaults (60 s to connect, 60 s to read, legacy retries) let one hung call outlive
a function, which then dies mid-step. Every client the functions build takes
:data:`CLIENT_CONFIG`; each function's timeout in ``template.yaml`` is at least
:func:`worst_call_seconds` (a test checks it), so a call always ends, by answer or by error,
while the function can still act on it. docs/architecture.md#timeouts explains the figures.
"""

from __future__ import annotations

from botocore.config import Config

CONNECT_TIMEOUT_SECONDS = 2
READ_TIMEOUT_SECONDS = 5
"""DynamoDB, Scheduler, SSM answer in milliseconds; SES sends in well under a second."""
MAX_ATTEMPTS = 3
"""The first try and two retries, in botocore's ``standard`` mode (throttling included)."""
POOL_CONNECTIONS = 20
"""Connections a client keeps open (botocore keeps 10): the api works on 16 carts of a batch
at once (services/ingest_batch.py), and a call finding the pool full opens a connection it
then drops, a TLS handshake each time."""
_STANDARD_BACKOFF_BASE = 2
_STANDARD_BACKOFF_CAP_SECONDS = 20

CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
    # total_max_attempts counts the first try; botocore reads a bare max_attempts as retries.
    retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    max_pool_connections=POOL_CONNECTIONS,
)


SEND_EMAIL_CONFIG = CLIENT_CONFIG.merge(Config(retries={"mode": "standard", "total_max_attempts": 1}))
"""SES sends are never retried by the SDK: after a read timeout the email may be out, and
botocore would send it again. The reminder decides (relance/adapters/mailer.py)."""


def worst_call_seconds() -> float:
    """The longest one call can last: every attempt times out, and the longest waits between."""
    attempts = MAX_ATTEMPTS * (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS)
    waits = sum(
        min(_STANDARD_BACKOFF_CAP_SECONDS, _STANDARD_BACKOFF_BASE**retry) for retry in range(MAX_ATTEMPTS - 1)
    )
    return float(attempts + waits)
