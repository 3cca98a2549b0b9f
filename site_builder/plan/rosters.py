"""Plan entries for roster notices (公示名单): the list of notices in force, one paginated notice
per roster, and the open-data summary ``data/rosters-summary.json`` (aggregates, no names).

Roster pages are noindex, left out of the sitemap, the feed and the search index (SPEC 4).
Large rosters are split into pages of ``roster.page_size`` rows; a list of streets and
communities, with their household counts, links to the page and row group where each begins.

The plan never touches a household: streets, communities, page counts and row groups all come
from the roster's `Group` list, and each block's rows are decoded only when its page is
rendered (`Block.rows`). A warm build, in which every roster page is taken over by its key,
decodes none of them, and rendering holds one page of rows at a time.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..cache import digest
from ..site import Site
from ..sources.roster_table import Group, Household, Households
from ..sources.rosters import Roster
from . import HOME_CRUMB, Entry, Meta, Pagination, Render, Text, article_meta, columns, json_number, page_count

ROSTERS_COLUMN = columns.column(
    "公示名单",
    "社会救助对象公示名单：初审公示和长期公示，只公布经遮蔽的户主姓名和保障情况",
    "公示名单,最低生活保障,特困供养,临时救助,社会救助",
    columns.STATUTORY,
)
ROSTERS_CRUMB = ("公示名单", urls.rosters())


@dataclass(frozen=True, slots=True)
class RosterPagination(Pagination):
    """A long roster has hundreds of pages: link the first, the last and the two on either side
    of this one (a gap, ``(0, "")``, stands for the pages left out), not every page from every
    page, which would grow with the square of the roster's length."""

    @property
    def pages(self) -> list[tuple[int, str]]:
        shown = sorted({1, self.count} | set(range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)))
        result: list[tuple[int, str]] = []
        for number in shown:
            if result and number > result[-1][0] + 1:
                result.append((0, ""))
            result.append((number, self.url(number)))
        return result


