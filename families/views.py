"""Pages of the families room: scoped fetch -> form -> service -> redirect. Objects outside the
user's scope answer 404; pages of other roles answer 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core import search
from core.access_log import shown
from core.charts import grouped_bar_chart
from core.errors import DomainError
from core.forms import submit
from core.labels import choice_labels
from core.links import url_of
from core.once import idempotent_create
from core.pagination import PAGE_PARAM, PAGE_SIZE, paginate
from core.params import is_id
from core.sorting import sort_rows
from families import history, selectors, services
from families.access import (
    CASELOAD_ROLES,
    can_create_family,
    can_edit_family,
    can_merge_persons,
    can_see_change_history,
    can_see_special_categories,
    families_visible_to,
    persons_visible_to,
)
from families.actions import page_actions
from families.caseload_sql import PreparedPage, PreparedRows, compiled_where
from families.codes import SENSITIVE_REASONS, Generation, Relation, Sex, generation_for
from families.filters import CaseloadFilter, options_of
from families.forms import (
    AssessmentForm,
    DiagnosisForm,
    FamilyForm,
    PersonForm,
    PersonMergeForm,
    VisitForm,
)
from families.models import Family, Instrument, Person
from families.timeline import family_timeline, person_timeline
from support_network.access import CASEWORK_ROLES, role_required


def _editable_family(request, pk) -> Family:
    """A family the user may write casework for: 404 outside the scope, 403 for read-only roles.
    Its form pages show the family: declared for the access log (core/access_log.py)."""
    family = get_object_or_404(families_visible_to(request.user).select_related("institution"), pk=pk)
    if not can_edit_family(request.user, family):
        raise PermissionDenied
    shown(request, family)
    return family


def _editable_person(request, pk) -> Person:
    person = get_object_or_404(persons_visible_to(request.user).select_related("family__institution"), pk=pk)
    if not can_edit_family(request.user, person.family):
        raise PermissionDenied
    shown(request, person)
    return person


# The caseload's sortable columns (core.sorting): ?sortuj=<key> or -<key>.
CASELOAD_SORT = {
    "rodzina": ("head_name", "case_number"),
    "wizyta": "next_visit_due",
    "ostatnia": "last_visit_on",
    "obszar": "area",
    "projekt": "project__title",
    "pracownik": ("social_worker__last_name", "social_worker__first_name"),
}


@require_http_methods(["GET", "POST"])
@role_required(*CASELOAD_ROLES)
def caseload(request):
    """The search text (it may be a PESEL) comes by POST and lives behind a token (core.search)."""
    if to_token := search.redirect_to_token(request):
        return to_token
    text = search.search_text(request)
    scope = families_visible_to(request.user)
    where = compiled_where(scope)  # the scope's conditions, compiled once (None on SQLite)
    caseworker = can_create_family(request.user)
    projects, areas = options_of(scope, where, few=caseworker)
    filterset = CaseloadFilter({**request.GET.dict(), "q": text}, queryset=scope, projects=projects, areas=areas)
    ordered, sorting = sort_rows(request, Family.objects.order_by(*selectors.CASELOAD_ORDER), CASELOAD_SORT)
    rows = _caseload_rows(request, filterset, where, ordered, sorting, few=caseworker) if not text else None
    if rows is None:  # a search orders by its ranking; SQLite: the ORM builds the page's queries
        rows = sort_rows(request, filterset.conditions(selectors.caseload(request.user)), CASELOAD_SORT)[0]
    page = paginate(request, rows, PAGE_SIZE)
    searched = search.search_context(request, text)
    filterset.form.data = {**filterset.form.data, "q": searched["q"]}  # a searched PESEL is not written back
    shown(request, *page.object_list)  # the list (or a search by name or PESEL) shows these families
    _row_texts(page.object_list)
    return render(
        request,
        "families/caseload.html",
        {
            "filter": filterset,
            "page": page,
            "sorting": sorting,
            "can_create": caseworker,
            "visit_label": _("Wizyta"),
            **searched,
        },  # fmt: skip
    )


_CASELOAD_PAGE = PreparedPage(selectors.caseload_columns)


def _caseload_rows(request, filterset, where, ordered, sorting, *, few: bool) -> PreparedRows | None:
    """The rows for the pager from the prepared query with the request's conditions (the scope's
    `where` and the filter's) in the order of `ordered`, or None where it does not apply; `few`: a
    caseworker's scope."""
    if where is None:
        return None
    conditions = compiled_where(filterset.conditions(Family.objects.all()))
    if conditions is None:
        return None
    order_key = (sorting.key, sorting.descending)
    return PreparedRows(
        _CASELOAD_PAGE, where & conditions, order_key, ordered.query.order_by, today=localdate(),
        number=_page_number(request), per_page=PAGE_SIZE, few=few,
    )  # fmt: skip


