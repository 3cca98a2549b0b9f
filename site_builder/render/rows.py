"""The components' parameters made from the content: one plain row (text, numbers, a site
path) per object, as GOV.UK Frontend's components take plain options rather than the models.

Page templates pass content through these (Jinja filters of the same names, e.g.
``latest | map("policy_row") | list``); the components in templates/components/ read only the
keys listed here, so each can be rendered, and tested, with hand-made rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..plan.standards import StandardView
    from ..sources.policies import Policy
    from ..sources.rosters import Roster


def policy_row(policy: Policy) -> dict[str, Any]:
    """A row of ``policy_table``: title, url (a site path), status (有效 or not), index_no,
    doc_no, category, date (ISO), summary (内容概述, "" when there is none)."""
    return {
        "title": policy.title,
        "url": policy.url,
        "status": policy.status,
        "index_no": policy.index_no,
        "doc_no": policy.doc_no,
        "category": policy.category,
        "date": policy.date.isoformat(),
        "summary": policy.summary,
    }


def roster_row(roster: Roster) -> dict[str, Any]:
    """A row of ``roster_list``: title, url, district, program, stage, start and end of the 公示期
    (ISO; end None for a 长期公示 list), households, persons."""
    return {
        "title": roster.title,
        "url": roster.url,
        "district": roster.district,
        "program": roster.program,
        "stage": roster.stage,
        "start": roster.publish_from.isoformat(),
        "end": roster.publish_until.isoformat() if roster.publish_until else None,
        "households": roster.households,
        "persons": roster.persons,
    }


def standard_row(view: StandardView) -> dict[str, Any]:
    """A row of ``standards_glance``: name, url, low and high (the amounts in force: equal when
    every district has the same), unit, effective (ISO date of the adjustment in force)."""
    assert view.range is not None and view.current is not None  # the home page shows those only
    return {
        "name": view.standard.name,
        "url": view.standard.url,
        "low": view.range[0],
        "high": view.range[1],
        "unit": view.standard.unit,
        "effective": view.current.entry.effective.isoformat(),
    }


FILTERS = {"policy_row": policy_row, "roster_row": roster_row, "standard_row": standard_row}
