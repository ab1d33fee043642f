#!/usr/bin/env bash
# Send a signed request of a shop to Relance: its settings (policy, texts, templates). Usage:
#   RELANCE_URL=http://127.0.0.1:8080 SHOP=maison-lumiere SECRET=... \
#     bash docs/examples/signed.sh PUT /v1/policy docs/examples/policy.json
#   ... bash docs/examples/signed.sh GET /v1/policy
# The signature is the same as for events: HMAC-SHA256 over "<timestamp>.<raw body>".
set -euo pipefail
: "${RELANCE_URL:?}" "${SHOP:?}" "${SECRET:?}"
METHOD="${1:?method}"; ROUTE="${2:?route}"; FILE="${3:-}"
BODY=""
[ -n "$FILE" ] && BODY=$(cat "$FILE")
TS=$(curl -fsS "$RELANCE_URL/_local/time" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])' || date +%s)
SIGNATURE=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.*= *//')
curl -sS -X "$METHOD" "$RELANCE_URL$ROUTE" \
  -H "Content-Type: application/json" \
  -H "X-Relance-Shop: $SHOP" \
  -H "X-Relance-Timestamp: $TS" \
  -H "X-Relance-Signature: v1=$SIGNATURE" \
  ${FILE:+--data-binary "$BODY"}
echo