def _page_number(request) -> int:
    """The page number asked for (`?strona=`), as the pager reads it; 1 when it is not a number.
    Only a guess of the page read with the count: a number past the end (capped, so that its OFFSET
    stays an integer of SQL's) reads no row, and the pager then counts and reads the last page."""
    try:
        return min(int(request.GET.get(PAGE_PARAM, 1)), 10**9)
    except ValueError:
        return 1


def _row_texts(families) -> None:
    """The caseload rows' links and phrases, made once per row in Python instead of by `{% url %}`
    and `{% blocktranslate %}` in the loop (the same text)."""
    detail, visit = url_of("families:family_detail"), url_of("families:visit_create")
    visit_text = _(": zapisz wizytę – sprawa %(case)s")
    members: dict[int, str] = {}  # the phrase per number of members, translated once
    for family in families:
        family.detail_url, family.visit_url = detail(family.pk), visit(family.pk)
        n = family.member_count
        if n not in members:
            members[n] = ngettext("%(n)s osoba", "%(n)s osób", n) % {"n": n}
        family.members_text = members[n]
        family.visit_text = mark_safe(  # noqa: S308 -- the translation is ours, the case number is escaped
            visit_text % {"case": conditional_escape(family.case_number)}
        )


def _save_form(request, form, save, *, error_field=None):
    """A posted form that validates goes to `save()` (a service); a refusal is shown next to
    `error_field` (None: above the form). Returns (what the service saved, None), or (None, the
    status of the page shown again: 409 for a stale edit or a lost race)."""
    if request.method != "POST" or not form.is_valid():
        return None, 200
    return submit(form, save, error_field=error_field)


def _family_payload(form) -> dict:
    data = dict(form.cleaned_data)
    return {"data": data, "reasons": data.pop("reasons"), "primary_reason": data.pop("primary_reason")}


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
@idempotent_create
def family_create(request):
    form = FamilyForm(request.POST or None, user=request.user)
    family, status = _save_form(
        request,
        form,
        lambda: services.family_create(**_family_payload(form), by=request.user),
        error_field=None,  # the case number comes from the register: a refusal goes above the form
    )
    if family is not None:
        messages.success(request, _("Założono kartotekę rodziny. Dodaj jej członków."))
        return redirect("families:person_create", pk=family.pk)
    return render(request, "families/family_form.html", {"form": form, "family": None}, status=status)


@require_http_methods(["GET", "POST"])
def family_edit(request, pk):
    family = _editable_family(request, pk)
    form = FamilyForm(request.POST or None, instance=family, user=request.user)
    saved, status = _save_form(
        request,
        form,
        lambda: services.family_update(
            family=family, **_family_payload(form), by=request.user, lock_version=form.read_version
        ),
        error_field=None,  # the case number comes from the register: a refusal goes above the form
    )
    if saved is not None:
        messages.success(request, _("Zapisano dane rodziny."))
        return redirect("families:family_detail", pk=family.pk)
    return render(request, "families/family_form.html", {"form": form, "family": family}, status=status)


def _reasons_for(user, family) -> list:
    """The family's art. 7 reasons; those that reveal special-category data only to whom
    `can_see_special_categories` allows."""
    if can_see_special_categories(user, family):
        return list(family.reason_list)
    return [reason for reason in family.reason_list if reason.code not in SENSITIVE_REASONS]


# The family page shows the newest entries of its timeline; "Pokaż starsze" (?wpisy=40, 60, ...)
# shows as many more each time, down to the first (docs/performance.md: a family with years of visits).
TIMELINE_STEP = 20
TIMELINE_PARAM = "wpisy"


def _timeline_window(request, family) -> dict:
    """The newest entries the page asks for (`?wpisy=`, TIMELINE_STEP by default) and, when there
    are older ones, the number to ask for next and the first of the entries it will add."""
    wanted = request.GET.get(TIMELINE_PARAM, "")
    count = max(TIMELINE_STEP, min(int(wanted), 100_000)) if wanted.isdigit() else TIMELINE_STEP
    entries = family_timeline(family, user=request.user, limit=count + 1)
    return {
        "timeline": entries[:count],
        "timeline_older": count + TIMELINE_STEP if len(entries) > count else None,
        "timeline_from": count - TIMELINE_STEP if count > TIMELINE_STEP else None,
    }


