#!/usr/bin/env bash
# Post one signed cart event to Relance. Usage:
#   RELANCE_URL=http://127.0.0.1:8080 SHOP=maison-lumiere SECRET=... bash docs/examples/post_event.sh
# Against a real deployment, use the stack's ApiUrl and sign with the current time
# (TS=$(date +%s)); the local runtime's clock is virtual, so ask it for the time.
set -euo pipefail
: "${RELANCE_URL:?}" "${SHOP:?}" "${SECRET:?}"
CART="${CART:-demo-cart-1}"
EMAIL="${EMAIL:-claire@example.fr}"

TS=$(curl -fsS "$RELANCE_URL/_local/time" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["now"])' || date +%s)
NOW=$(python3 -c "import datetime,sys; print(datetime.datetime.fromtimestamp($TS, datetime.timezone.utc).isoformat())")
BODY=$(cat <<JSON
{"events": [{
  "id": "evt-$CART-1", "type": "cart_updated", "occurred_at": "$NOW", "cart_id": "$CART",
  "currency": "EUR", "restore_url": "https://maison-lumiere.example/panier/$CART",
  "items": [{"sku": "LMP-OPALE", "name": "Lampe à poser Opale", "quantity": 1, "unit_price": "89.00",
             "image_url": "https://maison-lumiere.example/media/lmp-opale.jpg", "category": "luminaires"}],
  "customer": {"email": "$EMAIL", "first_name": "Claire", "locale": "fr-FR", "time_zone": "Europe/Paris"}
}]}
JSON
)
SIGNATURE=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.*= *//')

curl -sS -X POST "$RELANCE_URL/v1/events" \
  -H "Content-Type: application/json" \
  -H "X-Relance-Shop: $SHOP" \
  -H "X-Relance-Timestamp: $TS" \
  -H "X-Relance-Signature: v1=$SIGNATURE" \
  --data-binary "$BODY"
echo
