"""Writes of this room: keyword-only `<noun>_<verb>` functions, atomic, rows locked where two
people could write at once. Views are thin and call these; forms only validate."""

import logging
import zlib

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.crypto import keyed_hashes
from core.errors import DomainError
from core.locking import claim_version
from families.access import can_create_family, can_edit_family, can_merge_persons, persons_visible_to
from families.models import (
    Assessment,
    AssessmentScore,
    Family,
    FamilyReason,
    FamilyStatus,
    NeedsDiagnosis,
    Person,
    PersonMerge,
    Visit,
    refresh_visit_dates,
)
from families.selectors import possible_duplicates
from support_network.access import membership_of
from support_network.registers import NumberKind, next_number

logger = logging.getLogger(__name__)

# What a family's form writes; the case number is not among them: the register gives it once, at
# creation (support_network.registers), and it never changes.
FAMILY_FIELDS = (
    "project", "street", "building", "flat", "postal_code", "locality", "gmina", "gmina_teryt",
    "area", "social_worker", "team", "status", "closed_on", "closed_reason", "intergenerational_poverty",
)  # fmt: skip
CASE_NUMBER_TAKEN = "Numer sprawy {number} został w tej chwili zajęty – zapisz formularz ponownie."
NOT_YOUR_CASEWORK = "Kartotekę tej rodziny prowadzą jej pracownik socjalny i zespół – możesz ją tylko przeglądać."


def _check_can_edit(by, family) -> None:
    """The casework of `family` (the family, its members, visits, diagnoses, assessments) is
    written only by the caseworkers in scope (families.access.can_edit_family)."""
    if family is None or not can_edit_family(by, family):
        raise DomainError(_(NOT_YOUR_CASEWORK))


def _set_reasons(family, codes, primary) -> None:
    """Exactly the given art. 7 reasons, `primary` marked as the primary one (saved row by row so
    that the change history records them)."""
    codes = list(dict.fromkeys([primary, *codes]))
    existing = {r.code: r for r in FamilyReason.objects.select_for_update().filter(family=family)}
    for code, current in existing.items():
        if code not in codes:
            current.delete()
        elif current.is_primary and code != primary:
            current.is_primary = False
            current.save(update_fields=["is_primary"])
    for code in codes:
        reason = existing.get(code)
        if reason is None:
            FamilyReason.objects.create(family=family, code=code, is_primary=code == primary)
        elif code == primary and not reason.is_primary:
            reason.is_primary = True
            reason.save(update_fields=["is_primary"])


def _clean_closure(data: dict) -> dict:
    data = dict(data)
    if data.get("status") != FamilyStatus.CLOSED:
        data["closed_on"], data["closed_reason"] = None, ""
    return data


def family_create(*, data: dict, reasons, primary_reason: str, by) -> Family:
    """A new family of the user's institution (founded by a social worker or an MGI member)."""
    membership = membership_of(by)
    if membership is None:
        raise DomainError(_("Twoje konto nie jest przypisane do instytucji."))
    if not can_create_family(by):
        raise DomainError(_("Kartotekę rodziny zakłada pracownik socjalny lub członek MGI."))
    data = _clean_closure({k: v for k, v in data.items() if k in FAMILY_FIELDS})
    institution = membership.institution
    try:
        with transaction.atomic():
            data["case_number"] = next_number(
                institution_id=institution.pk,
                kind=NumberKind.CASE,
                year=timezone.localdate().year,
                taken=lambda n: Family.objects.filter(institution=institution, case_number=n).exists(),
            )
            family = Family.objects.create(institution=institution, **data)
            _set_reasons(family, reasons, primary_reason)
    except IntegrityError:
        if Family.objects.filter(institution=membership.institution, case_number=data["case_number"]).exists():
            raise DomainError(_(CASE_NUMBER_TAKEN).format(number=data["case_number"]), conflict=True) from None
        raise
    logger.info("family %s created by user %s", family.pk, by.pk)
    return family


