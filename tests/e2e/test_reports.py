"""The project manager's journey: dashboard -> request the PDF for a period -> wait -> download;
the PDF holds the values that the `indicators` command gives."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.reporting import fixtures_indicators as fx
from tests.support_network.factories import PASSWORD

populated_project = fx.populated_project


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_manager_requests_and_downloads_the_indicator_report(desktop, live_server, manager, populated_project,
                                                             settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    page = desktop
    log_in(page, live_server, "kierownik", PASSWORD)
    page.get_by_role("link", name="Projekty").first.click()
    page.get_by_role("link", name=populated_project.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(populated_project.title)
    page.get_by_role("link", name="Zleć raport PDF").click()
    page.get_by_label("od").fill("2018-01-01")
    page.get_by_label("do").fill("2018-12-31")
    page.get_by_role("button", name="Generuj PDF").click()
    download_link = page.locator("#report-download")
    expect(download_link).to_be_visible(timeout=60000)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "downloaded.pdf"
    info.value.save_as(path)
    text = fx.pdf_text(path)

    out = StringIO()
    call_command("indicators", "--project", populated_project.agreement_number, "--from", "2018-01-01",
                 "--to", "2018-12-31", "--format", "json", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    lines = {}  # first line starting with each code: the table row (the chart labels come later)
    for line in text.splitlines():
        if line.strip():
            lines.setdefault(line.split()[0], line.split())
    for code in ("OUT_AROPE", "OUT_UNEMPLOYED", "RES_EMPLOYED", "RES_QUAL"):
        values = data[code]
        numbers = [str(values["period"][k]) for k in ("K", "M", "total")] + [
            str(values["cumulative"][k]) for k in ("K", "M", "total")
        ]
        row = " ".join(lines[code])
        assert " ".join(numbers) in row, (code, row)
    for code in ("KES", "KEZ"):
        cumulative = data[code]["cumulative"]
        assert f"{cumulative['numerator']} / {cumulative['denominator']}" in text
        assert cumulative["percent_display"] in text
    assert "Tajemnicza" not in text
