"""The encryption envelope and key ring of assist/storage/crypto.py, as an operator meets them: a
changed or moved value is refused, a wrong or malformed key names the fix, an old key still opens."""

from __future__ import annotations

import base64

import pytest

from assist.storage import crypto
from assist.storage.crypto import DataKeyError, KeyRing, TamperedData

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))
PLACE = "drafts.answers:7"


def test_a_value_opens_only_in_its_own_place_and_with_its_own_key():
    ring = KeyRing([KEY_A])
    sealed = ring.seal("Flat 2, 10 High Street — café", PLACE)
    assert sealed.startswith("enc1:" + crypto.key_id(KEY_A) + ":")
    assert "High Street" not in sealed
    assert ring.open(sealed, PLACE) == "Flat 2, 10 High Street — café"
    with pytest.raises(TamperedData, match="drafts.answers:8: the encrypted data failed its integrity check"):
        ring.open(sealed, "drafts.answers:8")
    assert ring.seal("x", PLACE) != ring.seal("x", PLACE)  # a fresh nonce every time


def test_every_changed_character_of_a_value_is_refused():
    ring = KeyRing([KEY_A])
    sealed = ring.seal("answer", PLACE)
    head = len("enc1:") + 8
    raw = base64.b64decode(sealed[head + 1:])
    for position in range(len(raw)):
        changed = raw[:position] + bytes([raw[position] ^ 0x40]) + raw[position + 1:]
        with pytest.raises(TamperedData):
            ring.open(sealed[:head + 1] + base64.b64encode(changed).decode(), PLACE)
    with pytest.raises(TamperedData, match="integrity check"):
        ring.open(sealed[:head] + ";" + sealed[head + 1:], PLACE)
    short = ring.seal("", PLACE)
    raw = base64.b64decode(short[head + 1:])
    assert len(raw) == 12 + 16
    with pytest.raises(TamperedData, match="integrity check"):
        ring.open(short[:head + 1] + base64.b64encode(raw[:27]).decode(), PLACE)
    with pytest.raises(TamperedData, match="integrity check"):
        ring.open(sealed[:head + 1] + "!!!", PLACE)
    with pytest.raises(TamperedData, match=f"{PLACE}: expected encrypted data, found something else"):
        ring.open("answer", PLACE)


def test_a_value_sealed_with_a_key_not_given_names_both_keys():
    sealed = KeyRing([KEY_B]).seal("answer", PLACE)
    ring = KeyRing([KEY_A])
    message = (f"{PLACE}: encrypted with data key {crypto.key_id(KEY_B)}, which is not among the keys given "
               f"({crypto.key_id(KEY_A)})")
    with pytest.raises(DataKeyError) as caught:
        ring.open(sealed, PLACE)
    assert str(caught.value) == message
    assert not ring.holds_key_of(sealed)
    assert KeyRing([KEY_B]).holds_key_of(sealed)


def test_a_new_key_seals_and_every_old_key_still_opens():
    old = KeyRing([KEY_A])
    before = old.seal("before", PLACE)
    ring = old.with_new_key(KEY_B)
    assert ring.current_id == crypto.key_id(KEY_B)
    assert ring.ids == (crypto.key_id(KEY_B), crypto.key_id(KEY_A))
    assert ring.open(before, PLACE) == "before"
    after = ring.seal("after", PLACE)
    assert crypto.sealed_key_id(after) == crypto.key_id(KEY_B)
    assert KeyRing([KEY_B]).open(after, PLACE) == "after"
    both = KeyRing([KEY_A, KEY_B, KEY_A])
    assert both.ids == (crypto.key_id(KEY_A), crypto.key_id(KEY_B))
    assert both.current_id == crypto.key_id(KEY_A)
    with pytest.raises(DataKeyError, match="a key ring needs at least one data key"):
        KeyRing([])


def test_files_are_sealed_as_bytes_with_the_same_checks():
    ring = KeyRing([KEY_A])
    sealed = ring.seal_bytes(b"%PDF-1.7 signature", "uploads:3")
    head = len("enc1:") + 9
    assert sealed[:head] == f"enc1:{crypto.key_id(KEY_A)}:".encode()
    assert ring.open_bytes(sealed, "uploads:3") == b"%PDF-1.7 signature"
    with pytest.raises(TamperedData, match="uploads:4: the encrypted data failed its integrity check"):
        ring.open_bytes(sealed, "uploads:4")
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(TamperedData, match="integrity check"):
        ring.open_bytes(flipped, "uploads:3")
    with pytest.raises(TamperedData, match="integrity check"):
        ring.open_bytes(sealed[:head - 1] + b";" + sealed[head:], "uploads:3")
    empty = ring.seal_bytes(b"", "uploads:3")
    assert len(empty) == head + 12 + 16
    assert ring.open_bytes(empty, "uploads:3") == b""
    with pytest.raises(TamperedData, match="integrity check"):
        ring.open_bytes(empty[:-1], "uploads:3")
    for not_sealed in (b"%PDF", "enc1:text", b"enc1:1234567"):
        with pytest.raises(TamperedData, match="uploads:3: expected encrypted data, found something else"):
            ring.open_bytes(not_sealed, "uploads:3")
    other = KeyRing([KEY_B]).seal_bytes(b"x", "uploads:3")
    with pytest.raises(DataKeyError) as caught:
        ring.open_bytes(other, "uploads:3")
    assert str(caught.value) == (f"uploads:3: encrypted with data key {crypto.key_id(KEY_B)}, which is not among "
                                 f"the keys given ({crypto.key_id(KEY_A)})")


