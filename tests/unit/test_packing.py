"""How a document is packed for DynamoDB: smaller with the cart sample as zlib's dictionary,
and every document ever stored reads back (packed with it, without it, or as text)."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.adapters.packing import CART_SAMPLE, DICTIONARIES, packed, unpacked
from tests.conftest import T0
from tests.factories import realistic_cart

pytestmark = pytest.mark.unit


def test_the_cart_sample_never_changes_as_stored_carts_name_it_by_its_checksum() -> None:
    # Editing the sample would make every cart packed with it unreadable: add a new one
    # beside it instead (DICTIONARIES reads each by its checksum).
    assert zlib.adler32(CART_SAMPLE) == 0x739730D9
    assert list(DICTIONARIES.values()) == [CART_SAMPLE]


def test_a_realistic_cart_packs_to_well_under_what_zlib_alone_makes_of_it() -> None:
    document = realistic_cart(T0).model_dump_json(exclude_defaults=True)
    alone = zlib.compress(document.encode(), 6)
    assert len(packed(document)) < 0.75 * len(alone)
    assert unpacked({"docz": packed(document)}) == document


@given(st.text())
def test_any_text_reads_back_as_packed(document: str) -> None:
    assert unpacked({"docz": packed(document)}) == document


def test_documents_stored_before_the_dictionary_or_before_packing_read_back() -> None:
    document = '{"shop_id":"s","cart_id":"c"}'
    assert unpacked({"docz": zlib.compress(document.encode())}) == document
    assert unpacked({"doc": document}) == document


def test_a_document_naming_an_unknown_dictionary_fails_loudly() -> None:
    packer = zlib.compressobj(zdict=b'{"a newer sample":"this version does not know"}')
    data = packer.compress(b'{"shop_id":"s"}') + packer.flush()
    with pytest.raises(zlib.error, match="unknown dictionary"):
        unpacked({"docz": data})


def test_a_truncated_document_fails_loudly() -> None:
    data = packed(CART_SAMPLE.decode())
    with pytest.raises(zlib.error, match="truncated"):
        unpacked({"docz": data[: len(data) // 2]})
    for broken in (b"", b"x"):
        with pytest.raises(zlib.error):
            unpacked({"docz": broken})
