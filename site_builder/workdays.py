"""Working days (工作日) by the official holiday calendar, with its make-up workdays (调休).

The days come from the `chinesecalendar` package (the State Council's yearly notice on public
holidays, as data). site.yaml ``calendar`` adds the days of a year the package does not know yet
(``holidays``: days off on weekdays, ``workdays``: make-up working days on weekends); for such a
year the rest is Monday to Friday. A year neither knows is never guessed: `UnknownYear` says
which year is missing, and the caller reports it with what to add.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


class UnknownYear(Exception):
    """Neither the package nor site.yaml has the holidays of ``year``."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"工作日历没有 {year} 年的节假日数据（请升级 chinesecalendar，或在 site.yaml 的 calendar 中写上"
            f" {year} 年的 节假日 和 调休上班日）"
        )


@dataclass(frozen=True, slots=True)
class Calendar:
    holidays: Collection[date] = frozenset()  # site.yaml calendar.holidays
    workdays: Collection[date] = frozenset()  # site.yaml calendar.workdays

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            if any(d.year == day.year for d in (*self.holidays, *self.workdays)):
                return day.weekday() < 5
            raise UnknownYear(day.year) from None

    def workdays_after(self, start: date, end: date) -> int:
        """How many working days there are after ``start`` up to and including ``end`` (0 if ``end``
        is not after ``start``): 自…之日起 N 个工作日 counts from the day after."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count

    def last_of(self, start: date, days: int) -> date:
        """The last day of a notice of ``days`` working days that starts on ``start`` (which counts
        when it is a working day): 公示7个工作日 from a Friday before the National Day week ends
        after the week."""
        day, counted = start, 0
        while True:
            counted += self.is_workday(day)
            if counted >= days:
                return day
            day += timedelta(days=1)
