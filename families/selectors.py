"""Read queries shared by the pages of this room, scoped to the user, with a constant number of
queries whatever the number of families, members and visits."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, JSONObject
from django.utils import timezone
from django.utils.functional import Promise

from core.crypto import keyed_hashes
from core.prepared import MARKER, PreparedQuery
from core.text import fold, fold_words, folded_match, supports_trigrams
from families.access import families_visible_to, persons_visible_to, scope_shape
from families.codes import Generation, Relation
from families.models import (
    Assessment,
    AssessmentKind,
    Family,
    FamilyReason,
    FamilyStatus,
    Instrument,
    NeedsDiagnosis,
    Person,
)
from support_network.access import stand_in_user


def head_name(family_ref: str = "pk") -> Subquery:
    """The name ("Nowak Anna") of the family's head (else its oldest member), for annotating rows
    whose `family_ref` is a family id: lists show who the family is, not only its case number."""
    head = (
        Person.objects.filter(family=OuterRef(family_ref))
        .annotate(is_head=Case(When(relation=Relation.HEAD, then=Value(0)), default=Value(1)))
        .order_by("is_head", "generation", "birth_date", "pk")
        .annotate(full=Concat("last_name", Value(" "), "first_name"))
    )
    return Subquery(head.values("full")[:1])


def caseload(user, *, today: dt.date | None = None):
    """The user's families with the head's name, the number of members, the last visit and the
    next visit due (the latest visit's "next visit" date, both stored on the family by the visit
    service), `is_overdue` when that date has passed; overdue families first, then by the date due
    (none last) and the case number.

    The order is by the date due alone: among open families the overdue ones are those whose date
    has passed, so they come first without a CASE in the ORDER BY, and the page lists open or closed
    families, never both (`CaseloadFilter`). So the partial index `family_open_due` (migration
    0009) gives the first page of a project's 20,000 families without sorting them."""
    today = today or timezone.localdate()
    return (
        caseload_columns(families_visible_to(user))
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(next_visit_due__lt=today) & ~Q(status=FamilyStatus.CLOSED), output_field=BooleanField()
            )
        )
        .order_by(*CASELOAD_ORDER)
    )


# the caseload's own order: the date due (none last), then the case number
CASELOAD_ORDER = (F("next_visit_due").asc(nulls_last=True), "case_number")


# what a caseload row shows and the page reads (the access log names the family by its id): the
# rest of the family, its project and its worker (some 40 columns, a tenth of the page's CPU time
# to convert and set) is not read
CASELOAD_ROW_FIELDS = (
    "case_number", "status", "area", "last_visit_on", "next_visit_due",
    "project", "project__title", "project__short_name",
    "social_worker", "social_worker__username", "social_worker__first_name", "social_worker__last_name",
    "team", "team__name",
)  # fmt: skip


def caseload_columns(families):
    """`families` with what a caseload row shows: the project, the worker and the team, the head's
    name and the number of members (`caseload`; the page's prepared query, families.caseload_sql)."""
    members = (
        Person.objects.filter(family=OuterRef("pk")).order_by().values("family").annotate(n=Count("pk")).values("n")
    )
    return (
        families.select_related("project", "social_worker", "team")
        .only(*CASELOAD_ROW_FIELDS)
        .annotate(head_name=head_name(), member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0))
    )


