"""What a standard means on a given day: the value in force per district, the change against the
previous value, announced adjustments not yet in force, and districts that share one history.

Pure functions over `Standard`; money is `Decimal` throughout, so that a per-cent change of
exactly 2.25 % is shown as 2.3 % (half-up), as people round by hand, never 2.2 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .sources.standards import Standard, StandardEntry

IN_FORCE = "现行"
ANNOUNCED = "已公布、尚未执行"
SUPERSEDED = "已调整"
ALL_DISTRICTS = "各区县统一"
_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Change:
    """The difference between two amounts: ``amount`` in money, ``percent`` rounded half-up to 0.1."""

    previous: Decimal
    amount: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class DistrictValue:
    district: str
    value: Decimal
    entry: StandardEntry  # the adjustment that set it
    change: Change | None  # against the adjustment before; None for the first one


@dataclass(frozen=True, slots=True)
class Series:
    """Districts whose amount has been the same at every adjustment: one line in the chart."""

    label: str
    districts: tuple[str, ...]
    values: tuple[Decimal, ...]  # one per history entry


def percent_change(previous: Decimal, current: Decimal) -> Decimal:
    """(current − previous) / previous in per cent, rounded half-up to one decimal place."""
    return ((current - previous) * 100 / previous).quantize(_TENTH, rounding=ROUND_HALF_UP)


def change(previous: Decimal, current: Decimal) -> Change:
    return Change(previous, current - previous, percent_change(previous, current))


def in_force_index(standard: Standard, today: date) -> int | None:
    """Index in ``history`` of the adjustment in force on ``today`` (its first day included)."""
    found = None
    for index, entry in enumerate(standard.history):
        if entry.effective <= today:
            found = index
    return found


def in_force(standard: Standard, today: date) -> StandardEntry | None:
    index = in_force_index(standard, today)
    return None if index is None else standard.history[index]


def announced(standard: Standard, today: date) -> tuple[StandardEntry, ...]:
    """Adjustments already published but taking effect after ``today``."""
    return tuple(e for e in standard.history if e.effective > today)


def status(standard: Standard, entry: StandardEntry, today: date) -> str:
    """现行, 已公布、尚未执行 or 已调整 (replaced by a later adjustment)."""
    if entry.effective > today:
        return ANNOUNCED
    return IN_FORCE if entry is in_force(standard, today) else SUPERSEDED


def value_at(standard: Standard, index: int, district: str) -> DistrictValue:
    """The amount set for ``district`` by adjustment ``index``, with its change from the one before."""
    entry = standard.history[index]
    value = entry.amount(district)
    before = change(standard.history[index - 1].amount(district), value) if index > 0 else None
    return DistrictValue(district, value, entry, before)


def values_in_force(standard: Standard, districts: Sequence[str], today: date) -> tuple[DistrictValue, ...]:
    """Every district's amount on ``today``; empty when no adjustment has taken effect yet."""
    index = in_force_index(standard, today)
    if index is None:
        return ()
    return tuple(value_at(standard, index, d) for d in districts)


def series(standard: Standard, districts: Sequence[str]) -> tuple[Series, ...]:
    """Group districts with identical histories, in site.yaml order of their first district."""
    groups: dict[tuple[Decimal, ...], list[str]] = {}
    for district in districts:
        key = tuple(e.amount(district) for e in standard.history)
        groups.setdefault(key, []).append(district)
    return tuple(
        Series(ALL_DISTRICTS if len(names) == len(districts) else "、".join(names), tuple(names), values)
        for values, names in groups.items()
    )


def value_range(values: Sequence[DistrictValue]) -> tuple[Decimal, Decimal] | None:
    """Lowest and highest amount among ``values`` (equal when every district has the same)."""
    if not values:
        return None
    amounts = [v.value for v in values]
    return min(amounts), max(amounts)
