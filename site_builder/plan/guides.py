"""Plan entries for the service guides (办事指南): the list, and one page per guide with its basis
linked, its materials as a table, its steps as a list and a flow diagram. Also who cites what, for
the "相关办事指南" links on the policy and standard pages a guide cites."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .. import urls
from ..cache import digest
from ..render.flow import Flow, flow_diagram
from ..site import Site
from ..sources.guides import Guide
from ..sources.policies import Policy
from ..sources.standards import Standard
from . import HOME_CRUMB, Entry, Meta, Render, article_meta, columns

GUIDES_COLUMN = columns.column(
    "办事指南",
    "办事服务：最低生活保障、特困人员救助供养、临时救助、残疾人两项补贴等事项的办事指南，"
    "列明设定依据、受理条件、申请材料、办理流程、办结时限、办理地点和咨询投诉电话",
    "办事指南,办事服务,最低生活保障,特困人员救助供养,临时救助,残疾人两项补贴,申请材料,办理流程",
    columns.SERVICE,
)
GUIDES_CRUMB = ("办事指南", urls.guides())


@dataclass(frozen=True, slots=True)
class GuideView:
    """One guide as its page shows it: the policies and standards it cites, resolved."""

    guide: Guide
    basis: tuple[Policy, ...]
    standards: tuple[Standard, ...]
    flow: Flow
    published: date  # its 更新日期, else the newest 发布日期 of its basis

    @property
    def required_count(self) -> int:
        return sum(m.required for m in self.guide.materials)

    @property
    def shown(self) -> tuple[object, ...]:
        """What the pages show of this view, for their fingerprint: of the policies and standards
        cited only what is printed, so that editing a policy's body or category (or a standard's
        history) does not rewrite every guide that cites it."""
        return (
            self.guide,
            tuple((p.url, p.title, p.doc_no) for p in self.basis),
            tuple((s.url, s.name) for s in self.standards),
            self.published,
        )


def guide_view(site: Site, guide: Guide) -> GuideView:
    policies = site.policies_by_slug
    standards = {s.id: s for s in site.standards}
    basis = tuple(policies[slug] for slug in guide.basis)  # the model has checked every one
    return GuideView(
        guide=guide,
        basis=basis,
        standards=tuple(standards[i] for i in guide.standards),
        flow=flow_diagram([(step.name, step.days) for step in guide.steps]),
        published=guide.updated or max(p.published for p in basis),
    )


def citing(guides: Iterable[Guide], key: str) -> dict[str, list[Guide]]:
    """The guides that cite each policy slug (``key`` "basis") or standard id ("standards")."""
    found: dict[str, list[Guide]] = {}
    for guide in guides:
        for cited in dict.fromkeys(getattr(guide, key)):
            found.setdefault(cited, []).append(guide)
    return found


def plan_guides(site: Site) -> list[Entry]:
    """``guides/`` and ``guides/<slug>/``; nothing when the site has no guide."""
    if not site.guides:
        return []
    views = [guide_view(site, g) for g in site.guides]
    entries: list[Entry] = [
        Render(
            urls.output_file(urls.guides()),
            "guides.html",
            Meta(
                "办事指南",
                (HOME_CRUMB, ("办事指南", None)),
                column=GUIDES_COLUMN,
                description=GUIDES_COLUMN["ColumnDescription"],
                nav="catalog",
            ),
            {"views": views},
            lastmod=max(v.published for v in views),
            key=digest("guides", *(repr(v.shown) for v in views)),
        )
    ]
    for view in views:
        guide = view.guide
        description = guide.summary or f"{guide.title}的设定依据、受理条件、申请材料、办理流程、办结时限和办理地点"
        entries.append(
            Render(
                urls.output_file(guide.url),
                "guide.html",
                Meta(
                    f"{guide.title}办事指南",
                    (HOME_CRUMB, GUIDES_CRUMB, (guide.title, None)),
                    column=GUIDES_COLUMN,
                    article=article_meta(
                        f"{guide.title}办事指南",
                        view.published,
                        guide.authority,
                        (guide.title, "办事指南"),
                        description,
                    ),
                    description=description,
                    nav="catalog",
                ),
                {"view": view},
                searchable=True,
                key=digest("guide", repr(view.shown)),
                lastmod=view.published,
            )
        )
    return entries
