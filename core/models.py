"""The one table of the ground floor: the one-time tokens of create forms (core.once).

Not a domain record: a token, who used it and where the first submit led. It is kept so that a
repeated submit of the same form (a double click, a resend after a timeout) is answered with the
record the first one created instead of a second record."""

from django.db import models


class FormSubmission(models.Model):
    token = models.CharField(max_length=32, unique=True)
    user_id = models.PositiveIntegerField()  # no foreign key: core knows no room, the users live higher up
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"form {self.token[:8]}… of user {self.user_id}"
