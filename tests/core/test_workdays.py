import datetime as dt

from core.workdays import add_working_days, is_working_day


def test_weekends_and_polish_public_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert not is_working_day(dt.date(2026, 11, 11))  # Narodowe Święto Niepodległości (Wednesday)
    assert not is_working_day(dt.date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(dt.date(2025, 12, 24))  # Wigilia is a day off from 2025
    assert is_working_day(dt.date(2026, 11, 25))


def test_adding_working_days_skips_the_weekend():
    friday = dt.date(2026, 11, 20)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 23)
    assert add_working_days(friday, 5) == dt.date(2026, 11, 27)


def test_adding_working_days_skips_a_holiday_in_the_week():
    monday = dt.date(2026, 11, 9)  # 11.11 is a Wednesday holiday
    assert add_working_days(monday, 5) == dt.date(2026, 11, 17)