def search_families(queryset, text: str):
    """Search by case number, a member's whole PESEL (matched by its keyed hash: PESELs are encrypted,
    so a part of one finds nothing) or a member's name: every word must appear in the same member's
    folded name (`Person.search_name`: no case, no diacritics, so "SZYMANSKA" finds "Szymańska"); on
    PostgreSQL a word of 4+ letters may also carry one typo (trigrams), exact matches listed first.
    Sensitive answers are never searched."""
    text = (text or "").replace("\x00", "").strip()[:100]
    if not text:
        return queryset
    if text.isdigit():
        pesel = Person.objects.filter(family=OuterRef("pk"), pesel_hash__in=keyed_hashes(text))
        return queryset.filter(Q(Exists(pesel)) | Q(case_number__icontains=text))
    words = fold_words(text)
    number = Q(case_number__icontains=text)
    exact = Exists(Person.objects.filter(folded_match("search_name", words), family=OuterRef("pk")))
    if not supports_trigrams(queryset.db):
        return queryset.filter(Q(exact) | number)
    similar = Exists(Person.objects.filter(folded_match("search_name", words, fuzzy=True), family=OuterRef("pk")))
    ranked = queryset.alias(exact_name=exact).filter(Q(similar) | number)
    return ranked.order_by(Case(When(exact_name=True, then=Value(0)), default=Value(1)), *queryset.query.order_by)


def search_persons(queryset, text: str):
    """Persons whose folded name has every word of `text` (typo-tolerant on PostgreSQL, exact and
    prefix matches first), or whose whole PESEL it is."""
    text = (text or "").replace("\x00", "").strip()[:100]
    if not text:
        return queryset.none()
    if text.isdigit():
        return queryset.filter(pesel_hash__in=keyed_hashes(text))
    words = fold_words(text)
    if not words:
        return queryset.none()
    fuzzy = supports_trigrams(queryset.db)
    rank = Case(
        When(search_name__startswith=" ".join(words), then=Value(0)),
        When(folded_match("search_name", words), then=Value(1)),
        default=Value(2),
    )
    found = queryset.filter(folded_match("search_name", words, fuzzy=fuzzy))
    return found.alias(rank=rank).order_by("rank", "search_name", "pk")


# What the family page shows of its members (their encrypted answers are neither read nor decrypted).
MEMBER_COLUMNS = ("family", "first_name", "last_name", "birth_date", "sex", "relation", "generation")


def family_for_page(user, pk):
    """The family (scoped) with what its page shows; raises Family.DoesNotExist when out of scope."""
    family = _family_in_scope(user, pk)
    family._read_in_scope_of = user.pk  # families.access.family_in_scope answers without a query
    family.member_list = _of_family(_PAGE_MEMBERS.rows(family.pk), family)
    family.reason_list = _of_family(_reasons_of(family), family)
    family.diagnosis_list = _of_family(_PAGE_DIAGNOSES.rows(family.pk), family)  # the timeline shows them too
    return family


def _page_family(pk, user_id, role: str, teams: tuple[int, ...]):
    """The family page's family in the scope `access.py` gives a stand-in user of this role and teams
    whose id is `user_id` (a marker of `core.prepared` when compiled)."""
    scope = families_visible_to(stand_in_user(user_id, role, teams))
    return scope.select_related("institution", "project", "social_worker", "team").filter(pk=pk)


# Compiled once per connection and scope shape (role, teams): building and compiling the scoped read
# cost more CPU than running it (docs/performance/casework.md); the family's id and the user's id are
# the values.
_PAGE_FAMILY = PreparedQuery(_page_family, marker=(MARKER, MARKER - 1), plan_kept=True)
_LARGEST_ID = 2**63 - 1  # a larger id is no row's (the ORM answers none; the bigint parameter would fail)


def _family_in_scope(user, pk: int):
    """`families_visible_to(user).select_related(...).get(pk=pk)`, from the compiled query."""
    shape = scope_shape(user)
    found = _PAGE_FAMILY.rows((pk, user.pk), *shape) if shape is not None and 0 < pk <= _LARGEST_ID else []
    if not found:
        raise Family.DoesNotExist("Family matching query does not exist.")
    return found[0]


def _of_family(records: list, family) -> list:
    """The family's records with their family set, as its related manager sets it."""
    for record in records:
        record.family = family
    return records


