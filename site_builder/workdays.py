"""Working days (工作日) by the official holiday calendar, with its make-up workdays (调休).

The days come from the `chinesecalendar` package (the State Council's yearly notice on public
holidays, as data). A year it does not know yet is never guessed: `UnknownYear` says which
year is missing, and the caller reports it.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class UnknownYear(Exception):
    """The calendar has no holiday data for ``year`` (the package is older than that year's notice)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"工作日历没有 {year} 年的节假日数据（请升级 chinesecalendar）")


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise UnknownYear(day.year) from None


def workdays_after(start: date, end: date) -> int:
    """How many working days there are after ``start`` up to and including ``end`` (0 if ``end``
    is not after ``start``): 自…之日起 N 个工作日 counts from the day after."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count
