"""The participant import: a preview first, then the manager's commit (all or nothing).

- `participants_preview` reads and checks every row and says what a commit would do — rows to
  create, rows to update (a PESEL already in the project), unchanged rows, refused rows with their
  reasons, the data gaps the rows leave, and the indicators before → after (the engine run on the
  changes applied inside a transaction that is rolled back). It changes nothing.
- `participants_import` (the commit) repeats the check on the locked project and applies every
  row, or raises ImportRejected and saves nothing — a file with any refused row is not committed.

An update never erases: an empty cell keeps the stored value. A changed entry value is a logged
amendment (ParticipationAmendment, reason "Import z pliku …"); exit data are set or corrected
(follow-ups moved); outcome events of the file not yet recorded are added, none is deleted.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import cast

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.crypto import keyed_hashes
from reporting.dates import add_months, effectiveness_window_end, result_window_end
from reporting.importing.headers import header_warnings
from reporting.importing.reader import NO_DEADLINE, Deadline, FileError, FileInfo, read_rows
from reporting.importing.rows import RowError, ValidRow, check_headers, validate_rows
from reporting.models import (
    FollowUp,
    FollowUpKind,
    OutcomeEvent,
    Participation,
    ParticipationAmendment,
    Support,
    SupportSource,
)
from reporting.models.participation import CORE_FIELDS
from reporting.selectors.indicator_cache import indicator_data_changed
from reporting.selectors.submissions import claims_counting
from reporting.services.followups import followup_schedule_for_employment, followups_schedule_for_exit
from reporting.services.import_effect import IndicatorChange, indicator_effect
from reporting.services.participation import (
    AMENDMENT_VALUE_LENGTH,
    CLAIMS_LENGTH,
    build_outcome_events,
    check_can_manage,
    display_value,
)
from reporting.services.validation import EXIT_FIELDS, RECORD_FIELDS
from support_network.models import Project

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# why a participation is a data gap (EFS_RULES.md §1): the core data, the start, the at-risk answer
GAP_FIELDS = tuple(dict.fromkeys((*CORE_FIELDS, "start_date", "at_risk")))
OUTCOME_KEY = ("kind", "occurred_on", "employment_form", "fte", "planned_months", "job_seeking_kind",
               "qualification_name", "progress_category")  # fmt: skip


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class ImportSummary:
    participations: int  # created
    updated: int
    outcomes: int
    followups: int
    ended: int
    supports: int = 0
    warnings: tuple[str, ...] = ()  # what the file's columns mean for the data (header_warnings)


@dataclass
class RowPlan:
    row: int
    action: str
    participation_id: int | None = None
    changes: list[str] = field(default_factory=list)  # labels of the fields an update changes
    new_outcomes: int = 0
    gaps: list[str] = field(default_factory=list)  # labels of the missing data


@dataclass
class ImportPreview:
    filename: str
    info: FileInfo
    plans: list[RowPlan]
    errors: list[RowError]
    indicators: list[IndicatorChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the file's columns mean (header_warnings)

    def of(self, action: str) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.action == action]

    @property
    def refused_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row > 1})

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row <= 1]

    @property
    def gaps(self) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.gaps and plan.action != UNCHANGED]

    @property
    def can_commit(self) -> bool:
        return not self.errors and any(plan.action != UNCHANGED for plan in self.plans)

    def as_dict(self) -> dict:
        return {
            "filename": self.filename, "info": asdict(self.info), "plans": [asdict(p) for p in self.plans],
            "errors": [asdict(e) for e in self.errors], "indicators": [asdict(i) for i in self.indicators],
            "warnings": list(self.warnings),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict) -> "ImportPreview":
        return cls(
            filename=data["filename"], info=FileInfo(**data["info"]),
            plans=[RowPlan(**p) for p in data["plans"]], errors=[RowError(**e) for e in data["errors"]],
            indicators=[IndicatorChange(**i) for i in data["indicators"]], warnings=data.get("warnings", []),
        )  # fmt: skip


def match_by_pesel(project, pesels) -> dict[str, Participation]:
    """The project's participations with these PESELs, by PESEL — the one place an import matches a
    row to a stored person, by the keyed hash of the PESEL (core.crypto)."""
    if not pesels:
        return {}
    digests = [digest for pesel in pesels for digest in keyed_hashes(pesel)]  # PESELs are stored encrypted
    found = Participation.objects.filter(project=project, pesel_hash__in=digests)
    found = found.prefetch_related("outcomes", "supports")
    return {p.pesel: p for p in found}


@dataclass
class _Analysis:
    preview: ImportPreview
    rows: dict[int, ValidRow]  # the accepted rows by number
    matched: dict[int, Participation]  # rows that update a participation


def _analyse(*, project, fileobj, filename, by, today, deadline) -> _Analysis:
    info = FileInfo()
    try:
        headers, rows = read_rows(fileobj, filename, deadline=deadline, info=info)
        valid, errors = validate_rows(headers, rows, project=project, today=today)
    except FileError as exc:
        return _Analysis(ImportPreview(filename, info, [], [RowError(1, 0, "", str(exc))]), {}, {})
    refused = {e.row for e in errors}
    accepted = {row.number: row for row in valid if row.number not in refused}
    by_pesel = match_by_pesel(project, {row.values["pesel"] for row in accepted.values() if row.values["pesel"]})
    matched = {n: by_pesel[r.values["pesel"]] for n, r in accepted.items() if r.values["pesel"] in by_pesel}
    plans = []
    for number, row in list(accepted.items()):  # no query per row (outcomes prefetched): no deadline here
        plan = _plan_row(row, matched.get(number), by=by)
        if isinstance(plan, RowError):
            errors.append(plan)
            accepted.pop(number)
            matched.pop(number, None)
            continue
        plans.append(plan)
    if not accepted and not errors:
        errors.append(RowError(2, 0, "", _("plik nie zawiera żadnego wiersza z danymi.")))
    preview = ImportPreview(filename, info, plans, sorted(errors), warnings=header_warnings(check_headers(headers)[0]))
    return _Analysis(preview, accepted, matched)


def _label(name: str) -> str:
    return str(cast(models.Field, Participation._meta.get_field(name)).verbose_name)


def _merged(row: ValidRow, participation: Participation | None) -> dict:
    """The record's values after the import: the file's, and for an update the stored value where the
    file's cell is empty (an import never erases)."""
    merged = dict(row.values)
    if participation is not None:
        for name in (*RECORD_FIELDS, *EXIT_FIELDS):
            if merged.get(name) in (None, ""):
                merged[name] = getattr(participation, name)
        merged["no_pesel"] = participation.no_pesel
    return merged