@dataclass(frozen=True, slots=True)
class Place:
    """A street (or a community within it) of one roster, and where its rows begin."""

    name: str
    households: int
    target: str  # site path of the page + "#anchor"
    anchor: str
    communities: tuple[Place, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """The rows of one community on one page, under a group heading."""

    street: str
    community: str
    households: int  # in the whole community, not only on this page
    start: int  # 0-based position of the first row in the whole roster
    count: int  # rows of this block on this page
    street_anchor: str  # set on the block where the street begins, else ""
    community_anchor: str  # set on the block where the community begins, else ""
    continued: bool  # the community began on an earlier page
    source: Households  # the roster's rows, decoded only for this block when it is rendered

    @property
    def rows(self) -> Sequence[Household]:
        return self.source.decode(self.start, self.start + self.count)


def plan_rosters(site: Site) -> list[Entry]:
    entries: list[Entry] = [
        Render(
            urls.output_file(urls.rosters()),
            "rosters.html",
            Meta("公示名单", (HOME_CRUMB, ("公示名单", None)), column=ROSTERS_COLUMN, noindex=True, nav="catalog"),
            {"rosters": site.rosters},
            sitemap=False,
            searchable=False,
        )
    ]
    for roster in site.rosters:
        entries += _plan_roster(site, roster)
    entries.append(Text(urls.ROSTERS_SUMMARY, summary_json(site)))
    return entries


def _plan_roster(site: Site, roster: Roster) -> list[Entry]:
    size = site.config.roster_page_size
    base = roster.url
    records = roster.records
    streets, numbers = _places(records.groups, size, Pagination(1, 1, base))
    columns = {key: records.has(key) for key in ("category", "reason", "note")}
    description = (
        f"{roster.district}{roster.period_label}{roster.program}{roster.stage}："
        f"{roster.households} 户、{roster.persons} 人"
    )
    entries: list[Entry] = []
    count = page_count(len(records), size)
    for number in range(1, count + 1):
        pagination = RosterPagination(number, count, base)
        first = (number - 1) * size
        last = min(first + size, len(records))
        title = roster.title if pagination.number == 1 else f"{roster.title}（第 {pagination.number} 页）"
        entries.append(
            Render(
                urls.output_file(pagination.url(number)),
                "roster.html",
                Meta(
                    title,
                    (HOME_CRUMB, ROSTERS_CRUMB, (roster.title, None)),
                    column=ROSTERS_COLUMN | {"ColumnName": f"{roster.program}{roster.stage}"},
                    article=article_meta(
                        roster.title,
                        roster.publish_from,
                        site.config.publisher_name,
                        (roster.program, roster.district, roster.stage),
                        description,
                    ),
                    description=description,
                    noindex=True,
                    nav="catalog",
                ),
                {
                    "roster": roster,
                    "blocks": _blocks(records, first, last, numbers),
                    "streets": streets,
                    "columns": columns,
                    "pagination": pagination,
                    "first_index": first,
                    "last_index": last,
                },
                sitemap=False,
                searchable=False,
                lastmod=roster.publish_from,
                # everything above comes from the roster's files, site.yaml and the page number
                key=digest(*roster.fingerprint_id, str(pagination.number)),
            )
        )
    return entries


Numbers = list[tuple[int, int]]  # per group of the roster: its street number, community number


def _places(groups: Sequence[Group], size: int, pager: Pagination) -> tuple[tuple[Place, ...], Numbers]:
    """The streets of a roster with their communities; and, per group (community), its street
    number and community number. Groups are in roster order, grouped by street already."""

    def target(index: int, anchor: str) -> str:
        return f"{pager.url(index // size + 1)}#{anchor}"

    numbers: Numbers = []
    by_street: dict[str, list[Place]] = {}
    starts: dict[str, int] = {}
    counts: dict[str, int] = {}
    for group in groups:
        communities = by_street.setdefault(group.street, [])
        starts.setdefault(group.street, group.start)
        counts[group.street] = counts.get(group.street, 0) + group.households
        s, c = list(by_street).index(group.street) + 1, len(communities) + 1
        numbers.append((s, c))
        anchor = f"s{s}-c{c}"
        communities.append(Place(group.community, group.households, target(group.start, anchor), anchor))
    streets = tuple(
        Place(street, counts[street], target(starts[street], f"s{s}"), f"s{s}", tuple(by_street[street]))
        for s, street in enumerate(by_street, 1)
    )
    return streets, numbers


def _blocks(records: Households, first: int, last: int, numbers: Numbers) -> list[Block]:
    """The rows ``first`` to ``last`` of a roster (one page) cut where the community changes."""
    groups = records.groups
    blocks: list[Block] = []
    index = bisect_right([g.start for g in groups], first) - 1
    while index < len(groups) and groups[index].start < last:
        group = groups[index]
        s, c = numbers[index]
        begin = max(first, group.start)
        continued = group.start < first
        blocks.append(
            Block(
                street=group.street,
                community=group.community,
                households=group.households,
                start=begin,
                count=min(last, group.start + group.households) - begin,
                street_anchor=f"s{s}" if c == 1 and not continued else "",
                community_anchor="" if continued else f"s{s}-c{c}",
                continued=continued,
                source=records,
            )
        )
        index += 1
    return blocks


def summary_json(site: Site) -> str:
    """``data/rosters-summary.json``: per roster in force, only the aggregates. The ``url`` of each
    is absolute (``base_url`` + its path, like ``data/standards.json``): a relative one would
    resolve against ``data/``, where no roster is."""
    rosters = [
        {
            "title": r.title,
            "url": urls.absolute(site.config.base_url, r.url),
            "program": r.program,
            "district": r.district,
            "period": r.period,
            "stage": r.stage,
            "publish_from": r.publish_from.isoformat(),
            "publish_until": r.publish_until.isoformat() if r.publish_until else None,
            "households": r.households,
            "persons": r.persons,
            "amount": json_number(r.amount),
            "amount_unit": "元" if r.one_off else "元/月",
        }
        for r in site.rosters
    ]
    data: dict[str, Any] = {
        "description": "公示名单汇总：每份正在公示的名单的户数、人数和金额合计，不含任何个人信息",
        "date": site.today.isoformat(),
        "rosters": rosters,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
