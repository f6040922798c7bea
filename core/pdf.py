"""The one PDF helper: template + context -> bytes, with WeasyPrint.

The URL fetcher allows only `data:` URLs: content can never make the renderer fetch a file
(file://) or a server (http://127.0.0.1, the intranet). Styles are inlined from
static/css/pdf.css, fonts come from the system (DejaVu renders Polish text correctly).
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

PDF_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"


def _fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols=["data"], allow_redirects=False, timeout=1)


@cache
def _stylesheet() -> CSS:
    return CSS(string=PDF_CSS.read_text(encoding="utf-8"), url_fetcher=_fetcher())


def _write_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url="data:,", url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet()])


def render_pdf(template_name: str, context: dict, *, meanwhile: Callable[[], object] | None = None) -> bytes:
    """The template rendered to PDF. `meanwhile`: work of the caller done in the calling thread
    while WeasyPrint lays the document out in a helper thread (the template is rendered before, in
    the calling thread: its database access and active language stay the caller's), e.g. queries:
    the database's time then overlaps the layout's. Its exception, or WeasyPrint's, is raised once
    both are over."""
    html = render_to_string(template_name, context)
    if meanwhile is None:
        return _write_pdf(html)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") as pool:
        document = pool.submit(_write_pdf, html)
        meanwhile()
        return document.result()