def _plan_row(row: ValidRow, participation: Participation | None, *, by) -> RowPlan | RowError:
    merged = _merged(row, participation)
    gaps = [_label(name) for name in GAP_FIELDS if merged.get(name) in (None, "")]
    if participation is None:
        return RowPlan(row.number, CREATE, gaps=gaps, new_outcomes=len(row.outcomes))
    changed = [n for n in (*RECORD_FIELDS, *EXIT_FIELDS) if merged.get(n) != getattr(participation, n)]
    new_events = _new_events(participation, row)
    new_supports = _new_supports(participation, row)
    if merged.get("end_date") and merged["start_date"] > merged["end_date"]:
        return RowError(row.number, 0, "", _("data rozpoczęcia jest późniejsza niż zapisana data zakończenia "
                                             "(%(d)s).") % {"d": merged["end_date"].strftime("%d.%m.%Y")})  # fmt: skip
    if by is None and any(n in RECORD_FIELDS for n in changed):
        return RowError(row.number, 0, "", _("ta osoba jest już uczestnikiem projektu, a zmiana jej danych "
                                             "wejściowych to korekta z autorem: podaj --user LOGIN."))  # fmt: skip
    action = UPDATE if changed or new_events or new_supports else UNCHANGED
    return RowPlan(row.number, action, participation.pk, [_label(n) for n in changed], len(new_events), gaps)


def _event_key(event: OutcomeEvent) -> tuple:
    return tuple(getattr(event, name) for name in OUTCOME_KEY)


def _new_events(participation: Participation, row: ValidRow) -> list[OutcomeEvent]:
    """The file's outcome events of this participation that are not recorded yet."""
    known = {_event_key(event) for event in participation.outcomes.all()}
    events = [e for values in row.outcomes for e in build_outcome_events(participation=participation, values=values,
                                                                           by=None)]  # fmt: skip
    return [event for event in events if _event_key(event) not in known]


