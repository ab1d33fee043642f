"""The stored form of a JSON document: zlib, with a typical cart as its preset dictionary.

DynamoDB bills a write per KB begun and a report reads every cart of a day. zlib alone cuts
a cart to about 40 % of its text; given a sample cart to refer to (field names, dates, the
shape of links), it cuts it to about 25 %, and with fixed Huffman codes (no code tables to
send and rebuild for a small document) it unpacks in half the time.

A packed document names its dictionary in its zlib header (the dictionary's Adler-32), so
:data:`CART_SAMPLE` must never change: a better sample would be added beside it, under its
own checksum, and documents packed before keep reading with theirs. Documents packed before
dictionaries, or stored as text before packing, read back too.
"""

from __future__ import annotations

import zlib

from relance.adapters.items import Item, text

CART_SAMPLE = (
    '{"shop_id":"boutique-exemple","cart_id":"c1f4e2a9b7d34e0f","status":"ordered","currency":"EUR",'
    '"total":"129.90","created_at":"2026-03-14T09:26:53.589000Z",'
    '"last_activity_at":"2026-03-14T09:41:07.123000Z","order":{"order_id":"5123456789012",'
    '"amount":"129.90","currency":"EUR","placed_at":"2026-03-14T18:05:41Z","credited_step":2,'
    '"credited_variant":"B","credit_reason":"clicked","via":"customer","credited_elsewhere":"c2",'
    '"holdout":true},"reminders":[{"step":1,"variant":"A","claimed_at":"2026-03-14T10:41:07.456000Z",'
    '"message_id":"0100018e3c6e8f2a-6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e-000000",'
    '"feedback":{"delivery":"2026-03-14T10:41:09Z","open":"2026-03-14T11:02:33Z",'
    '"click":"2026-03-14T11:02:51Z","click_cart":"2026-03-14T11:02:51Z",'
    '"click_product":"2026-03-14T11:03:10Z"}},{"step":2,"variant":"B",'
    '"claimed_at":"2026-03-15T09:41:07.789000Z",'
    '"message_id":"0100018e41945c1d-7c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f-000000","held_out":true,'
    '"unconfirmed":true,"feedback":{"delivery":"2026-03-15T09:41:10Z","bounce":"2026-03-15T09:41:12Z",'
    '"complaint":"2026-03-15T09:45:00Z","unsubscribe":"2026-03-15T09:46:00Z"}}],'
    '"eligible_at":"2026-03-14T09:41:07.123000Z","incentive":{"code":"RELANCE-7K2Q9P","kind":"percent",'
    '"value":"10","granted_at":"2026-03-17T09:41:08Z"},"flagged_at":"2026-03-14T09:41:08Z",'
    '"events_applied":14,"items":[{"sku":"TSHIRT-ORGANIC-BLUE-M","name":"T-shirt en coton bio, bleu,'
    ' taille M","quantity":2,"unit_price":"24.50",'
    '"image_url":"https://cdn.shopify.com/s/files/1/0123/4567/products/tshirt-bleu_800x800.jpg?v=1700000000",'
    '"product_url":"https://boutique-exemple.fr/products/t-shirt-coton-bio?variant=41234567890123",'
    '"category":"Vêtements > Hauts"},{"sku":"SAC-TOILE-NATUREL","name":"Sac en toile naturelle",'
    '"quantity":1,"unit_price":"80.90",'
    '"image_url":"https://boutique-exemple.fr/wp-content/uploads/2026/03/sac-toile-600x600.webp",'
    '"product_url":"https://boutique-exemple.fr/product/sac-en-toile-naturelle/",'
    '"category":"Accessoires"}],'
    '"restore_url":"https://boutique-exemple.fr/cart/c1f4e2a9b7d34e0f?key=0a1b2c3d4e5f",'
    '"customer":{"email":"claire.martin@example.fr","first_name":"Claire","locale":"fr-FR",'
    '"time_zone":"Europe/Paris","orders_count":3,"source":{"utm_source":"newsletter",'
    '"utm_medium":"email","utm_campaign":"soldes-printemps","referrer":"https://www.google.com/"},'
    '"marketing_consent":true},"customer_at":"2026-03-14T09:30:12.345000Z",'
    '"content_at":"2026-03-14T09:41:07.123000Z","checkout_started_at":"2026-03-14T09:38:41Z",'
    '"checkout_tokens":["c1f4e2a9b7d34e0f9a8b7c6d5e4f3a2b"],"emptied_at":"2026-03-14T09:35:00Z",'
    '"timer":{"step":3,"due_at":"2026-03-17T09:41:07Z"},"seen_event_ids":["hyratnys9KF1",'
    '"PJ5RjQfp7eEV","WbtuQqZkRe0l","iTL3BIjyVy1X"],"version":17}'
).encode()
"""A stored cart with every field filled (``Cart.model_dump_json(exclude_defaults=True)``)."""

DICTIONARIES = {zlib.adler32(CART_SAMPLE).to_bytes(4, "big"): CART_SAMPLE}
"""Every dictionary a stored document may name, by its Adler-32 (zlib's DICTID)."""

LEVEL = 6
MEMORY_LEVEL = 8  # zlib's default
PRESET_DICTIONARY = 0x20  # FDICT, the zlib header's flag that a dictionary id follows


def packed(document: str) -> bytes:
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, zlib.MAX_WBITS, MEMORY_LEVEL, zlib.Z_FIXED, CART_SAMPLE)
    return packer.compress(document.encode()) + packer.flush()


def unpacked(item: Item, name: str = "docz", legacy: str = "doc") -> str:
    """The JSON document of ``item``: packed (with a dictionary or without), or as text in
    items written before packing."""
    if name not in item:
        return text(item, legacy)
    data = bytes(item[name])  # boto3 gives a Binary, which bytes() reads
    if len(data) < 2 or not data[1] & PRESET_DICTIONARY:  # zlib names what is wrong with a short one
        return zlib.decompress(data).decode()
    dictionary = DICTIONARIES.get(data[2:6])
    if dictionary is None:
        raise zlib.error(f"{name} names an unknown dictionary (Adler-32 {data[2:6].hex()})")
    unpacker = zlib.decompressobj(zdict=dictionary)
    document = unpacker.decompress(data)
    if not unpacker.eof:
        raise zlib.error(f"{name} is truncated")
    return document.decode()