# The page's reads of the family's members, reasons and diagnoses, each compiled once per connection
# (core.prepared): building and compiling them cost more than running them (docs/performance.md).
def _page_members(family_id):
    """The members, each with the family's reasons on PostgreSQL (`family_reasons`, a JSON array of
    them in the reasons' order, None for none): the reasons ride with the members' query, one round
    trip less for the family page. Not with the family's own read: that one is built by the ORM on
    each request, and the subquery cost more to build than the round trip saved
    (docs/performance/casework.md)."""
    members = Person.objects.filter(family_id=family_id).only(*MEMBER_COLUMNS)
    if connection.vendor != "postgresql":
        return members
    row = JSONObject(id="id", code="code", is_primary="is_primary")
    reasons = (
        FamilyReason.objects.filter(family=OuterRef("family_id"))
        .order_by()
        .values("family")  # one JSON array per family, decoded once per member row
        .values(rows=JSONBAgg(row, order_by=FamilyReason._meta.ordering))
    )
    return members.annotate(family_reasons=Subquery(reasons))


_PAGE_MEMBERS = PreparedQuery(_page_members, plan_kept=True)
_PAGE_REASONS = PreparedQuery(lambda family_id: FamilyReason.objects.filter(family_id=family_id))
_PAGE_DIAGNOSES = PreparedQuery(
    lambda family_id: diagnoses_shown(NeedsDiagnosis.objects.filter(family_id=family_id)), plan_kept=True
)
_REASON_COLUMNS = ("id", "family_id", "code", "is_primary")


def _reasons_of(family) -> list:
    """The family's reasons as their own query gives them: from its members' rows where they rode
    with them (`_page_members`), else (no members, SQLite) by that query."""
    if not family.member_list or not hasattr(family.member_list[0], "family_reasons"):
        return _PAGE_REASONS.rows(family.pk)
    reasons = family.member_list[0].family_reasons or []
    rows = ((row["id"], family.pk, row["code"], row["is_primary"]) for row in reasons)
    return [FamilyReason.from_db(family._state.db, _REASON_COLUMNS, values) for values in rows]


# What the pages show of a record's author and of the person it is about: a user's password hash or
# a person's encrypted answers are not read (nor decrypted) for a name.
AUTHOR_COLUMNS = ("author__first_name", "author__last_name", "author__username")
PERSON_COLUMNS = ("person__first_name", "person__last_name")


def diagnoses_shown(diagnoses):
    """Needs diagnoses, newest first, with what the family page and the timeline show of them."""
    fields = ("family", "person", "author", "diagnosed_on", "problems", "resources", "barriers", "needs")
    return (
        diagnoses.select_related("author", "person")
        .only(*fields, "expectations", "created_at", *AUTHOR_COLUMNS, *PERSON_COLUMNS)
        .order_by("-diagnosed_on", "-created_at")
    )


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
    birth date (ignoring case and diacritics: "SZYMANSKA" is "Szymańska")."""
    match = Q()
    if pesel:
        match |= Q(pesel_hash__in=keyed_hashes(pesel))
    if first_name and last_name and birth_date:
        match |= Q(search_name=fold(f"{last_name} {first_name}"), birth_date=birth_date)
    if not match:
        return Person.objects.none()
    found = Person.objects.filter(match, family__institution=institution).select_related("family")
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("pk")


def merge_candidates(user, person, *, q: str = ""):
    """Records that may describe the same person, among the persons the user sees in the person's
    institution: the same PESEL, the same name (ignoring case and diacritics) or the same surname and
    birth date; with a search text `q`, the persons it finds by name or whole PESEL instead."""
    same_place = persons_visible_to(user).filter(family__institution_id=person.family.institution_id)
    same_place = same_place.exclude(pk=person.pk).select_related("family")
    if q.strip():
        return search_persons(same_place, q)
    match = Q(search_name=person.search_name) | Q(
        birth_date=person.birth_date, search_name__startswith=f"{fold(person.last_name)} "
    )
    if person.pesel:
        match |= Q(pesel_hash__in=keyed_hashes(person.pesel))
    return same_place.filter(match).order_by("pk")