def participants_preview(*, project, fileobj, by, filename: str = "", today: dt.date | None = None,
                         deadline: Deadline = NO_DEADLINE, effect: bool = True) -> ImportPreview:  # fmt: skip
    """What a commit of this file would do. Changes nothing (the indicator effect is computed on the
    rows applied inside a transaction that is always rolled back)."""
    if by is not None:
        check_can_manage(by, project)
    today = today or timezone.localdate()
    analysis = _analyse(project=project, fileobj=fileobj, filename=filename, by=by, today=today, deadline=deadline)
    preview = analysis.preview
    if effect and analysis.rows and not preview.file_errors:
        preview.indicators = indicator_effect(
            project, today=today, apply=lambda: _apply(project=project, analysis=analysis, by=by, filename=filename)
        )
    return preview


def participants_import(*, project, fileobj, by, filename: str = "", today: dt.date | None = None,
                        deadline: Deadline = NO_DEADLINE) -> ImportSummary:  # fmt: skip
    """Commit: every row or none. Imported participations are confirmed (entry data frozen) and have
    no link to a person of the MOPS file (purpose separation). `by` is the project manager, or None
    for the `import_participants` command without --user (then rows may only create or add data)."""
    if by is not None:
        check_can_manage(by, project)
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            project = Project.objects.select_for_update().get(pk=project.pk)
            analysis = _analyse(project=project, fileobj=fileobj, filename=filename, by=by, today=today,
                                deadline=deadline)  # fmt: skip
            if analysis.preview.errors:
                raise ImportRejected(analysis.preview.errors)
            if not analysis.preview.can_commit:
                raise ImportRejected([RowError(1, 0, "", _("plik nie wnosi żadnej zmiany: wszystkie osoby i dane "
                                                           "są już w projekcie."))])  # fmt: skip
            return _apply(project=project, analysis=analysis, by=by, filename=filename)
    except IntegrityError:
        message = _("w tym czasie do projektu zapisano te same osoby – nic nie zostało zaimportowane, "
                    "spróbuj ponownie.")  # fmt: skip
        raise ImportRejected([RowError(1, 0, "", message)]) from None


def _apply(*, project, analysis: _Analysis, by, filename: str) -> ImportSummary:
    creates = [row for number, row in analysis.rows.items() if number not in analysis.matched]
    created, events, followups = _create(project=project, rows=creates, by=by)
    updated, new_events = 0, 0
    supports = sum(len(row.supports) for row in creates)
    reason = _("Import z pliku „%(name)s”") % {"name": filename[:100]}
    for number, participation in analysis.matched.items():
        changed, added = _update(participation, analysis.rows[number], by=by, reason=reason)
        added_supports = _add_supports(participation, analysis.rows[number], by=by)
        updated += bool(changed or added or added_supports)
        new_events += added
        supports += added_supports
    indicator_data_changed(project.pk)  # bulk_create sends no signals
    ended = sum(1 for p in created if p.end_date)
    return ImportSummary(participations=len(created), updated=updated, outcomes=len(events) + new_events,
                         followups=followups, ended=ended, supports=supports,
                         warnings=tuple(analysis.preview.warnings))  # fmt: skip


def _create(*, project, rows: list[ValidRow], by) -> tuple[list[Participation], list[OutcomeEvent], int]:
    now = timezone.now()
    participations = []
    for row in rows:
        participation = Participation(project=project, created_by=by, entry_confirmed_by=by, entry_confirmed_at=now,
                                      **row.values)  # fmt: skip
        participation.age_at_start = participation.compute_age_at_start()
        participations.append(participation)
    Participation.objects.bulk_create(participations, batch_size=1000)
    events = [
        event
        for participation, row in zip(participations, rows, strict=True)
        for values in row.outcomes
        for event in build_outcome_events(participation=participation, values=values, by=by)
    ]
    OutcomeEvent.objects.bulk_create(events, batch_size=2000)
    Support.objects.bulk_create(
        [
            Support(participation=participation, source=SupportSource.IMPORT, created_by=by, **values)
            for participation, row in zip(participations, rows, strict=True)
            for values in row.supports
        ],
        batch_size=2000,
    )
    followups = []
    for participation in participations:
        if participation.end_date:
            followups.append(FollowUp(participation=participation, kind=FollowUpKind.RESULT_4W,
                                      due_on=result_window_end(participation.end_date)))  # fmt: skip
            followups.append(FollowUp(participation=participation, kind=FollowUpKind.EFFECTIVENESS_3M,
                                      due_on=effectiveness_window_end(participation.end_date)))  # fmt: skip
    for event in events:
        if event.kind == "employment":
            due_on = add_months(event.occurred_on, 1)
            followups.append(FollowUp(participation=event.participation, outcome=event,
                                      kind=FollowUpKind.EMPLOYMENT_1M, due_on=due_on))  # fmt: skip
    FollowUp.objects.bulk_create(followups, batch_size=2000)
    return participations, events, len(followups)


