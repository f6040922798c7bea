"""Who may see and do what in the partnership. Deny by default.

Access is decided here and in the other rooms' access.py from `StaffMembership.role` (one role per
user, time-boxed by `valid_until`) and the user's institution, projects and teams -- never from
Django groups or permissions. The role groups and the custom permissions that used to be rebuilt
after every migrate were read by nothing (the Django admin is for superusers only), so they were
removed (migration 0003) rather than kept as a second, unchecked source of truth.

Services take the acting user (`by`) and check it with these predicates (the service is the rule);
views use `role_required(...)` for pages that belong to some roles only (403 for other roles,
login redirect for anonymous users); objects outside a user's scope are fetched through scoped
querysets and answer 404.
"""

from functools import cache, wraps
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Aggregate, CharField, Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.prepared import PreparedFilter
from support_network.models import Agreement, Institution, Notification, Project, Role, StaffMembership, Team

CASEWORK_ROLES = (Role.SOCIAL_WORKER, Role.MGI_MEMBER)
PROJECT_ROLES = (Role.COORDINATOR, Role.PROJECT_MANAGER, Role.AUDITOR)


def membership_of(user) -> StaffMembership | None:
    """The user's active membership (cached on the user object), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_cached_membership"):
        loaded = _membership_loaded_with(user)
        membership: StaffMembership | None
        if loaded is False:
            membership = (
                StaffMembership.objects.select_related("institution")
                .annotate(unread_notifications=unread_count())
                .filter(user=user)
                .first()
            )
        else:
            membership = loaded
            if membership is not None:  # counted in the user's query by StaffBackend.get_user
                membership.unread_notifications = getattr(user, "unread_notifications", 0)  # type: ignore[attr-defined]  # an annotation, as in the query above
        if membership is not None and not membership.is_active_on(timezone.localdate()):
            membership = None
        user._cached_membership = membership
    return user._cached_membership


def unread_count(user_ref: str = "user_id") -> Coalesce:
    """The user's unread notifications, counted in the membership's query (the navbar badge costs
    no query of its own); `user_ref` names the user's id in the outer query."""
    unread = (
        Notification.objects.filter(recipient=OuterRef(user_ref), read_at__isnull=True)
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def _membership_loaded_with(user) -> StaffMembership | None | Literal[False]:
    """The membership the authentication backend loaded with the user (`StaffBackend.get_user`
    selects it with its institution: one query per request for both), or False when it was not."""
    cached = user._state.fields_cache
    if "membership" not in cached:
        return False
    membership = cached["membership"]
    if membership is not None and "institution" not in membership._state.fields_cache:
        return False
    return membership


class JoinedIds(Aggregate):
    """The ids of a group joined by commas, in no particular order (PostgreSQL's `string_agg`,
    SQLite's `group_concat`)."""

    function = "STRING_AGG"
    template = "%(function)s((%(expressions)s)::text, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "%(function)s(%(expressions)s, ',')"
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", template=template, **extra_context)


def ids_joined(through, key: str, ids: str, outer_ref: str) -> Subquery:
    """The `ids` column of the `through` table's rows whose `key` is the outer query's `outer_ref`,
    joined by commas (NULL for none): a many-to-many relation read in its owner's query."""
    joined = through.objects.filter(**{key: OuterRef(outer_ref)}).values(key).annotate(ids=JoinedIds(ids)).values("ids")
    return Subquery(joined, output_field=CharField())


def team_ids_joined(user_ref: str = "user_id") -> Subquery:
    """The ids of the user's teams joined by commas (NULL for none), read in the session user's
    query by StaffBackend.get_user, so `team_ids_of` costs no query of its own; `user_ref` names
    the user's id in the outer query."""
    return ids_joined(Team.members.through, "user_id", "team_id", user_ref)


def team_ids_of(user) -> list[int]:
    """The ids of the user's teams, read once per request (cached on the user object; the session's
    user brings them from its query, `team_ids_joined`): scopes filter by this list instead of an
    OR with a subquery, which PostgreSQL cannot serve by the indexes."""
    if not hasattr(user, "_cached_team_ids"):
        if hasattr(user, "team_ids_joined"):  # an annotation of StaffBackend.get_user's query
            joined = user.team_ids_joined
            user._cached_team_ids = sorted(int(pk) for pk in joined.split(",")) if joined else []
        else:
            through = Team.members.through.objects.filter(user_id=user.pk)
            user._cached_team_ids = sorted(through.values_list("team_id", flat=True))
    return user._cached_team_ids


def project_ids_joined(user_ref: str = "user_id") -> Subquery:
    """The ids of the projects the user is staff of joined by commas (NULL for none), read in the
    session user's query by StaffBackend.get_user, so `joined_project_ids` costs no query;
    `user_ref` names the user's id in the outer query."""
    return ids_joined(Project.staff.through, "user_id", "project_id", user_ref)


def joined_project_ids(user) -> list[int] | None:
    """The ids of the projects the user is staff of as the session user's query brought them
    (`project_ids_joined`), in order; None for a user loaded otherwise (a service's `by`)."""
    if not hasattr(user, "project_ids_joined"):  # an annotation of StaffBackend.get_user's query
        return None
    joined = user.project_ids_joined
    return sorted(int(pk) for pk in joined.split(",")) if joined else []


def stand_in_user(marker: int, role: str, teams: tuple[int, ...]):
    """A user that the access rules read as a request's user: the marker of `core.prepared` as its
    id, the same role and teams (cached as `membership_of` and `team_ids_of` cache them), active. For
    a scoped query compiled once, each request putting its user's id in the marker's place. The
    membership carries the role only: a scope that read more of it would differ from the user's."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - the user model, known once apps are ready

    user = get_user_model()(pk=marker, is_active=True)
    user._cached_membership = StaffMembership(role=role)  # type: ignore[attr-defined]  # membership_of's cache
    user._cached_team_ids = list(teams)  # type: ignore[attr-defined]  # team_ids_of's cache
    return user


def projects_of(user) -> list[Project]:
    """The projects the user is staff of, by title, read once per request (cached on the user
    object): a page that lists them (a filter's options) and scopes by them pays one query, compiled
    once per connection (building it cost more than running it)."""
    if not hasattr(user, "_cached_projects"):
        user._cached_projects = _projects_of_user().rows(user.pk)
    return user._cached_projects


@cache
def _projects_of_user() -> PreparedFilter:
    return PreparedFilter(
        lambda pk: Project.objects.filter(staff=pk).order_by("title", "pk"),
        Project.staff.through._meta.get_field("user"),
    )


def project_ids_of(user) -> list[int]:
    """The ids of the projects the user is staff of (`projects_of`): a project scope over rows that
    store their project filters by this list."""
    return sorted(project.pk for project in projects_of(user))


def role_of(user) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def has_role(user, *roles) -> bool:
    role = role_of(user)
    return role is not None and role in roles and user.is_active


def role_required(*roles):
    """View decorator: only users whose (active) role is one of `roles` get in; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def projects_visible_to(user):
    """Projects a user works on: staff of the project, or an institution taking part in it."""
    membership = membership_of(user)
    if membership is None:
        return Project.objects.none()
    if membership.role in PROJECT_ROLES:
        return Project.objects.filter(staff=user)
    if membership.role == Role.ADMINISTRATOR:
        return Project.objects.all()
    institution = membership.institution_id
    return Project.objects.filter(Q(leader_id=institution) | Q(partners=institution)).distinct()


def institution_of(user) -> Institution | None:
    membership = membership_of(user)
    return membership.institution if membership else None


def teams_of(user):
    return Team.objects.filter(members=user)


# --- catalogue, agreements, teams -------------------------------------------------------------

AGREEMENT_MANAGERS = (Role.COORDINATOR, Role.PROJECT_MANAGER, Role.ADMINISTRATOR)


def can_view_catalogue(user) -> bool:
    """Every staff member with an active membership (partners check their own offer too)."""
    return membership_of(user) is not None and user.is_active


def agreements_visible_to(user):
    """Agreements their institution is a party to, or of the projects they work on."""
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return Agreement.objects.none()
    if membership.role == Role.ADMINISTRATOR:
        return Agreement.objects.all()
    as_party = Agreement.parties.through.objects.filter(institution_id=membership.institution_id).values("agreement_id")
    return Agreement.objects.filter(Q(pk__in=as_party) | Q(project__in=projects_visible_to(user).values("pk")))


def can_manage_agreements(user) -> bool:
    membership = membership_of(user)
    return membership is not None and user.is_active and membership.role in AGREEMENT_MANAGERS


def agreement_parties_for(user, agreement=None):
    """The institutions an agreement written by `user` may bind: their own institution and the
    leader and partners of the projects they coordinate or manage (the administrator: any). The
    parties an existing agreement already has stay allowed, so an old agreement can still be saved."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role not in AGREEMENT_MANAGERS:
        return Institution.objects.none()
    if membership.role == Role.ADMINISTRATOR:
        return Institution.objects.all()
    projects = projects_visible_to(user).values("pk")
    allowed = Q(pk=membership.institution_id) | Q(led_projects__in=projects) | Q(partner_projects__in=projects)
    if agreement is not None and agreement.pk:
        allowed |= Q(agreements=agreement)
    return Institution.objects.filter(allowed).distinct()


def teams_visible_to(user):
    """Teams the user belongs to, teams of their institution and of the projects they work on."""
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return Team.objects.none()
    if membership.role == Role.ADMINISTRATOR:
        return Team.objects.all()
    mine = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
    return Team.objects.filter(
        Q(pk__in=mine)
        | Q(institution_id=membership.institution_id)
        | Q(project__in=projects_visible_to(user).values("pk"))
    )


def can_record_meeting(user, team) -> bool:
    """Members record their team's meetings; so do the project's coordinators and managers."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role == Role.AUDITOR:
        return False
    if membership.role == Role.ADMINISTRATOR:
        return True
    if team.members.filter(pk=user.pk).exists():
        return True
    return (
        membership.role in (Role.COORDINATOR, Role.PROJECT_MANAGER)
        and team.project_id is not None
        and projects_visible_to(user).filter(pk=team.project_id).exists()
    )
