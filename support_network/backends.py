from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.prepared import PreparedGet
from support_network.access import project_ids_joined, team_ids_joined, unread_count


@cache
def _session_user() -> PreparedGet:
    """The query of `StaffBackend.get_user`, compiled once per connection (every request runs it)."""
    user_model = get_user_model()
    return PreparedGet(
        lambda pk: (
            user_model._default_manager.select_related("membership__institution")
            .annotate(unread_notifications=unread_count("pk"))  # the navbar's badge, same query
            .annotate(team_ids_joined=team_ids_joined("pk"))  # the teams' scope (access.team_ids_of)
            .annotate(project_ids_joined=project_ids_joined("pk"))  # a project scope (access.joined_project_ids)
            .filter(pk=pk)
        ),
        user_model._meta.pk,
        plan_kept=True,  # planned ~0.4 ms, run ~0.1 ms: its plan is kept (docs/performance/frame.md)
    )


class StaffBackend(ModelBackend):
    """Django's model backend that refuses demo accounts when DEBUG is off."""

    def get_user(self, user_id):
        """The user of a session with their membership and its institution in the same query (the
        membership is read on every request: here, and by every access check through
        `support_network.access.membership_of`), the count of unread notifications, the ids of the
        user's teams (`support_network.access.team_ids_of`) and of their projects
        (`support_network.access.joined_project_ids`)."""
        user = _session_user().get(user_id)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        if not settings.DEBUG:
            membership = getattr(user, "membership", None)
            if membership is not None and membership.is_demo:
                return False
        return super().user_can_authenticate(user)