def family_update(
    *, family: Family, data: dict, reasons, primary_reason: str, by, lock_version: int | None = None
) -> Family:
    """Save an edit read at `lock_version` (core.locking: a stale one is refused with the current row)."""
    _check_can_edit(by, family)
    data = _clean_closure({k: v for k, v in data.items() if k in FAMILY_FIELDS})
    with transaction.atomic():
        locked = Family.objects.select_for_update().get(pk=family.pk)
        claim_version(locked, lock_version)
        project_before = locked.project_id
        for name, value in data.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*data.keys(), "updated_at"])
        if locked.project_id != project_before:
            _follow_project(locked)
        _set_reasons(locked, reasons, primary_reason)
    logger.info("family %s updated by user %s", family.pk, by.pk)
    return locked


def _follow_project(family: Family) -> None:
    """Rows of higher rooms that store a copy of the family's project (a model naming the copying
    field in `FAMILY_PROJECT_COPY`, e.g. the family programmes the coordinator's queue scopes by
    project) follow the family to its new project, in the same transaction. They are found through
    the reverse relations, as `person_merge` finds the rows it moves, so this room imports none."""
    for relation in Family._meta.related_objects:
        copy = getattr(relation.related_model, "FAMILY_PROJECT_COPY", None)
        if copy is not None:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: family})
            rows.update(**{f"{copy}_id": family.project_id})


def active_family_conflict(*, institution, pesel: str, exclude_pk=None):
    """The person record with this PESEL that already belongs to an active (not closed) family of
    the institution, or None. One person belongs to one active family."""
    if not pesel:
        return None
    return (
        possible_duplicates(institution=institution, pesel=pesel, exclude_pk=exclude_pk)
        .filter(pesel_hash__in=keyed_hashes(pesel))
        .exclude(family__status=FamilyStatus.CLOSED)
        .first()
    )


def _lock_identity(institution_id, pesel: str) -> None:
    """Serialise concurrent writes of the same PESEL in one institution (PostgreSQL advisory lock
    held until the transaction ends), so two people cannot add the same person at the same moment."""
    if pesel and connection.vendor == "postgresql":
        key = zlib.crc32(f"person:{institution_id}:{pesel}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _check_duplicates(*, family, data, exclude_pk, confirmed_not_duplicate) -> None:
    _lock_identity(family.institution_id, data.get("pesel", ""))
    conflict = active_family_conflict(
        institution=family.institution, pesel=data.get("pesel", ""), exclude_pk=exclude_pk
    )
    if conflict is not None:
        # never the case number: the acting user may have no access to that family (issue 11, finding 8)
        raise DomainError(
            _(
                "Osoba o tym numerze PESEL jest już członkiem aktywnej rodziny w tej instytucji. Jeśli nie masz "
                "dostępu do tej rodziny, zapytaj koordynatora projektu."
            )
        )
    duplicates = possible_duplicates(
        institution=family.institution,
        pesel=data.get("pesel", ""),
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        birth_date=data.get("birth_date"),
        exclude_pk=exclude_pk,
    )
    if duplicates.exists() and not confirmed_not_duplicate:
        raise DomainError(
            _("Taka osoba jest już w kartotece. Otwórz istniejący rekord albo potwierdź, że to nie ta sama osoba.")
        )


def person_create(*, family: Family, data: dict, by, confirmed_not_duplicate: bool = False) -> Person:
    _check_can_edit(by, family)
    with transaction.atomic():
        Family.objects.select_for_update().filter(pk=family.pk).first()  # serialise additions to one family
        _check_duplicates(family=family, data=data, exclude_pk=None, confirmed_not_duplicate=confirmed_not_duplicate)
        person = Person.objects.create(family=family, **data)
    logger.info("person %s added to family %s by user %s", person.pk, family.pk, by.pk)
    return person


def person_update(
    *, person: Person, data: dict, by, confirmed_not_duplicate: bool = False, lock_version: int | None = None
) -> Person:
    """Save an edit read at `lock_version` (core.locking)."""
    _check_can_edit(by, person.family)
    with transaction.atomic():
        locked = Person.objects.select_for_update(of=("self",)).select_related("family__institution").get(pk=person.pk)
        claim_version(locked, lock_version)
        identity_changed = any(
            data.get(name) != getattr(locked, name) for name in ("pesel", "first_name", "last_name", "birth_date")
        )
        if identity_changed:
            _check_duplicates(
                family=locked.family, data=data, exclude_pk=locked.pk, confirmed_not_duplicate=confirmed_not_duplicate
            )
        for name, value in data.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*data.keys(), "updated_at"])
    logger.info("person %s updated by user %s", person.pk, by.pk)
    return locked


