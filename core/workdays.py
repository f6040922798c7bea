"""Working days in Poland: Monday to Friday except public holidays (ustawa o dniach wolnych od
pracy), taken from the maintained `holidays` package (it knows Easter-based holidays and the
Wigilia day off from 2025)."""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _polish_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("PL", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _polish_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the start day itself is not counted).

    add_working_days(Friday, 1) is the next Monday (or Tuesday after Easter Monday)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
