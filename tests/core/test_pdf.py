"""The PDF helper renders Polish text and fetches no URL from content."""

import http.server
import subprocess
import threading

import pytest
from django.template import engines

from core import pdf


@pytest.fixture
def counting_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def render_string(tmp_path, monkeypatch, body):
    template = engines["django"].from_string("<html><body>{{ body|safe }}</body></html>")
    monkeypatch.setattr(pdf, "render_to_string", lambda name, ctx: template.render(ctx))
    return pdf.render_pdf("any.html", {"body": body})


def pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_polish_characters_survive(tmp_path, monkeypatch):
    data = render_string(tmp_path, monkeypatch, "<p>Zażółć gęślą jaźń ĄĘŁŃÓŚŹŻ „cudzysłów” 904 150,00 zł</p>")
    assert data.startswith(b"%PDF")
    assert "Zażółć gęślą jaźń ĄĘŁŃÓŚŹŻ „cudzysłów” 904 150,00 zł" in pdf_text(tmp_path, data)


def test_renderer_fetches_no_url_from_content(tmp_path, monkeypatch, counting_server):
    port, hits = counting_server
    body = (
        f'<img src="http://127.0.0.1:{port}/img.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        f'<div style="background: url(http://127.0.0.1:{port}/bg.png)">x</div>'
        '<img src="file:///etc/passwd"><iframe src="file:///etc/hostname"></iframe>'
    )
    data = render_string(tmp_path, monkeypatch, body)
    assert data.startswith(b"%PDF")
    assert hits == []
    assert "root:" not in pdf_text(tmp_path, data)


def test_meanwhile_runs_in_the_calling_thread_while_the_pdf_is_laid_out(tmp_path, monkeypatch):
    template = engines["django"].from_string("<html><body><p>{{ body }}</p></body></html>")
    monkeypatch.setattr(pdf, "render_to_string", lambda name, ctx: template.render(ctx))
    threads = []
    data = pdf.render_pdf("any.html", {"body": "Zażółć"}, meanwhile=lambda: threads.append(threading.current_thread()))
    assert threads == [threading.main_thread()]
    assert "Zażółć" in pdf_text(tmp_path, data)

    def broken():
        raise ValueError("snapshot")

    with pytest.raises(ValueError, match="snapshot"):
        pdf.render_pdf("any.html", {"body": "x"}, meanwhile=broken)
    assert not [t for t in threading.enumerate() if t.name.startswith("pdf")]  # the helper thread ended