def visit_create(*, family: Family, data: dict, persons_present, by) -> Visit:
    _check_can_edit(by, family)
    present = [p for p in persons_present if p.family_id == family.pk]
    with transaction.atomic():
        visit = Visit.objects.create(family=family, author=by, **data)
        visit.persons_present.set(present)
        refresh_visit_dates([family.pk])
    logger.info("visit %s logged for family %s by user %s", visit.pk, family.pk, by.pk)
    return visit


def diagnosis_create(*, family: Family, data: dict, by) -> NeedsDiagnosis:
    _check_can_edit(by, family)
    person = data.get("person")
    if person is not None and person.family_id != family.pk:
        raise DomainError(_("Wybrana osoba nie należy do tej rodziny."))
    diagnosis = NeedsDiagnosis.objects.create(family=family, author=by, **data)
    logger.info("diagnosis %s written for family %s by user %s", diagnosis.pk, family.pk, by.pk)
    return diagnosis


def assessment_create(*, person: Person, instrument, kind: str, assessed_on, scores: dict, by, notes="") -> Assessment:
    """One assessment with one score 1–5 for every dimension of the instrument."""
    _check_can_edit(by, person.family)
    dimensions = list(instrument.dimensions.all())
    if not dimensions or {d.pk for d in dimensions} != set(scores):
        raise DomainError(_("Oceń każdy wymiar narzędzia."))
    if any(not 1 <= int(v) <= 5 for v in scores.values()):
        raise DomainError(_("Każdy wymiar oceniamy w skali 1–5."))
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()
            assessment = Assessment.objects.create(
                person=person, instrument=instrument, kind=kind, assessed_on=assessed_on, author=by, notes=notes
            )
            AssessmentScore.objects.bulk_create(
                AssessmentScore(assessment=assessment, dimension_id=pk, score=int(v)) for pk, v in scores.items()
            )
    except IntegrityError:
        raise DomainError(_("Ta osoba ma już ocenę tego rodzaju tym narzędziem."), conflict=True) from None
    logger.info("assessment %s of person %s by user %s", assessment.pk, person.pk, by.pk)
    return assessment


# Fields copied from the removed record when the kept one has them empty.
MERGE_FILL_FIELDS = (
    "pesel", "foreign_document_type", "foreign_document_number", "education", "labour_status",
    "labour_status_detail", "pup_registered_on", "benefits", "phone", "email",
    "disability", "health_problem", "addiction", "domestic_violence", "minority", "homeless", "other_disadvantage",
)  # fmt: skip


FOREIGN_DOCUMENT_FIELDS = ("foreign_document_type", "foreign_document_number")


