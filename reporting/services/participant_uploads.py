"""The uploaded participant file kept between its preview and the manager's commit or cancel.

The page never asks for the file twice: the upload is stored (encrypted, see
reporting.models.uploads) under an unguessable token with its preview; the commit reads it back
and checks it again on the locked project. Expired uploads are deleted whenever a new one is
stored and hourly by the `reporting.tasks.purge_participant_uploads` task.
"""

import base64
import hashlib
import io
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.importing.reader import Deadline
from reporting.importing.rows import RowError
from reporting.models import ParticipantUpload
from reporting.models.uploads import UPLOAD_TTL
from reporting.services.participant_import import (
    ImportPreview,
    ImportRejected,
    ImportSummary,
    participants_import,
    participants_preview,
)


class PreviewOutdated(Exception):
    """The project's data changed since the preview: the commit would not do what was shown."""

    def __init__(self, preview: ImportPreview):
        super().__init__("preview outdated")
        self.preview = preview


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"reporting.participant-upload:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def uploads_purge_expired() -> int:
    deleted, _by_model = ParticipantUpload.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def upload_preview(*, project, data: bytes, filename: str, by, deadline: Deadline) -> tuple[ImportPreview, str]:
    """Check the file and keep it (with its preview) for the commit. Returns (preview, token); the
    token is empty when the file as a whole was refused (nothing is kept then)."""
    preview = participants_preview(project=project, fileobj=io.BytesIO(data), filename=filename, by=by,
                                   deadline=deadline)  # fmt: skip
    if preview.file_errors:
        return preview, ""
    uploads_purge_expired()
    token = secrets.token_urlsafe(32)
    ParticipantUpload.objects.create(
        token=token, project=project, uploaded_by=by, filename=filename[:200], preview=preview.as_dict(),
        content=_fernet().encrypt(data), expires_at=timezone.now() + UPLOAD_TTL,
    )  # fmt: skip
    return preview, token


def upload_find(*, project, token: str, by) -> ParticipantUpload | None:
    """The caller's own unexpired upload for this project, else None."""
    return (
        ParticipantUpload.objects.filter(project=project, token=token, uploaded_by=by, expires_at__gt=timezone.now())
        .defer("content")
        .first()
    )


def upload_discard(upload: ParticipantUpload) -> None:
    ParticipantUpload.objects.filter(pk=upload.pk).delete()


def upload_commit(*, upload: ParticipantUpload, by, deadline: Deadline) -> ImportSummary:
    """Commit the stored file (all or nothing) and forget it, provided the project still gives the
    preview's plan; otherwise PreviewOutdated with the new preview (stored in place of the old one)."""
    stored = ParticipantUpload.objects.get(pk=upload.pk)
    try:
        data = _fernet().decrypt(bytes(stored.content))
    except InvalidToken:  # SECRET_KEY changed since the upload: the file cannot be read back
        stored.delete()
        message = _("Zapisanego pliku nie można już odczytać – wgraj go ponownie.")
        raise ImportRejected([RowError(1, 0, "", message)]) from None
    project, filename = stored.project, stored.filename

    def preview(effect: bool) -> ImportPreview:
        return participants_preview(project=project, fileobj=io.BytesIO(data), filename=filename, by=by,
                                    deadline=deadline, effect=effect)  # fmt: skip

    if _plan_of(preview(effect=False)) != _plan_of(ImportPreview.from_dict(stored.preview)):
        fresh = preview(effect=True)
        stored.preview = fresh.as_dict()
        stored.save(update_fields=["preview"])
        raise PreviewOutdated(fresh)
    with transaction.atomic():
        summary = participants_import(project=project, fileobj=io.BytesIO(data), filename=filename, by=by,
                                      deadline=deadline)  # fmt: skip
        stored.delete()
    return summary


def _plan_of(preview: ImportPreview) -> tuple:
    return (
        tuple((p.row, p.action, p.participation_id, tuple(p.changes), p.new_outcomes) for p in preview.plans),
        tuple(preview.refused_rows),
    )
