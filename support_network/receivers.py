"""Signal receivers of the partnership room: a new notification is e-mailed after the commit (to
recipients who asked for e-mail; the task checks the choice). Services never import tasks."""

from django.db.models.signals import post_save

from support_network.models import Notification, StaffMembership
from support_network.tasks import notification_email_after_commit


def _notification_saved(sender, instance, created, **kwargs):
    if created and StaffMembership.objects.filter(user_id=instance.recipient_id, email_notifications=True).exists():
        notification_email_after_commit(instance.pk)


def connect() -> None:
    post_save.connect(_notification_saved, sender=Notification, dispatch_uid="notification-email")
