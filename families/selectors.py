"""Read queries shared by the pages of this room, scoped to the user, with a constant number of
queries whatever the number of families, members and visits."""

import datetime as dt
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    Field,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.functional import Promise

from core.crypto import keyed_hashes
from families.access import families_visible_to, persons_visible_to
from families.codes import SENSITIVE_REASONS, Generation, Relation
from families.models import (
    Assessment,
    AssessmentKind,
    Family,
    FamilyReason,
    FamilyStatus,
    Instrument,
    Person,
)


def caseload(user, *, today: dt.date | None = None):
    """The user's families with the head's name, the number of members, the last visit and the
    next visit due (the latest visit's "next visit" date, both stored on the family by the visit
    service), `is_overdue` when that date has passed."""
    today = today or timezone.localdate()
    head = (
        Person.objects.filter(family=OuterRef("pk"))
        .annotate(is_head=Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1)))
        .order_by("is_head", "generation", "birth_date", "pk")
        .annotate(full=Concat("last_name", Value(" "), "first_name"))
    )
    members = (
        Person.objects.filter(family=OuterRef("pk")).order_by().values("family").annotate(n=Count("pk")).values("n")
    )
    return (
        families_visible_to(user)
        .select_related("project", "social_worker", "team")
        .annotate(
            head_name=Subquery(head.values("full")[:1]),
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        )
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(next_visit_due__lt=today) & ~Q(status=FamilyStatus.CLOSED), output_field=BooleanField()
            )
        )
        .order_by(Case(When(is_overdue=True, then=Value(0)), default=Value(1)), "next_visit_due", "case_number")
    )


def search_families(queryset, text: str):
    """Search by case number, a member's whole PESEL (matched by its keyed hash: PESELs are encrypted,
    so a part of one finds nothing) or a member's name (every word must match the first or last name
    of the same member). Sensitive answers are never searched."""
    text = (text or "").replace("\x00", "").strip()[:100]
    if not text:
        return queryset
    if text.isdigit():
        pesel = Person.objects.filter(family=OuterRef("pk"), pesel_hash__in=keyed_hashes(text))
        return queryset.filter(Q(Exists(pesel)) | Q(case_number__icontains=text))
    name = Q()
    for word in text.split()[:5]:
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    by_name = Person.objects.filter(name, family=OuterRef("pk"))
    return queryset.filter(Q(Exists(by_name)) | Q(case_number__icontains=text))


def family_for_page(user, pk):
    """The family (scoped) with what its page shows; raises Family.DoesNotExist when out of scope."""
    family = families_visible_to(user).select_related("institution", "project", "social_worker", "team").get(pk=pk)
    family.member_list = list(family.members.all())
    family.reason_list = list(family.reasons.all())
    family.diagnosis_list = list(family.diagnoses.select_related("author", "person"))
    return family


@dataclass
class GenerationRow:
    generation: int
    label: str | Promise
    members: list


def family_tree(members) -> list[GenerationRow]:
    """Members by generation (1 grandparents, 2 parents, 3 children), heads and spouses first."""
    order = {Relation.HEAD: 0, Relation.SPOUSE: 1}
    rows = []
    for generation in Generation:
        people = sorted(
            (m for m in members if m.generation == generation),
            key=lambda m: (order.get(m.relation, 2), m.birth_date),
        )
        rows.append(GenerationRow(generation=generation.value, label=generation.label, members=people))
    return rows


def person_for_page(user, pk):
    return persons_visible_to(user).select_related("family", "family__institution", "family__project").get(pk=pk)


@dataclass
class AssessmentComparison:
    instrument: Instrument
    entry: Assessment | None
    exit: Assessment | None
    rows: list  # (dimension, entry score | None, exit score | None, change | None)


def assessment_comparisons(person) -> list[AssessmentComparison]:
    """Per instrument: the entry and the exit assessment side by side, dimension by dimension."""
    assessments = list(
        Assessment.objects.filter(person=person)
        .select_related("instrument", "author")
        .prefetch_related("scores", "instrument__dimensions")
        .order_by("instrument__name", "assessed_on")
    )
    by_instrument: dict[int, AssessmentComparison] = {}
    for assessment in assessments:
        comparison = by_instrument.setdefault(
            assessment.instrument_id, AssessmentComparison(assessment.instrument, None, None, [])
        )
        if assessment.kind == AssessmentKind.ENTRY:
            comparison.entry = assessment
        else:
            comparison.exit = assessment
    for comparison in by_instrument.values():
        entry = {s.dimension_id: s.score for s in comparison.entry.scores.all()} if comparison.entry else {}
        exit_ = {s.dimension_id: s.score for s in comparison.exit.scores.all()} if comparison.exit else {}
        for dimension in comparison.instrument.dimensions.all():
            before, after = entry.get(dimension.pk), exit_.get(dimension.pk)
            change = after - before if before is not None and after is not None else None
            comparison.rows.append((dimension, before, after, change))
    return list(by_instrument.values())


