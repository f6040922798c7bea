"""Writes the official-layout SL2014 participant files the import tests read (run it from the
repository root to rebuild them: `.venv/bin/python tests/reporting/files/make_sl2014_files.py`).

They look like files from the SL2014 module and from other systems feeding it, not like our own
export: official headers only (no extra columns, so no at-risk column), "W tym" twice, the
spellings seen in real files ("Numer umowy/ decyzji /aneksu", "Pesel", "Zatrudniony w:", "w tym"),
the XLSX with the institutional block (empty for individual participants) and real date cells,
the CSV in Windows-1250 with `;` and no BOM, as older Excel saves it.
"""

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
PROJECT = ["POWR.04.01.00-00-0001/17-00", "Miejski Ośrodek Pomocy Społecznej", "Fachowa siła przyszłością",
           dt.date(2017, 1, 1), dt.date(2019, 12, 31), "2017-01-01 – 2017-12-31"]  # fmt: skip
PROJECT_HEADERS = ["Numer umowy/ decyzji /aneksu", "Nazwa beneficjenta", "Tytuł projektu",
                   "Okres realizacji projektu od", "Okres realizacji projektu do", "Wniosek za okres"]  # fmt: skip
INSTITUTION_HEADERS = [
    "Kraj", "Nazwa instytucji", "NIP", "Brak NIP", "Typ instytucji", "w tym", "Województwo", "Powiat", "Gmina",
    "Miejscowość", "Ulica", "Nr budynku", "Nr lokalu", "Kod pocztowy", "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy", "Adres e-mail", "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie", "Czy wsparciem zostali objęci pracownicy instytucji",
    "Rodzaj przyznanego wsparcia", "w tym", "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu",
]  # fmt: skip
INDIVIDUAL_HEADERS = [
    "Kraj", "Rodzaj uczestnika", "Nazwa instytucji", "Imię", "Nazwisko", "Pesel", "Brak PESEL", "Płeć",
    "Wiek w chwili przystąpienia do projektu", "Wykształcenie", "Województwo", "Powiat", "Gmina", "Miejscowość",
    "Ulica", "Nr budynku", "Nr lokalu", "Kod pocztowy", "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy", "Adres e-mail", "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie", "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "W tym", "Wykonywany zawód", "Zatrudniony w:", "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie",
    "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie",
    "Inne rezultaty dotyczące osób młodych (dotyczy IZM)",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
    "Rodzaj przyznanego wsparcia", "W tym", "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu", "Data założenia działalności gospodarczej",
    "Kwota środków przyznanych na założenie działalności gospodarczej", "PKD założonej działalności gospodarczej",
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań", "Osoba z niepełnosprawnościami",
    "Osoba w innej niekorzystnej sytuacji społecznej",
    "Planowana data zakończenia edukacji w placówce edukacyjnej, w której skorzystano ze wsparcia",
]  # fmt: skip
D = dt.date
# PESELs are synthetic (families.pesel.make_pesel): 80010100116 = 1980-01-01 M, 95031523408 = 1995-03-15 K,
# 02221001514 = 2002-02-10 M.
PARTICIPANTS = [
    ["Polska", "indywidualny", "", "Józef", "Żółkiewski", "80010100116", "Nie", "mężczyzna", 37,
     "gimnazjalne (ISCED 2)", "śląskie", "wodzisławski", "Wodzisław Śląski", "Wodzisław Śląski", "ul. Wałowa",
     "12", "3", "44-300", "2", "600100200", "", D(2017, 3, 1), D(2017, 9, 30),
     "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy", "osoba długotrwale bezrobotna", "", "",
     "osoba pracująca (łącznie z prowadzącymi działalność na własny rachunek)", "nie dotyczy", "", "Tak",
     "szkolenie/kurs | doradztwo/konsultacje", "kurs zawodowy | doradztwo zawodowe",
     "2017-03-01 | 2017-04-10", "2017-05-31 | 2017-06-30", "", "", "",
     "Nie", "Nie", "Tak", "Odmowa podania informacji", ""],
    ["Polska", "indywidualny", "", "Małgorzata", "Śliwińska", "95031523408", "Nie", "kobieta", 22,
     "ponadgimnazjalne (ISCED 3)", "śląskie", "wodzisławski", "Gorzyce", "Olza", "Raciborska", "5", "", "44-350",
     "3", "", "", D(2017, 4, 3), D(2017, 12, 1), "osoba bierna zawodowo",
     "osoba nieuczestnicząca w kształceniu lub szkoleniu", "", "",
     "osoba pracująca (łącznie z prowadzącymi działalność na własny rachunek)", "nie dotyczy", "", "Tak",
     "środki na założenie działalności gospodarczej", "", D(2017, 10, 1), D(2017, 11, 30),
     D(2017, 12, 4), 23000, "47.91.Z", "Nie", "Nie", "Nie", "Nie", ""],
    ["Polska", "indywidualny", "", "Łukasz", "Gęś", "02221001514", "Nie", "mężczyzna", 15,
     "podstawowe (ISCED 1)", "śląskie", "wodzisławski", "Wodzisław Śląski", "Wodzisław Śląski", "Ogrodowa",
     "1", "", "44-300", "2", "", "", D(2017, 5, 2), None, "osoba bierna zawodowo", "osoba ucząca się", "", "",
     "", "", "", "", "usługa aktywnej integracji o charakterze edukacyjnym", "", D(2017, 5, 2), None, "", "", "",
     "Nie", "Nie", "Nie", "Nie", D(2018, 6, 22)],
]  # fmt: skip


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Uczestnicy"
    sheet.append(PROJECT_HEADERS + INSTITUTION_HEADERS + INDIVIDUAL_HEADERS)
    for row in PARTICIPANTS:
        sheet.append(PROJECT + [None] * len(INSTITUTION_HEADERS) + row)
    workbook.save(path)


def write_csv(path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(PROJECT_HEADERS + INDIVIDUAL_HEADERS)
    for row in PARTICIPANTS:
        writer.writerow([text(v) for v in PROJECT + row])
    path.write_bytes(out.getvalue().encode("cp1250"))


if __name__ == "__main__":
    write_xlsx(HERE / "sl2014_official.xlsx")
    write_csv(HERE / "sl2014_official_cp1250.csv")
