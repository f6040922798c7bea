"""The participant import pages: upload → preview (nothing saved) → commit or cancel; the template.

The uploaded file is kept server-side under a token (reporting.services.participant_uploads):
the preview page and the commit never ask for it again. Only the uploader sees their upload;
another user, another project or an expired token gets 404 (an expired one with a message).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from reporting.access import MANAGE_ROLES, can_manage_project, reporting_projects_visible_to
from reporting.forms.participants import ImportForm
from reporting.importing.reader import Deadline
from reporting.importing.template import template_xlsx
from reporting.services import participant_uploads as uploads
from reporting.services.participant_import import ImportPreview, ImportRejected, summary_message
from support_network.access import role_required

MAX_SHOWN_ROWS = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed_project(request, project_pk):
    project = get_object_or_404(reporting_projects_visible_to(request.user), pk=project_pk)
    if not can_manage_project(request.user, project):
        raise PermissionDenied
    return project


def _deadline() -> Deadline:
    return Deadline(settings.PARTICIPANT_IMPORT_TIME_LIMIT)


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def participant_import(request, project_pk):
    project = _managed_project(request, project_pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview, token = uploads.upload_preview(project=project, data=upload.read(), filename=upload.name,
                                                    by=request.user, deadline=_deadline())  # fmt: skip
        except DomainError:
            raise PermissionDenied from None
        if token:
            return redirect("reporting:participant_import_preview", project_pk=project.pk, token=token)
    return render(request, "reporting/participants/import.html", {
        "project": project, "form": form, "file_errors": preview.file_errors if preview else [],
    }, status=422 if preview or form.errors else 200)  # fmt: skip


def _upload_or_404(request, project, token):
    upload = uploads.upload_find(project=project, token=token, by=request.user)
    if upload is None:
        messages.warning(request, _("Tego podglądu już nie ma (zatwierdzony, anulowany albo wygasł po godzinie). "
                                    "Wgraj plik ponownie."))  # fmt: skip
        return None
    return upload


def _preview_page(request, project, token, preview: ImportPreview, *, status=200):
    return render(request, "reporting/participants/import_preview.html", {
        "project": project, "token": token, "preview": preview, "shown_rows": MAX_SHOWN_ROWS,
        "created": preview.of("create"), "updated": preview.of("update"), "unchanged": preview.of("unchanged"),
        "errors": preview.errors[:MAX_SHOWN_ROWS], "gaps": preview.gaps[:MAX_SHOWN_ROWS],
        "changed_indicators": [i for i in preview.indicators if i.changed],
    }, status=status)  # fmt: skip


@role_required(*MANAGE_ROLES)
def participant_import_preview(request, project_pk, token):
    project = _managed_project(request, project_pk)
    upload = _upload_or_404(request, project, token)
    if upload is None:
        return redirect("reporting:participant_import", project_pk=project.pk)
    return _preview_page(request, project, token, ImportPreview.from_dict(upload.preview))


@role_required(*MANAGE_ROLES)
@require_POST
def participant_import_commit(request, project_pk, token):
    project = _managed_project(request, project_pk)
    upload = _upload_or_404(request, project, token)
    if upload is None:
        return redirect("reporting:participant_import", project_pk=project.pk)
    try:
        summary = uploads.upload_commit(upload=upload, by=request.user, deadline=_deadline())
    except uploads.PreviewOutdated as outdated:
        messages.warning(request, _("Dane projektu zmieniły się od podglądu – sprawdź nowy podgląd i zatwierdź "
                                    "ponownie."))  # fmt: skip
        return _preview_page(request, project, token, outdated.preview, status=409)
    except ImportRejected as rejected:
        preview = ImportPreview.from_dict(upload.preview)
        preview.errors = rejected.errors
        return _preview_page(request, project, token, preview, status=422)
    except DomainError:
        raise PermissionDenied from None
    messages.success(request, summary_message(summary))
    return redirect("reporting:participant_list", project_pk=project.pk)


@role_required(*MANAGE_ROLES)
@require_POST
def participant_import_cancel(request, project_pk, token):
    project = _managed_project(request, project_pk)
    upload = uploads.upload_find(project=project, token=token, by=request.user)
    if upload is not None:
        uploads.upload_discard(upload)
    messages.info(request, _("Import anulowano – nic nie zapisano, plik usunięto z serwera."))
    return redirect("reporting:participant_import", project_pk=project.pk)


@role_required(*MANAGE_ROLES)
def participant_import_template(request, project_pk):
    _managed_project(request, project_pk)
    response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="wzor-uczestnicy-sl2014.xlsx"'
    return response
