"""The data step of the migrations that encrypt existing columns (families 0005, reporting 0005).

Used between an AlterField to a plain TextField (so a token fits) and the AlterField to
`EncryptedTextField` (state only): encrypts every non-empty value under the current key and fills
the keyed-hash columns; the reverse decrypts and empties the hashes, so the migrations are reversible
as long as a key that encrypted the rows is still in FIELD_ENCRYPTION_KEYS.
"""

from django.db import migrations

from core.crypto import decrypt, encrypt, keyed_hash

BATCH = 500


def _convert(model, fields: list[str], hashes: dict[str, str], *, forward: bool) -> None:
    transform = encrypt if forward else decrypt
    batch = []
    names = sorted({*fields, *hashes})
    for obj in model._base_manager.order_by("pk").only("pk", *names).iterator(chunk_size=BATCH):
        for hash_field, source in hashes.items():
            setattr(obj, hash_field, keyed_hash(getattr(obj, source) or "") if forward else "")
        for name in fields:
            if value := getattr(obj, name):
                setattr(obj, name, transform(value))
        batch.append(obj)
        if len(batch) == BATCH:
            model._base_manager.bulk_update(batch, names)
            batch = []
    if batch:
        model._base_manager.bulk_update(batch, names)


def encrypt_columns(app_label: str, model_name: str, fields: list[str], hashes: dict[str, str] | None = None):
    """A reversible RunPython: `fields` encrypted, `hashes` ({hash column: source column}) filled."""

    def run(apps, _schema_editor, *, forward):
        _convert(apps.get_model(app_label, model_name), fields, hashes or {}, forward=forward)

    return migrations.RunPython(
        lambda apps, editor: run(apps, editor, forward=True), lambda apps, editor: run(apps, editor, forward=False)
    )