def _update(participation: Participation, row: ValidRow, *, by, reason: str) -> tuple[list[str], int]:
    """Apply one row to a stored participation: logged amendments, exit data, new outcome events."""
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    merged = _merged(row, participation)
    changed = [n for n in RECORD_FIELDS if merged.get(n) != getattr(participation, n)]
    # EFS_RULES.md §7: the amendment names the submitted claims whose report counted the participation
    claims = ", ".join(claims_counting([participation.pk]).get(participation.pk, []))[:CLAIMS_LENGTH] if changed else ""
    ParticipationAmendment.objects.bulk_create([
        ParticipationAmendment(
            participation=participation, field=name, reason=reason, by=by, submitted_claims=claims,
            old_value=display_value(name, getattr(participation, name))[:AMENDMENT_VALUE_LENGTH],
            new_value=display_value(name, merged[name])[:AMENDMENT_VALUE_LENGTH],
        )
        for name in changed
    ])  # fmt: skip
    exit_changed = [n for n in EXIT_FIELDS if merged.get(n) != getattr(participation, n)]
    for name in (*changed, *exit_changed):
        setattr(participation, name, merged[name])
    if changed or exit_changed:
        participation.age_at_start = participation.compute_age_at_start()
        participation.save(update_fields=[*changed, *exit_changed, "age_at_start", "updated_at"])
    if exit_changed and participation.end_date:
        followups_schedule_for_exit(participation=participation)
    events = _new_events(participation, row)
    for event in events:
        event.created_by = by
    OutcomeEvent.objects.bulk_create(events)
    for event in events:
        if event.kind == "employment":
            followup_schedule_for_employment(outcome=event)
    return changed + exit_changed, len(events)


SUPPORT_KEY = ("form", "form_detail", "start_date", "end_date")


def _new_supports(participation: Participation, row: ValidRow) -> list[dict]:
    """The file's support forms of this participation that are not recorded yet."""
    known = {tuple(getattr(support, k) for k in SUPPORT_KEY) for support in participation.supports.all()}
    return [values for values in row.supports if tuple(values[k] for k in SUPPORT_KEY) not in known]


def _add_supports(participation: Participation, row: ValidRow, *, by) -> int:
    """Add the file's support forms of this participation that are not recorded yet; how many."""
    new = [Support(participation=participation, source=SupportSource.IMPORT, created_by=by, **values)
           for values in _new_supports(participation, row)]  # fmt: skip
    return len(Support.objects.bulk_create(new))


def summary_message(summary: ImportSummary) -> str:
    """ "Zaimportowano 1 uczestnika…" with every count in its right plural form."""
    parts = [
        ngettext("Zaimportowano %(n)d uczestnika", "Zaimportowano %(n)d uczestników",
                 summary.participations) % {"n": summary.participations},
        ngettext("zaktualizowano %(n)d uczestnictwo", "zaktualizowano %(n)d uczestnictw",
                 summary.updated) % {"n": summary.updated},
        ngettext("dodano %(n)d rezultat", "dodano %(n)d rezultatów", summary.outcomes) % {"n": summary.outcomes},
        ngettext("zaplanowano %(n)d zadanie monitoringu", "zaplanowano %(n)d zadań monitoringu",
                 summary.followups) % {"n": summary.followups},
    ]  # fmt: skip
    return ", ".join(parts) + "."