def possible_duplicates(*, institution, pesel="", first_name="", last_name="", birth_date=None, exclude_pk=None):
    """Persons of the same institution with the same PESEL, or the same first and last name and
    birth date (case-insensitive)."""
    match = Q()
    if pesel:
        match |= Q(pesel_hash__in=keyed_hashes(pesel))
    if first_name and last_name and birth_date:
        match |= Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), birth_date=birth_date)
    if not match:
        return Person.objects.none()
    found = Person.objects.filter(match, family__institution=institution).select_related("family")
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("pk")


def merge_candidates(user, person):
    """Records that may describe the same person, among the persons the user sees."""
    match = Q(last_name__iexact=person.last_name, first_name__iexact=person.first_name) | Q(
        birth_date=person.birth_date, last_name__iexact=person.last_name
    )
    if person.pesel:
        match |= Q(pesel_hash__in=keyed_hashes(person.pesel))
    return (
        persons_visible_to(user)
        .filter(match, family__institution_id=person.family.institution_id)
        .exclude(pk=person.pk)
        .select_related("family")
        .order_by("pk")
    )


@dataclass
class HistoryEntry:
    timestamp: dt.datetime
    actor: str
    action: str
    object_label: str
    changes: list  # (field label, old, new)


SENSITIVE_CHANGE = "•••"


def _reveals_special_category(model, entry) -> bool:
    """A change of a reason that reveals special-category data (`SENSITIVE_REASONS`)."""
    if model is not FamilyReason:
        return False
    codes = {str(value) for value in (entry.changes_dict or {}).get("code", ())}
    labels = {str(reason.label) for reason in SENSITIVE_REASONS}
    return bool(codes & {str(reason.value) for reason in SENSITIVE_REASONS}) or entry.object_repr in labels


def _object_label(model, entry, hidden: bool) -> str:
    if model is Family:
        return ""
    return f"{model._meta.verbose_name}: {SENSITIVE_CHANGE if hidden else entry.object_repr}"


def change_history(family, *, limit: int = 100, special: bool = False) -> list[HistoryEntry]:
    """Diffs of the family, its members and its reasons (django-auditlog), newest first. PESELs are
    masked by auditlog; values of sensitive answers are never shown, only that they changed; a
    reason that reveals special-category data is shown as "•••" unless `special` (the caller's
    `can_see_special_categories`)."""
    family_ct = ContentType.objects.get_for_model(Family)
    child_cts = [ContentType.objects.get_for_model(Person), ContentType.objects.get_for_model(FamilyReason)]
    entries = (
        LogEntry.objects.filter(
            Q(content_type=family_ct, object_id=family.pk)
            | Q(content_type__in=child_cts, additional_data__family_id=family.pk)
        )
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    models = {family_ct.pk: Family, child_cts[0].pk: Person, child_cts[1].pk: FamilyReason}
    history = []
    for entry in entries:
        model = models[entry.content_type_id]
        hidden = not special and _reveals_special_category(model, entry)
        rows = []
        for name, values in (entry.changes_dict or {}).items():
            old, new = (list(values) + ["", ""])[:2] if isinstance(values, list | tuple) else ("", values)
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            label = str(getattr(field, "verbose_name", name))
            if (name in Person.SENSITIVE_FIELDS and model is Person) or hidden:
                old, new = SENSITIVE_CHANGE, SENSITIVE_CHANGE
            elif isinstance(field, Field) and field.choices:
                choices = {str(k): str(v) for k, v in field.flatchoices}
                old, new = choices.get(str(old), old), choices.get(str(new), new)
            rows.append((label, "" if old in (None, "None") else old, "" if new in (None, "None") else new))
        history.append(
            HistoryEntry(
                timestamp=entry.timestamp,
                actor=(entry.actor.get_full_name() or entry.actor.username) if entry.actor else "—",
                action=entry.get_action_display(),
                object_label=_object_label(model, entry, hidden),
                changes=rows,
            )
        )
    return history