def test_a_key_file_must_hold_exactly_32_bytes_of_base64_and_says_how_to_make_one():
    assert crypto.decode_key("  " + crypto.encode_key(KEY_A) + "\n", "key file") == KEY_A
    assert len(crypto.encode_key(KEY_A)) == 44
    assert len(crypto.new_key()) == 32 and crypto.new_key() != crypto.new_key()
    fix = ("key file: not a data key (expected 32 random bytes in base64; make one with: python3 -c "
           "'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')")
    for bad in ("", "not base64!", crypto.encode_key(KEY_A[:31]), crypto.encode_key(KEY_A + b"x"),
                crypto.encode_key(KEY_A)[:-1] + "*"):
        with pytest.raises(DataKeyError) as caught:
            crypto.decode_key(bad, "key file")
        assert str(caught.value) == fix


def test_key_ids_are_eight_hex_digits_that_tell_keys_apart():
    assert crypto.key_id(KEY_A) == crypto.key_id(bytes(KEY_A))
    assert len(crypto.key_id(KEY_A)) == 8 and int(crypto.key_id(KEY_A), 16) >= 0
    assert crypto.key_id(KEY_A) != crypto.key_id(KEY_B)
    import hashlib
    assert crypto.key_id(KEY_A) == hashlib.sha256(b"assist data key id\0" + KEY_A).hexdigest()[:8]
    assert crypto.is_sealed("enc1:abc") and not crypto.is_sealed("enc2:abc") and not crypto.is_sealed(b"enc1:")
    assert crypto.sealed_key_id("enc1:0123abcd:rest") == "0123abcd"


def test_values_stored_by_earlier_versions_still_open():
    """The envelope format is fixed by the data already kept: nonce, ciphertext and tag in base64, and the
    associated data ``enc1|<key id>|<place>`` binding it to its row."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    identifier = crypto.key_id(KEY_A)
    nonce = bytes(12)
    body = AESGCM(KEY_A).encrypt(nonce, "stored answer".encode(), f"enc1|{identifier}|{PLACE}".encode())
    stored = f"enc1:{identifier}:" + base64.b64encode(nonce + body).decode()
    assert KeyRing([KEY_A]).open(stored, PLACE) == "stored answer"
    assert KeyRing([KEY_A]).open_bytes(f"enc1:{identifier}:".encode() + nonce + body, PLACE) == b"stored answer"
    sealed = KeyRing([KEY_A]).seal("new answer", PLACE)
    raw = base64.b64decode(sealed.split(":", 2)[2])
    assert AESGCM(KEY_A).decrypt(raw[:12], raw[12:], f"enc1|{identifier}|{PLACE}".encode()) == b"new answer"
    sealed_file = KeyRing([KEY_A]).seal_bytes(b"file", PLACE)
    head = len(f"enc1:{identifier}:")
    assert AESGCM(KEY_A).decrypt(sealed_file[head:head + 12], sealed_file[head + 12:],
                                 f"enc1|{identifier}|{PLACE}".encode()) == b"file"


TAMPERED = "{}: the encrypted data failed its integrity check (changed outside assist, or copied from another row); " \
           "it was not used"


def test_refusals_say_exactly_what_happened_and_name_every_key_given():
    ring = KeyRing([KEY_A])
    sealed = ring.seal("answer", PLACE)
    head = len("enc1:") + 9
    with pytest.raises(TamperedData) as caught:
        ring.open(sealed, "drafts.answers:8")
    assert str(caught.value) == TAMPERED.format("drafts.answers:8")
    with pytest.raises(TamperedData) as caught:  # a stray character inside the base64 is a change too
        ring.open(sealed[:head + 8] + "!" + sealed[head + 8:], PLACE)
    assert str(caught.value) == TAMPERED.format(PLACE)
    assert ring.open(ring.seal("", PLACE), PLACE) == ""  # the shortest envelope: nonce and tag only
    file = ring.seal_bytes(b"x", PLACE)
    with pytest.raises(TamperedData) as caught:
        ring.open_bytes(file[:-1] + bytes([file[-1] ^ 1]), PLACE)
    assert str(caught.value) == TAMPERED.format(PLACE)
    with pytest.raises(TamperedData) as caught:  # the key's name and nothing after it
        ring.open_bytes(file[:head], PLACE)
    assert str(caught.value) == TAMPERED.format(PLACE)
    with pytest.raises(DataKeyError) as caught:  # a key name that is not text
        ring.open_bytes(b"enc1:\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8:" + bytes(40), PLACE)
    assert str(caught.value).startswith(f"{PLACE}: encrypted with data key ")
    two = KeyRing([KEY_B, bytes(32)])
    third = KeyRing([bytes(range(2, 34))])
    given = f"{crypto.key_id(KEY_B)}, {crypto.key_id(bytes(32))}"
    for opener, value in ((two.open, third.seal("x", PLACE)), (two.open_bytes, third.seal_bytes(b"x", PLACE))):
        with pytest.raises(DataKeyError) as caught:
            opener(value, PLACE)
        assert str(caught.value).endswith(f"which is not among the keys given ({given})")
    with pytest.raises(DataKeyError) as caught:
        KeyRing([])
    assert str(caught.value) == "a key ring needs at least one data key"


def test_a_key_with_a_stray_character_is_refused():
    text = crypto.encode_key(KEY_A)
    with pytest.raises(DataKeyError, match="key file: not a data key"):
        crypto.decode_key(text[:20] + "*" + text[20:], "key file")
