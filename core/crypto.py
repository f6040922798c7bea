"""Encryption at rest for PESELs and special-category answers, and the keyed PESEL hash.

- `EncryptedTextField`: the value is stored as a Fernet token (AES-128-CBC + HMAC-SHA256, from the
  `cryptography` package) under the first key of `FIELD_ENCRYPTION_KEYS`; every key of the list
  decrypts (MultiFernet), so a new key can be put first while the rows written under the old one
  stay readable until `manage.py rotate_encryption_keys` has re-encrypted them. An empty value stays
  empty (so "has no PESEL" constraints still work); a ciphertext cannot be searched or compared, so
  the field refuses every lookup except `isnull` and `= ''`.
- `KeyedHashField`: HMAC-SHA256 of another field of the same row under the first key of
  `PESEL_HASH_KEYS` (a key separate from the encryption keys), kept in step on every save and
  bulk_create. Equality lookups (search, duplicate checks, uniqueness constraints) go through it;
  `keyed_hashes` gives the value's hash under every listed key, so lookups keep working while a
  rotation of the hash key is under way.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull


def key_problems() -> list[str]:
    """What is wrong with the configured keys (empty when nothing is)."""
    problems = []
    if not settings.FIELD_ENCRYPTION_KEYS:
        problems.append("FIELD_ENCRYPTION_KEYS is not set; it is required with DEBUG off (docs/security.md).")
    else:
        try:
            _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))
        except ValueError:
            problems.append("FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key (32 bytes, url-safe base64).")
    if not settings.PESEL_HASH_KEYS:
        problems.append("PESEL_HASH_KEYS is not set; it is required with DEBUG off (docs/security.md).")
    elif any(len(key) < 32 for key in settings.PESEL_HASH_KEYS):
        problems.append("Every key of PESEL_HASH_KEYS needs at least 32 characters.")
    return problems


def require_keys() -> None:
    """Stop the process when a key is missing or malformed: the web app (config/wsgi.py), the Celery
    worker (config/celery.py) and every management command that runs the system checks."""
    if problems := key_problems():
        raise ImproperlyConfigured(" ".join(problems))


def check_keys(**kwargs) -> list[checks.Error]:
    """System check core.E001 (registered in core/apps.py)."""
    return [checks.Error(problem, id="core.E001") for problem in key_problems()]


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _cipher() -> MultiFernet:
    if not settings.FIELD_ENCRYPTION_KEYS:
        require_keys()
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _cipher().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with any key of FIELD_ENCRYPTION_KEYS (a key removed before "
            "rotate_encryption_keys finished, or a wrong key)."
        ) from None


def rotate(token: str) -> str:
    """The same value encrypted under the current (first) key."""
    return _cipher().rotate(token.encode("ascii")).decode("ascii")


def keyed_hashes(value: str) -> list[str]:
    """The value's HMAC-SHA256 under every key of PESEL_HASH_KEYS, the current one first ('' for '')."""
    if not value:
        return [""]
    if not settings.PESEL_HASH_KEYS:
        require_keys()
    return [hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest() for key in settings.PESEL_HASH_KEYS]


def keyed_hash(value: str) -> str:
    return keyed_hashes(value)[0]


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError("An encrypted field can only be compared with '': look the value up by its keyed hash.")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text encrypted at rest (see the module docstring); `max_length` and `choices` apply to the clear value."""

    def get_lookup(self, lookup_name):
        return {"exact": _EmptyOnlyExact, "isnull": IsNull}.get(lookup_name)

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): its values come back here one by one
            return value
        value = self.get_prep_value(value)
        return encrypt(value) if value else value


class KeyedHashField(models.CharField):
    """HMAC of the field named `source` of the same row, computed on save (never edited by hand)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.update(max_length=64, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "blank", "editable"):
            kwargs.pop(key, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = keyed_hash(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def with_hash_fields(instance: models.Model, kwargs: dict) -> dict:
    """save() kwargs where `update_fields` also names the hash of every source field it names."""
    if (fields := kwargs.get("update_fields")) is None:
        return kwargs
    hashes = {f.name for f in instance._meta.concrete_fields if isinstance(f, KeyedHashField) and f.source in fields}
    return {**kwargs, "update_fields": {*fields, *hashes}} if hashes else kwargs


def encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def hash_fields(model) -> list[KeyedHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
