from datetime import date

import pytest

from planwatch.periods import parse_period


@pytest.mark.parametrize(
    "text, kind, start, end, ytd",
    [
        ("2023", "year", date(2023, 1, 1), date(2023, 12, 31), False),
        ("2023年", "year", date(2023, 1, 1), date(2023, 12, 31), False),
        ("2023Q3", "quarter", date(2023, 7, 1), date(2023, 9, 30), False),
        ("2023年三季度", "quarter", date(2023, 7, 1), date(2023, 9, 30), False),
        ("2023-09", "month", date(2023, 9, 1), date(2023, 9, 30), False),
        ("2023年9月", "month", date(2023, 9, 1), date(2023, 9, 30), False),
        ("２０２３年１－９月", "ytd", date(2023, 1, 1), date(2023, 9, 30), True),
        ("2025年1-3季度累计", "ytd", date(2025, 1, 1), date(2025, 9, 30), True),
        ("2024年1-12月", "year", date(2024, 1, 1), date(2024, 12, 31), False),
        ("2024年2月", "month", date(2024, 2, 1), date(2024, 2, 29), False),
    ],
)
def test_periods(text, kind, start, end, ytd):
    period = parse_period(text)
    assert (period.period_type, period.start, period.end, period.is_ytd) == (kind, start, end, ytd)


@pytest.mark.parametrize("text", ["", "明年", "2023年13月", "20230", None])
def test_unparseable_periods_are_none(text):
    assert parse_period(text) is None
