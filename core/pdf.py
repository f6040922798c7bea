"""The one PDF helper: template + context -> bytes, with WeasyPrint.

The URL fetcher allows only `data:` URLs: content can never make the renderer fetch a file
(file://) or a server (http://127.0.0.1, the intranet). Styles are inlined from
static/css/pdf.css, fonts come from the system (DejaVu renders Polish text correctly).
"""

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


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url="data:,", url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet()])