def _member_texts(members) -> None:
    """The members' link and labels, made once per page in Python instead of by `{% url %}`,
    `get_FOO_display` and `{% blocktranslate count %}` for each member in the table and the tree
    (the same text: docs/performance/casework.md)."""
    detail = url_of("families:person_detail")
    relations, sexes = choice_labels(Relation), choice_labels(Sex)
    for member in members:
        member.detail_url = detail(member.pk)
        member.relation_label = relations.get(member.relation, member.relation)
        member.birth_text = member.birth_date.strftime("%d.%m.%Y") if member.birth_date else ""
        age = member.age
        member.age_text = ngettext("%(age)s rok", "%(age)s lat", age) % {"age": age}
        member.age_text += f" · {sexes.get(member.sex, member.sex)}"


@require_GET
def family_detail(request, pk):
    try:
        family = selectors.family_for_page(request.user, pk)
    except Family.DoesNotExist:
        raise Http404 from None
    shown(request, family)
    _member_texts(family.member_list)
    return render(
        request,
        "families/family_detail.html",
        {
            "family": family,
            "tree": selectors.family_tree(family.member_list),
            "reasons": _reasons_for(request.user, family),
            **_timeline_window(request, family),
            "can_edit": can_edit_family(request.user, family),
            "page_actions": page_actions(family=family, user=request.user),
            "history": history.change_history(family, special=can_see_special_categories(request.user, family))
            if can_see_change_history(request.user)
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
@idempotent_create
def person_create(request, pk):
    family = _editable_family(request, pk)
    form = PersonForm(request.POST or None, family=family)
    person, status = _save_form(
        request, form, lambda: services.person_create(family=family, **_person_payload(form), by=request.user)
    )
    if person is not None:
        messages.success(request, _("Dodano osobę %(name)s.") % {"name": person.full_name})
        if "add_another" in request.POST:
            return redirect("families:person_create", pk=family.pk)
        return redirect("families:family_detail", pk=family.pk)
    context = _person_form_context(request, form, family, None)
    return render(request, "families/person_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = _editable_person(request, pk)
    form = PersonForm(request.POST or None, instance=person, family=person.family)
    saved, status = _save_form(request, form, lambda: services.person_update(
        person=person, **_person_payload(form), by=request.user, lock_version=form.read_version))  # fmt: skip
    if saved is not None:
        messages.success(request, _("Zapisano dane osoby."))
        return redirect("families:person_detail", pk=person.pk)
    context = _person_form_context(request, form, person.family, person)
    return render(request, "families/person_form.html", context, status=status)


def _person_payload(form) -> dict:
    return {
        "data": form.person_data(),
        "confirmed_not_duplicate": form.cleaned_data.get("confirm_not_duplicate", False),
    }


def _person_form_context(request, form, family, person):
    """The duplicate warning names (and links) only the records the user may open; of the others it
    says only that they exist and whom to ask (issue 11, finding 8). The lookup is logged: every
    record it found is declared, seen or not."""
    pks = [d.pk for d in form.duplicates]
    visible = set(persons_visible_to(request.user).filter(pk__in=pks).values_list("pk", flat=True)) if pks else set()
    shown(request, *form.duplicates)
    return {
        "form": form,
        "family": family,
        "person": person,
        "duplicates": [d for d in form.duplicates if d.pk in visible],
        "hidden_duplicates": sum(1 for d in form.duplicates if d.pk not in visible),
    }


@require_GET
@role_required(*CASEWORK_ROLES)
def generation_hint(request):
    """htmx: the generation select pre-filled from the chosen relation (and the family's head)."""
    head_generation = Generation.PARENTS
    if family_pk := request.GET.get("family", "").strip():
        if not is_id(family_pk):
            raise Http404
        family = get_object_or_404(families_visible_to(request.user), pk=family_pk)
        head = family.members.filter(relation=Relation.HEAD).first()
        head_generation = head.generation if head else Generation.PARENTS
    relation = request.GET.get("relation", "")
    if relation not in Relation.values:
        return HttpResponse(status=204)
    form = PersonForm(initial={"generation": generation_for(relation, head_generation)}, family=Family())
    return HttpResponse(str(form["generation"]))


@require_GET
def person_detail(request, pk):
    try:
        person = selectors.person_for_page(request.user, pk)
    except Person.DoesNotExist:
        raise Http404 from None
    shown(request, person)
    comparisons = selectors.assessment_comparisons(person)
    charts = []
    for comparison in comparisons:
        if comparison.entry and comparison.exit:
            charts.append(
                grouped_bar_chart(
                    _("Zmiana kompetencji: %(instrument)s") % {"instrument": comparison.instrument.name},
                    [str(row[0]) for row in comparison.rows],
                    [
                        (_("ocena wejściowa"), [row[1] for row in comparison.rows]),
                        (_("ocena końcowa"), [row[2] for row in comparison.rows]),
                    ],
                    max_value=5,
                    width=360,  # drawn for a phone: at 360 px its labels keep their size
                    labels_above=True,
                )
            )
        else:
            charts.append(None)
    casework = can_edit_family(request.user, person.family)
    special = can_see_special_categories(request.user, person)
    return render(
        request,
        "families/person_detail.html",
        {
            "person": person,
            "family": person.family,
            "timeline": person_timeline(person, user=request.user),
            "comparisons": list(zip(comparisons, charts, strict=True)),
            "can_edit": casework,
            "page_actions": page_actions(person=person, user=request.user),
            "show_sensitive": special,
            "sensitive": [
                (Person._meta.get_field(name).verbose_name, getattr(person, f"get_{name}_display")())
                for name in (*Person.SENSITIVE_FIELDS, "homeless", "other_disadvantage")
            ]
            if special
            else [],
            "can_merge": can_merge_persons(request.user),
            "instruments": Instrument.objects.filter(is_active=True) if casework else [],
        },
    )


@require_http_methods(["GET", "POST"])
@idempotent_create
def visit_create(request, pk):
    family = _editable_family(request, pk)
    form = VisitForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        services.visit_create(
            family=family,
            data=form.visit_data(),
            persons_present=form.cleaned_data["persons_present"],
            by=request.user,
        )
        messages.success(request, _("Zapisano wizytę."))
        return redirect("families:family_detail", pk=family.pk)
    return render(request, "families/visit_form.html", {"form": form, "family": family})


@require_http_methods(["GET", "POST"])
@idempotent_create
def diagnosis_create(request, pk):
    family = _editable_family(request, pk)
    form = DiagnosisForm(request.POST or None, family=family)
    saved, _status = _save_form(
        request,
        form,
        lambda: services.diagnosis_create(family=family, data=form.cleaned_data, by=request.user),
        error_field="person",
    )
    if saved is not None:
        messages.success(request, _("Zapisano diagnozę potrzeb. Wcześniejsze diagnozy pozostają w historii."))
        return redirect("families:family_detail", pk=family.pk)
    return render(request, "families/diagnosis_form.html", {"form": form, "family": family})


@require_http_methods(["GET", "POST"])
@idempotent_create
def assessment_create(request, pk):
    person = _editable_person(request, pk)
    instruments = Instrument.objects.filter(is_active=True).order_by("name")
    instrument_pk = request.POST.get("instrument") or request.GET.get("instrument") or ""
    if instrument_pk:
        if not is_id(instrument_pk):
            raise Http404
        instrument = get_object_or_404(instruments, pk=instrument_pk)
    else:
        instrument = instruments.first()
        if instrument is None:
            raise Http404
    form = AssessmentForm(request.POST or None, person=person, instrument=instrument)
    saved, _status = _save_form(request, form, lambda: services.assessment_create(
        person=person, instrument=instrument, kind=form.cleaned_data["kind"],
        assessed_on=form.cleaned_data["assessed_on"], scores=form.scores(), notes=form.cleaned_data["notes"],
        by=request.user,
    ))  # fmt: skip
    if saved is not None:
        messages.success(request, _("Zapisano ocenę kompetencji."))
        return redirect("families:person_detail", pk=person.pk)
    return render(
        request,
        "families/assessment_form.html",
        {"form": form, "person": person, "instrument": instrument, "instruments": instruments},
    )


@require_http_methods(["GET", "POST"])
def person_merge(request, pk):
    """The candidates: the likely duplicates, or what the coordinator searches for (by name, without
    diacritics, or a whole PESEL: POSTed and kept behind a token, core.search)."""
    person = get_object_or_404(persons_visible_to(request.user).select_related("family"), pk=pk)
    if not can_merge_persons(request.user):
        raise PermissionDenied
    if search.FIELD in request.POST or search.FIELD in request.GET:
        return search.redirect_to_token(request)
    shown(request, person)
    text = search.search_text(request)
    candidates = selectors.merge_candidates(request.user, person, q=text)
    form = PersonMergeForm(request.POST or None, candidates=candidates)
    context = {"form": form, "person": person, "searched": bool(text), **search.search_context(request, text)}
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(keep=person, remove=form.cleaned_data["remove"], by=request.user)
        except DomainError as exc:
            if exc.conflict:
                return render(request, "families/person_merge.html", {**context, "error": exc.message}, status=409)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Scalono rekordy. Powiązania przeniesiono do tego rekordu."))
            return redirect("families:person_detail", pk=person.pk)
    return render(request, "families/person_merge.html", context)
