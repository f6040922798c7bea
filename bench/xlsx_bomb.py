"""An XLSX decompression bomb, built on the fly (never committed), and its cost to the import reader.

    .venv/bin/python -m bench.xlsx_bomb [--inflated-mb 1024] [--memory-cap-mb 4096]

Builds a valid workbook whose shared-strings part is one string of `--inflated-mb` megabytes of
1 KB strings of "A" (about 1 MB compressed per GB), then reads it with `reporting.importing.reader.read_rows` in a
child process under an address-space cap, and prints the child's peak memory (RSS) and wall time.
Used for the figures in docs/security.md ("Upload limits"); tests build smaller bombs the same way.
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

import openpyxl

CHUNK = 1024 * 1024
SHARED_STRINGS = "xl/sharedStrings.xml"


SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
)


def bomb_bytes(inflated_bytes: int, string_length: int = 1000) -> bytes:
    """A readable workbook (A1 = shared string 0) whose shared-strings part holds `inflated_bytes`
    of distinct-looking 1 KB strings (what a parser must keep in memory: all of them)."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Imię"
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", SST_TYPE + b"</Types>")
            elif item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace('t="inlineStr"><is><t>Imię</t></is>'.encode(), b't="s"><v>0</v>')
            zf.writestr(item, content)
        entry = b"<si><t>" + b"A" * string_length + b"</t></si>"
        count = max(inflated_bytes // len(entry), 1)
        with zf.open(SHARED_STRINGS, "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
                       b'uniqueCount="%d">' % (count, count))  # fmt: skip
            block = entry * (CHUNK // len(entry))
            for _ in range(count // (CHUNK // len(entry))):
                part.write(block)
            part.write(entry * (count % (CHUNK // len(entry))))
            part.write(b"</sst>")
    return out.getvalue()


CHILD = """
import os, sys, time, resource
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from reporting.importing.reader import FileError, read_rows
start = time.monotonic()
try:
    with open(sys.argv[1], "rb") as f:
        headers, rows = read_rows(f, "bomba.xlsx")
        sum(1 for _ in rows)
    outcome = "read"
except FileError as exc:
    outcome = "refused: " + str(exc)
except MemoryError:
    outcome = "MemoryError"
print(f"{time.monotonic() - start:.2f}|{outcome}")
"""


def measure(path: str, memory_cap_mb: int) -> tuple[float, float, int, str]:
    def cap():
        limit = memory_cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.monotonic()
    command = [sys.executable, "-c", CHILD, path]
    child = subprocess.run(command, capture_output=True, text=True, preexec_fn=cap, check=False)  # noqa: S603, PLW1509
    wall = time.monotonic() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    last = (child.stdout.strip().splitlines() or [f"0|crashed: {child.stderr.strip()[-200:]}"])[-1]
    read_seconds, outcome = last.split("|", 1)
    return wall, float(read_seconds), peak_kb // 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inflated-mb", type=int, default=1024)
    parser.add_argument("--memory-cap-mb", type=int, default=4096)
    args = parser.parse_args()
    data = bomb_bytes(args.inflated_mb * 1024 * 1024)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as f:
        f.write(data)
    try:
        wall, read_seconds, peak_mb, outcome = measure(f.name, args.memory_cap_mb)
    finally:
        os.unlink(f.name)
    print(f"bomb: {len(data) / 1024:.0f} KB on disk, {args.inflated_mb} MB inflated")
    print(f"reader: {read_seconds:.2f} s reading ({wall:.2f} s with Django start-up), peak RSS {peak_mb} MB")
    print(outcome[:300])


if __name__ == "__main__":
    main()
