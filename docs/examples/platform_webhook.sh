#!/usr/bin/env bash
# Deliver a webhook to Relance as Shopify or WooCommerce does: the payload file as body, and
# base64(HMAC-SHA256(webhook secret, body)) in the platform's signature header. Usage:
#   RELANCE_URL=http://127.0.0.1:8080 SHOP=maison-lumiere WEBHOOK_SECRET=... \
#     bash docs/examples/platform_webhook.sh shopify checkouts/create \
#       tests/connectors/payloads/shopify/checkouts_create.json
#   ... bash docs/examples/platform_webhook.sh woocommerce order.created my-order.json
set -euo pipefail
: "${RELANCE_URL:?}" "${SHOP:?}" "${WEBHOOK_SECRET:?}"
PLATFORM="${1:?shopify or woocommerce}"; TOPIC="${2:?topic}"; FILE="${3:?payload file}"
SIGNATURE=$(openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" -binary < "$FILE" | base64)
case "$PLATFORM" in
  shopify) HEADERS=(-H "X-Shopify-Topic: $TOPIC" -H "X-Shopify-Hmac-Sha256: $SIGNATURE"
                    -H "X-Shopify-Webhook-Id: example-$(date +%s%N)") ;;
  woocommerce) HEADERS=(-H "X-WC-Webhook-Topic: $TOPIC" -H "X-WC-Webhook-Signature: $SIGNATURE"
                        -H "X-WC-Webhook-Source: https://maison-lumiere.example/") ;;
  *) echo "platform: shopify or woocommerce" >&2; exit 2 ;;
esac
curl -sS -X POST "$RELANCE_URL/v1/webhooks/$PLATFORM/$SHOP" \
  -H "Content-Type: application/json" "${HEADERS[@]}" --data-binary "@$FILE"
echo
