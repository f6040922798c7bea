"""core.crypto's decryptor reads exactly what cryptography's MultiFernet reads: the same clear text
for every token of any listed key, InvalidToken for every token MultiFernet refuses."""

import base64
import random

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured

from core.crypto import _Decryptor, decrypt, encrypt

KEYS = (Fernet.generate_key().decode(), Fernet.generate_key().decode())
MESSAGES = [b"", b"x", b"85010112345", b"a" * 15, b"b" * 16, b"c" * 17, b"d" * 32, "zażółć gęślą jaźń".encode(),
            bytes(range(256)) * 3]  # fmt: skip


def _refused(token: bytes) -> bool:
    with pytest.raises(InvalidToken):
        MultiFernet([Fernet(key) for key in KEYS]).decrypt(token)
    with pytest.raises(InvalidToken):
        _Decryptor(KEYS).decrypt(token)
    return True


@pytest.mark.parametrize("message", MESSAGES)
def test_every_listed_key_decrypts_as_multifernet_does(message):
    decryptor = _Decryptor(KEYS)
    for key in KEYS:
        token = Fernet(key).encrypt(message)
        assert decryptor.decrypt(token) == message == MultiFernet([Fernet(k) for k in KEYS]).decrypt(token)


def test_tampered_truncated_and_foreign_tokens_are_refused():
    rng = random.Random(7)
    for message in MESSAGES:
        token = Fernet(KEYS[1]).encrypt(message)
        raw = base64.urlsafe_b64decode(token)
        for position in range(len(raw)):
            tampered = bytearray(raw)
            tampered[position] ^= 1 << rng.randrange(8)
            assert _refused(base64.urlsafe_b64encode(bytes(tampered)))
        for cut in (1, 16, 32, 40):
            assert _refused(base64.urlsafe_b64encode(raw[:-cut]))
        assert _refused(base64.urlsafe_b64encode(raw + b"\0" * 16))
        assert _refused(Fernet(Fernet.generate_key()).encrypt(message))
    for garbage in (b"", b"!!!!", b"gAAAAA", b"not base64 at all"):
        assert _refused(garbage)


def test_decrypt_follows_the_configured_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEYS[0]]
    token = encrypt("85010112345")
    assert decrypt(token) == "85010112345"
    settings.FIELD_ENCRYPTION_KEYS = [KEYS[1], KEYS[0]]  # rotation under way: the old key still decrypts
    assert decrypt(token) == "85010112345"
    settings.FIELD_ENCRYPTION_KEYS = [KEYS[1]]  # the old key removed too early
    with pytest.raises(ImproperlyConfigured):
        decrypt(token)
