"""A participant file waiting between its preview and the manager's decision (commit or cancel).

The file is kept server-side, encrypted (Fernet, a key derived from SECRET_KEY: a database dump
alone does not reveal the PESELs in it), for UPLOAD_TTL at most; commit, cancel and expiry delete
it. Only the user who uploaded it can see, commit or cancel it (others get 404).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

UPLOAD_TTL = dt.timedelta(hours=1)


class ParticipantUpload(models.Model):
    token = models.CharField(max_length=64, unique=True)
    project = models.ForeignKey("support_network.Project", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("plik"), max_length=200)
    content = models.BinaryField()  # encrypted
    preview = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("plik uczestników do zatwierdzenia")
        verbose_name_plural = _("pliki uczestników do zatwierdzenia")

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
