"""COPY rows made in child processes: the load's biggest table (visits, 4 million rows at XL) is
made and formatted for COPY office by office in a pool of forked processes, each writing its office's
COPY data to a temporary file; the parent streams the files into one COPY in office order (the rows
and their ids come out in the same order every run). On the shared 2-core machine Python's share of
a core, not PostgreSQL, bounded the load: two children get two shares, and the parent's own time is
left for sending bytes.

A child reads what the parent had made before the fork (`_JOB`), never the database: it must not
touch the inherited connection (a forked process ends with `os._exit`, which closes nothing).
"""

import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence

from django.db import connection
from psycopg._copy_base import TextFormatter  # psycopg's COPY text format, without a connection
from psycopg.adapt import Transformer

from demo.loadgen.copy import _copy, _defaults

PROCESSES = 2
PARTS = 10  # blocks a table's rows are made in
CHUNK = 1 << 20

_JOB: dict = {}


def _make_file(part: int) -> tuple[str, int]:
    make, tail, transformer, folder = _JOB["make"], _JOB["tail"], _JOB["transformer"], _JOB["folder"]
    formatter = TextFormatter(transformer)
    count = 0
    fd, path = tempfile.mkstemp(dir=folder, suffix=".copy")
    with os.fdopen(fd, "wb") as out:
        for row in make(part):
            if data := formatter.write_row((*row, *tail)):
                out.write(data)
            count += 1
        out.write(formatter.end())
    return path, count


def copy_rows_in_children(model, columns: Sequence[str], parts: int, make: Callable[[int], Iterable[Sequence]]) -> int:
    """COPY the rows `make(part)` yields for part 0 … parts-1 (tuples for `columns`, as
    `copy_rows` takes them; the table's identity gives the ids). Returns the count."""
    opts = model._meta
    rest, rest_values = _defaults(model, set(columns))
    names = [opts.get_field(c).column for c in columns]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names + rest)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({quoted}) FROM STDIN"
    count = 0
    with tempfile.TemporaryDirectory(prefix="loadgen-") as folder:
        _JOB.update(make=make, tail=tuple(rest_values), folder=folder,
                    transformer=Transformer.from_context(connection.connection))  # fmt: skip
        try:
            pool = multiprocessing.get_context("fork").Pool(PROCESSES)  # before the copy's writer thread
            with pool, connection.cursor() as cursor, _copy(cursor, sql) as copy:
                for path, made in pool.imap(_make_file, range(parts)):
                    with open(path, "rb") as data:
                        while chunk := data.read(CHUNK):
                            copy.write(chunk)
                    os.unlink(path)
                    count += made
        finally:
            _JOB.clear()
    return count
