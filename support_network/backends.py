from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    """Django's model backend that refuses demo accounts when DEBUG is off."""

    def user_can_authenticate(self, user):
        if not settings.DEBUG:
            membership = getattr(user, "membership", None)
            if membership is not None and membership.is_demo:
                return False
        return super().user_can_authenticate(user)