def person_merge(*, keep: Person, remove: Person, by) -> PersonMerge:
    """Merge two records of the same person into `keep`: every row of any room that points at
    `remove` (found through Person._meta.related_objects, so higher rooms are covered without being
    imported) is moved to `keep`, empty fields of `keep` are filled in, then `remove` is deleted.
    All or nothing: a row that cannot be moved (e.g. both have an entry assessment with the same
    instrument) stops the merge with a message. Only a coordinator merges, within the persons
    they see (families.access)."""
    if not can_merge_persons(by):
        raise DomainError(_("Rekordy osób scala koordynator."))
    if keep.pk == remove.pk:
        raise DomainError(_("Wybierz dwa różne rekordy."))
    with transaction.atomic():
        keep, remove = _lock_pair(keep=keep, remove=remove, by=by)
        moved = _move_relations(keep=keep, remove=remove)
        changed = _fill_empty_fields(keep=keep, remove=remove)
        removed_id, removed_family_id = remove.pk, remove.family_id
        remove.delete()
        if changed:
            keep.save(update_fields=[*changed, "updated_at"])
        record = PersonMerge.objects.create(
            kept=keep, removed_person_id=removed_id, removed_family_id=removed_family_id, moved=moved, by=by
        )
    logger.info("person %s merged into %s by user %s", removed_id, keep.pk, by.pk)
    return record


def _lock_pair(*, keep: Person, remove: Person, by) -> tuple[Person, Person]:
    """Both records locked and re-read; refused when one is gone or they cannot be the same person."""
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",))
        .select_related("family")
        .filter(pk__in=[keep.pk, remove.pk])
    }
    if len(locked) != 2:
        raise DomainError(_("Jeden z rekordów został w międzyczasie usunięty lub scalony."), conflict=True)
    if persons_visible_to(by).filter(pk__in=list(locked)).count() != 2:
        raise DomainError(_("Scalać można tylko rekordy osób z rodzin, które widzisz."))
    keep, remove = locked[keep.pk], locked[remove.pk]
    assert keep.family is not None and remove.family is not None  # visible persons are members of visible families
    if keep.family.institution_id != remove.family.institution_id:
        raise DomainError(_("Scalać można tylko rekordy z tej samej instytucji."))
    if keep.pesel and remove.pesel and keep.pesel != remove.pesel:
        raise DomainError(_("Rekordy mają różne numery PESEL – to nie ta sama osoba."))
    return keep, remove


def _move_relations(*, keep: Person, remove: Person) -> dict[str, int]:
    moved: dict[str, int] = {}
    for relation in Person._meta.related_objects:
        label = relation.related_model._meta.label
        try:
            with transaction.atomic():
                count = _move_relation(relation, keep=keep, remove=remove)
        except IntegrityError:
            raise DomainError(
                _(
                    "Nie można przenieść powiązań „{what}”: oba rekordy mają wpis, który może istnieć tylko raz. "
                    "Popraw go przed scaleniem."
                ).format(what=relation.related_model._meta.verbose_name_plural)
            ) from None
        if count:
            moved[label] = count
    return moved


def _fill_empty_fields(*, keep: Person, remove: Person) -> list[str]:
    """Empty fields of `keep` take the values of `remove`; the names of the changed fields. A foreign
    document (type, number) is never copied onto a record that has (or gets) a PESEL: it identifies
    persons without one, and the other record's document may be someone else's."""
    changed = []
    will_have_pesel = bool(keep.pesel or remove.pesel)
    for name in MERGE_FILL_FIELDS:
        if will_have_pesel and name in FOREIGN_DOCUMENT_FIELDS:
            continue
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
            changed.append(name)
    if "pesel" in changed:
        keep.no_pesel = False
        changed.append("no_pesel")
    return changed


def _move_relation(relation, *, keep, remove) -> int:
    if relation.many_to_many:
        field = relation.field  # the ManyToManyField on the other model
        through = field.remote_field.through
        to_person, to_owner = field.m2m_reverse_field_name(), field.m2m_field_name()
        rows = through._default_manager.filter(**{to_person: remove})
        already = through._default_manager.filter(**{to_person: keep}).values(to_owner)
        rows.filter(**{f"{to_owner}__in": already}).delete()
        return rows.update(**{to_person: keep})
    if relation.one_to_many or relation.one_to_one:
        name = relation.field.name
        return relation.related_model._base_manager.filter(Q(**{name: remove})).update(**{name: keep})
    return 0
