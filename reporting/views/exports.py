"""The participant file for the funder (SL2014 layout): a page with the options, then the file."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.access_log import shown
from reporting.access import EXPORT_ROLES, reporting_projects_visible_to
from reporting.forms.exports import ExportForm
from reporting.importing.export_row import ClaimPeriod
from reporting.services.import_export import XLSX_CONTENT_TYPE, csv_lines, export_rows, write_xlsx
from support_network.access import role_required


@role_required(*EXPORT_ROLES)
def participant_export(request, project_pk):
    """Without `format` the options page; with it the file (a bad option shows the page again)."""
    project = get_object_or_404(reporting_projects_visible_to(request.user), pk=project_pk)
    if "format" not in request.GET:
        return render(request, "reporting/participants/export.html", {"project": project, "form": ExportForm()})
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "reporting/participants/export.html", {"project": project, "form": form}, status=400)
    fmt, encoding = form.cleaned_data["format"], form.cleaned_data["encoding"]
    period = None
    if form.cleaned_data["date_from"]:
        period = ClaimPeriod(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    since_last_claim = form.cleaned_data["zmienione"]
    details = {"export": "participants", "format": fmt} | ({"since_last_claim": True} if since_last_claim else {})
    if period:
        details["period"] = str(period)
    if fmt == "csv" and encoding != "utf-8":
        details["encoding"] = encoding
    shown(request, project, **details)  # one ACCESS entry for the download (core.access_log)
    filename = f"uczestnicy-{project.pk}-{timezone.localdate():%Y-%m-%d}{'-zmiany' if since_last_claim else ''}.{fmt}"
    rows = export_rows(project, period=period, since_last_claim=since_last_claim)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(rows, encoding=encoding),
                                         content_type=f"text/csv; charset={encoding}")  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    write_xlsx(rows, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
