"""The households of a roster, held compactly and decoded a page at a time.

A city's rosters hold hundreds of thousands of households. Kept as one Python object each, they
cost about 300 bytes apiece in memory, every warm build unpickles them all from the source cache
(one Python-level call per object), and every forked render worker touches them all again. A
roster page shows ``roster.page_size`` of them, so they are stored here as a few columns (one
string and one offset array per text field, arrays of small numbers) that pickle as a handful of
byte strings, and `Household` objects are made only for the rows a page, or a caller iterating
the roster, asks for.

Rows are grouped by street, then community (the order the notice shows); the street and
community of a row come from its `Group`, so they are stored once per community, not per row.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import partial
from itertools import accumulate, chain
from typing import Any, NamedTuple, overload

DECODE_CHUNK = 1024  # rows decoded at a time when a whole roster is iterated: memory stays flat
OPTIONAL = ("category", "reason", "note")


class Household(NamedTuple):
    """One published line of a roster; ``line`` is its line in the YAML or CSV file.

    A named tuple, not a dataclass: rows are made again for every page rendered and whenever a
    roster is iterated, and a tuple is the cheapest object to make and to pickle.
    """

    name: str
    street: str
    community: str
    persons: int
    amount: Decimal
    category: str
    reason: str
    note: str
    line: int


class Group(NamedTuple):
    """The consecutive rows of one community: where they start and how many there are."""

    street: str
    community: str
    start: int  # 0-based position of its first row in the roster
    households: int


# `Household._make` without its Python-level frame: the whole of a roster may be decoded (the
# personal-data gate reads every name), and this is most of the cost of decoding a row.
_make_household = partial(tuple.__new__, Household)

# (the values one after another, the offset of each value and of the end) — or None: all empty
_Strings = tuple[str, array] | None  # type: ignore[type-arg]


def _strings(values: Sequence[str]) -> _Strings:
    if not any(values):
        return None
    return "".join(values), array("I", chain((0,), accumulate(map(len, values))))


def _slice(column: _Strings, start: int, stop: int) -> list[str]:
    if column is None:
        return [""] * (stop - start)
    text, offsets = column
    return list(map(text.__getitem__, map(slice, offsets[start:stop], offsets[start + 1 : stop + 1])))


class Households(Sequence[Household]):
    """A roster's households in roster order, compact; indexing or slicing decodes rows.

    Immutable once made (`HouseholdsBuilder` makes it). Pickles as a few strings and arrays.
    """

    __slots__ = ("_amounts", "_lines", "_names", "_optional", "_persons", "groups")

    groups: tuple[Group, ...]

    def __init__(
        self,
        groups: tuple[Group, ...],
        names: _Strings,
        persons: array,  # type: ignore[type-arg]
        amounts: _Strings,
        optional: tuple[_Strings, _Strings, _Strings],
        lines: array,  # type: ignore[type-arg]
    ):
        self.groups = groups
        self._names = names
        self._persons = persons
        self._amounts = amounts
        self._optional = optional
        self._lines = lines

    def __reduce__(self) -> tuple[Any, ...]:
        return Households, self._state()

    def _state(self) -> tuple[Any, ...]:
        return self.groups, self._names, self._persons, self._amounts, self._optional, self._lines

    def __eq__(self, other: object) -> bool:  # equal rows, as when the rows were a tuple
        return isinstance(other, Households) and self._state() == other._state()

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self._lines)

    def has(self, key: str) -> bool:
        """Whether any household has a ``category``, ``reason`` or ``note`` (its column is shown)."""
        return self._optional[OPTIONAL.index(key)] is not None

    @overload
    def __getitem__(self, index: int) -> Household: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Household, ...]: ...

    def __getitem__(self, index: int | slice) -> Household | tuple[Household, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            rows = tuple(self.decode(start, max(start, stop)))
            return rows if step == 1 else tuple(self)[index]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError("household index out of range")
        return self.decode(position, position + 1)[0]

    def __iter__(self) -> Iterator[Household]:
        for start in range(0, len(self), DECODE_CHUNK):
            yield from self.decode(start, min(start + DECODE_CHUNK, len(self)))

    def decode(self, start: int, stop: int) -> list[Household]:
        """Rows ``start`` to ``stop`` (0-based, ``stop`` excluded) as `Household` objects."""
        count = stop - start
        if count <= 0:
            return []
        streets: list[str] = []
        communities: list[str] = []
        for group in self.groups:  # a few hundred communities at most
            begin, end = max(start, group.start), min(stop, group.start + group.households)
            if begin < end:
                streets += [group.street] * (end - begin)
                communities += [group.community] * (end - begin)
        category, reason, note = (_slice(column, start, stop) for column in self._optional)
        columns = zip(
            _slice(self._names, start, stop),
            streets,
            communities,
            self._persons[start:stop],
            map(Decimal, _slice(self._amounts, start, stop)),
            category,
            reason,
            note,
            self._lines[start:stop],
        )
        return list(map(_make_household, columns))


class HouseholdsBuilder:
    """Collects checked households in file order; `build` groups them by street, then community
    (each in order of first appearance) and packs them into `Households`.

    Rows are kept as columns from the start, not as `Household` objects, so that loading a roster
    of a million rows costs tens of megabytes rather than hundreds.
    """

    def __init__(self) -> None:
        self._names: list[str] = []
        self._persons = array("B")  # 1–99, checked
        self._amounts: list[str] = []  # str(Decimal): gives back the same Decimal, places included
        self._optional: tuple[list[str], list[str], list[str]] = ([], [], [])
        self._lines = array("I")
        self._groups: dict[tuple[str, str], array] = {}  # type: ignore[type-arg]  # (street, community) → rows
        self.persons = 0
        self.amount = Decimal(0)

    def __len__(self) -> int:
        return len(self._lines)

    def add(self, row: Household) -> None:
        rows = self._groups.get((row.street, row.community))
        if rows is None:
            rows = self._groups[(row.street, row.community)] = array("I")
        rows.append(len(self._lines))
        self._names.append(row.name)
        self._persons.append(row.persons)
        self._amounts.append(str(row.amount))
        category, reason, note = self._optional
        category.append(row.category)
        reason.append(row.reason)
        note.append(row.note)
        self._lines.append(row.line)
        self.persons += row.persons
        self.amount += row.amount

    def build(self) -> Households:
        streets: dict[str, list[tuple[str, str]]] = {}
        for key in self._groups:
            streets.setdefault(key[0], []).append(key)
        groups: list[Group] = []
        order = array("I")
        for keys in streets.values():
            for key in keys:
                rows = self._groups[key]
                groups.append(Group(key[0], key[1], len(order), len(rows)))
                order += rows
        in_order = order.tolist()

        def column(values: list[str]) -> _Strings:
            return _strings([values[i] for i in in_order])

        return Households(
            tuple(groups),
            column(self._names),
            array("B", [self._persons[i] for i in in_order]),
            column(self._amounts),
            (column(self._optional[0]), column(self._optional[1]), column(self._optional[2])),
            array("I", [self._lines[i] for i in in_order]),
        )
