"""Date arithmetic of the EFS windows (EFS_RULES.md §4–5)."""

import calendar
import datetime as dt

RESULT_WINDOW_DAYS = 28


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later; the last day of that month when the day does not
    exist there (31 Jan + 3 months = 30 Apr; 30 Nov + 3 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def result_window_end(end_date: dt.date) -> dt.date:
    """Last day counted "up to 4 weeks after leaving": end + 28 days (day 28 counts, day 29 does not)."""
    return end_date + dt.timedelta(days=RESULT_WINDOW_DAYS)


def effectiveness_window_end(end_date: dt.date) -> dt.date:
    """Last day counted "up to 3 months after leaving"."""
    return add_months(end_date, 3)
