"""The TERYT TERC register and the DEGURBA class of each gmina (DOMAIN.md §7.3–7.4): loading the
official files, finding a gmina by name, and filling an address (Województwo, Powiat, Gmina,
DEGURBA) from a gmina's 7-digit code — for the family and participation forms, the demo seeders
and the participant import (`fill_address`).

File formats (docs/operations.md#teryt-and-degurba):
- TERC: GUS's "urzędowy" TERC file, `;`-separated, UTF-8 (with or without BOM) or cp1250, header
  `WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA`.
- DEGURBA: a CSV (`;`, `,` or tab; UTF-8 or cp1250) or XLSX (first sheet with such a header) with
  a code column (`LAU CODE`, `LAU_CODE`, `LAU_ID`, `TERYT`, `KOD`) and a class column whose name
  starts with `DEGURBA` or `DGURBA` — Eurostat's LAU/DEGURBA table as published, any country's
  rows but Poland's being skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from support_network.models import GminaDegurba, TerytLevel, TerytUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_TERC = DATA_DIR / "TERC_Urzedowy_2020-01-01.csv"
TERC_COLUMNS = ("WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA")
GMINA_KINDS = ("1", "2", "3")  # whole gminas (4/5 are the parts of an urban-rural gmina, 8/9 districts)
CODE_COLUMNS = ("LAU CODE", "LAU_CODE", "LAU_ID", "LAU", "TERYT", "KOD", "KOD TERYT", "KOD_TERYT")
DEGURBA_CLASSES = ("1", "2", "3")
SEARCH_LIMIT = 20


class TerritoryFileError(ValueError):
    """A file that is not the expected official format; the message is Polish and names the line."""


def fold(text: str) -> str:
    """Lower case without diacritics (ł too), for searches that ignore them."""
    text = text.strip().lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c) and c.isprintable())


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1250")


# --- TERC -------------------------------------------------------------------------------------


def _terc_row(row: dict, line: int) -> dict:
    woj, pow_, gmi, rodz = (row[c].strip() for c in ("WOJ", "POW", "GMI", "RODZ"))
    if not pow_:
        code, level = woj, TerytLevel.VOIVODESHIP
    elif not gmi:
        code, level = woj + pow_, TerytLevel.COUNTY
    else:
        code, level = woj + pow_ + gmi + rodz, TerytLevel.GMINA
    if not code.isdigit() or len(code) not in (2, 4, 7):
        raise TerritoryFileError(_("Wiersz %(line)d: niepoprawny kod TERYT „%(code)s”.") % {"line": line, "code": code})
    try:
        valid_on = dt.date.fromisoformat(row["STAN_NA"].strip())
    except ValueError:
        raise TerritoryFileError(_("Wiersz %(line)d: STAN_NA nie jest datą RRRR-MM-DD.") % {"line": line}) from None
    name = row["NAZWA"].strip()
    return {"code": code, "level": level, "name": name, "kind": row["NAZWA_DOD"].strip(),
            "search_name": fold(name), "valid_on": valid_on}  # fmt: skip


def parse_terc(raw: bytes) -> list[dict]:
    """The rows of an official TERC file, checked; raises TerritoryFileError."""
    reader = csv.DictReader(io.StringIO(_decode(raw)), delimiter=";")
    missing = [c for c in TERC_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise TerritoryFileError(
            _("To nie jest plik TERC: brak kolumn %(columns)s (oczekiwane: %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ";".join(TERC_COLUMNS)}
        )
    rows = [_terc_row(row, line) for line, row in enumerate(reader, start=2)]
    if not any(r["level"] == TerytLevel.GMINA for r in rows):
        raise TerritoryFileError(_("Plik TERC nie zawiera żadnej gminy."))
    return rows


@transaction.atomic
def teryt_load(rows: list[dict], *, model: Any = TerytUnit) -> dict[str, int]:
    """Bring the register to the state of `rows`: new units added, changed ones updated, units
    missing from the file kept but marked not in force. `model` lets a data migration pass its
    historical model. Returns counts: created, updated, retired."""
    existing = {unit.code: unit for unit in model.objects.all()}
    new, changed = [], []
    for row in rows:
        unit = existing.get(row["code"])
        if unit is None:
            new.append(model(in_force=True, **row))
        elif any(getattr(unit, k) != v for k, v in row.items()) or not unit.in_force:
            for key, value in row.items():
                setattr(unit, key, value)
            unit.in_force = True
            changed.append(unit)
    model.objects.bulk_create(new, batch_size=1000)
    model.objects.bulk_update(changed, ["level", "name", "kind", "search_name", "valid_on", "in_force"], 1000)
    codes = {row["code"] for row in rows}
    retired = model.objects.filter(in_force=True).exclude(code__in=codes).update(in_force=False)
    return {"created": len(new), "updated": len(changed), "retired": retired}


# --- DEGURBA ----------------------------------------------------------------------------------


def _table(raw: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # noqa: PLC0415 - only this format needs it

        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        for sheet in book.worksheets:
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if any(_header(row) for row in rows[:20]):
                return rows
        return []
    text = _decode(raw)
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    return list(csv.reader(io.StringIO(text), dialect))


def _header(row: list[str]) -> tuple[int, int] | None:
    names = [c.strip().upper() for c in row]
    code = next((i for i, n in enumerate(names) if n in CODE_COLUMNS), None)
    klass = next((i for i, n in enumerate(names) if n.startswith(("DEGURBA", "DGURBA"))), None)
    return (code, klass) if code is not None and klass is not None else None


def _lau_code(value: str) -> str:
    code = value.strip().upper().removeprefix("PL_").removeprefix("PL")
    code = code.split(".")[0] if code.endswith(".0") else code  # a number read from Excel
    return code.zfill(7) if code.isdigit() and len(code) == 6 else code  # a leading zero Excel dropped


def parse_degurba(raw: bytes, name: str) -> list[tuple[str, str]]:
    """(gmina code, class) pairs of a DEGURBA file; rows whose code is not a 7-digit Polish code
    are skipped (other countries), a Polish row with a class other than 1/2/3 is an error."""
    rows = _table(raw, name)
    start = next((i for i, row in enumerate(rows[:20]) if _header(row)), None)
    if start is None:
        raise TerritoryFileError(
            _("Nie znaleziono nagłówka: potrzebna kolumna kodu (%(codes)s) i kolumna DEGURBA.")
            % {"codes": ", ".join(CODE_COLUMNS[:5])}
        )
    code_at, class_at = _header(rows[start]) or (0, 0)
    pairs = []
    for line, row in enumerate(rows[start + 1 :], start=start + 2):
        if len(row) <= max(code_at, class_at) or not (code := _lau_code(row[code_at])).isdigit() or len(code) != 7:
            continue
        klass = row[class_at].strip().removesuffix(".0")
        if klass not in DEGURBA_CLASSES:
            raise TerritoryFileError(
                _("Wiersz %(line)d: DEGURBA „%(value)s” – dozwolone 1, 2 albo 3.") % {"line": line, "value": klass}
            )
        pairs.append((code, klass))
    return pairs


@transaction.atomic
def degurba_load(pairs: list[tuple[str, str]], *, source: str) -> dict[str, int]:
    """Store the classes of the gminas the register knows; returns counts: loaded, unknown (codes
    not in the register, skipped)."""
    known = set(TerytUnit.objects.filter(level=TerytLevel.GMINA).values_list("code", flat=True))
    loaded = 0
    for code, klass in pairs:
        if code in known:
            GminaDegurba.objects.update_or_create(code=code, defaults={"degurba": klass, "source": source})
            loaded += 1
    return {"loaded": loaded, "unknown": len(pairs) - loaded}


# --- looking up and filling an address ---------------------------------------------------------


@dataclass(frozen=True)
class GminaAddress:
    code: str
    gmina: str
    kind: str
    county: str
    voivodeship: str
    degurba: str  # "" when the DEGURBA table does not know the gmina

    @property
    def label(self) -> str:
        return f"{self.gmina} ({self.kind}), pow. {self.county}, woj. {self.voivodeship}"


def _degurba_of(code: str) -> str:
    # the town or rural part of an urban-rural gmina takes the gmina's class when it has none
    codes = [code, code[:6] + "3"] if code[6] in "45" else [code]
    found = dict(GminaDegurba.objects.filter(code__in=codes).values_list("code", "degurba"))
    return next((found[c] for c in codes if c in found), "")


def gmina_address(code: str) -> GminaAddress | None:
    """The address parts of a gmina code from the register (two queries), or None when unknown."""
    code = (code or "").strip()
    if len(code) != 7 or not code.isdigit():
        return None
    units = {u.code: u for u in TerytUnit.objects.filter(code__in=[code[:2], code[:4], code])}
    gmina = units.get(code)
    if gmina is None or gmina.level != TerytLevel.GMINA:
        return None
    county, voivodeship = units.get(code[:4]), units.get(code[:2])
    return GminaAddress(code=code, gmina=gmina.name, kind=gmina.kind, county=county.name if county else "",
                        voivodeship=voivodeship.name.lower() if voivodeship else "",
                        degurba=_degurba_of(code))  # fmt: skip


def fill_address(target: Any, gmina_code: str) -> bool:
    """Set voivodeship, county, gmina and degurba of `target` (a dict or an object, e.g. a
    Participation) from the register; DEGURBA is kept as given when the table does not know the
    gmina. Returns False (and changes nothing) for a code the register does not know."""
    address = gmina_address(gmina_code)
    if address is None:
        return False
    values = {"voivodeship": address.voivodeship, "county": address.county, "gmina": address.gmina}
    if address.degurba:
        values["degurba"] = address.degurba
    for key, value in values.items():
        if isinstance(target, dict):
            target[key] = value
        else:
            setattr(target, key, value)
    return True


def gmina_code_from_names(*, voivodeship: str, county: str, gmina: str) -> str | None:
    """The code of the one gmina in force with these names (as an SL2014 file spells them, any
    case and diacritics), or None when there is none or more than one."""
    if not fold(gmina):
        return None
    candidates = TerytUnit.objects.filter(level=TerytLevel.GMINA, in_force=True, search_name=fold(gmina))
    codes = [c for c in candidates.values_list("code", flat=True) if c[6] in GMINA_KINDS]
    parents = {u.code: u.search_name for u in TerytUnit.objects.filter(code__in={c[:4] for c in codes}
                                                                        | {c[:2] for c in codes})}  # fmt: skip
    if fold(voivodeship):
        codes = [c for c in codes if parents.get(c[:2]) == fold(voivodeship)]
    if fold(county):
        wanted = fold(county).removeprefix("powiat ").removeprefix("m. ")
        codes = [c for c in codes if parents.get(c[:4]) == wanted]
    return codes[0] if len(codes) == 1 else None


def search_gminas(query: str, *, limit: int = SEARCH_LIMIT) -> list[GminaAddress]:
    """Gminas in force whose name starts with (then contains) the query, with powiat and
    voivodeship (three queries for any number of matches)."""
    folded = fold(query)[:60]
    if len(folded) < 2:
        return []
    base = TerytUnit.objects.filter(level=TerytLevel.GMINA, in_force=True, code__regex=r"[123]$")
    units = list(base.filter(search_name__startswith=folded).order_by("search_name", "code")[:limit])
    if len(units) < limit:
        more = base.filter(search_name__contains=folded).exclude(search_name__startswith=folded)
        units += list(more.order_by("search_name", "code")[: limit - len(units)])
    parents = {u.code: u.name for u in TerytUnit.objects.filter(code__in={u.code[:4] for u in units}
                                                                 | {u.code[:2] for u in units})}  # fmt: skip
    classes = dict(GminaDegurba.objects.filter(code__in=[u.code for u in units]).values_list("code", "degurba"))
    return [GminaAddress(code=u.code, gmina=u.name, kind=u.kind, county=parents.get(u.code[:4], ""),
                         voivodeship=parents.get(u.code[:2], "").lower(), degurba=classes.get(u.code, ""))
            for u in units]  # fmt: skip
