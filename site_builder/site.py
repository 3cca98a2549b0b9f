"""The model: every source loaded, cross-checked, and reduced to what is published today.

Rules that need more than one file live here (unique 索引号 and slugs, superseded_by targets,
pages that would collide with the site's own sections). Later phases read only this model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from . import urls
from .annual_reports import ReportView, report_views
from .config import SiteConfig
from .problems import Problems
from .sources.annual_reports import AnnualReport
from .sources.guides import Guide
from .sources.organization import Organization
from .sources.pages import Page
from .sources.policies import Policy
from .sources.rosters import STANDING, Roster
from .sources.standards import Standard


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    today: date
    policies: tuple[Policy, ...]  # published, newest first
    pages: tuple[Page, ...]  # published, by slug
    withheld: tuple[str, ...]  # human-readable notes on sources left out, for the build log
    standards: tuple[Standard, ...] = ()  # by order, then id; only adjustments already announced
    rosters: tuple[Roster, ...] = ()  # in force today: 初审公示 first, then by district, program
    reports: tuple[ReportView, ...] = ()  # 政府信息公开工作年度报告 published today, newest year first
    organization: Organization | None = None  # 机构职能, 领导信息, 监督检查 (content/organization.yaml)
    guides: tuple[Guide, ...] = ()  # 办事指南, by order, then slug; every basis published

    @property
    def policies_by_slug(self) -> dict[str, Policy]:
        return {p.slug: p for p in self.policies}

    @property
    def annual_reports(self) -> tuple[Page, ...]:
        reports = [p for p in self.pages if p.report_year is not None]
        return tuple(sorted(reports, key=lambda p: p.report_year or 0, reverse=True))

    def policy_years(self) -> list[int]:
        return sorted({p.year for p in self.policies}, reverse=True)


def policy_sort_key(policy: Policy) -> tuple[date, date, str, str]:
    return (policy.date, policy.published, policy.index_no, policy.slug)


def build_model(
    config: SiteConfig,
    policies: list[Policy],
    pages: list[Page],
    today: date,
    problems: Problems,
    *,
    drafts: bool = False,
    standards: Sequence[Standard] = (),
    rosters: Sequence[Roster] = (),
    reports: Sequence[AnnualReport] = (),
    organization: Organization | None = None,
    guides: Sequence[Guide] = (),
) -> Site:
    """Cross-check all sources and keep what is published on ``today``."""
    display = problems.rel
    first_index: dict[str, Policy] = {}
    first_slug: dict[str, str] = {}
    for policy in sorted(policies, key=lambda p: display(p.source)):
        if policy.index_no:
            other = first_index.get(policy.index_no)
            if other is not None:
                problems.error(
                    policy.source,
                    policy.line("index_no"),
                    f"索引号 {policy.index_no} 重复：{display(other.source)}:{other.line('index_no')} 已使用",
                )
            else:
                first_index[policy.index_no] = policy
        other_path = first_slug.get(policy.slug)
        if other_path is not None:
            problems.error(
                policy.source,
                policy.line("slug"),
                f"slug “{policy.slug}” 重复：{other_path} 已使用，两者会写到同一网址",
            )
        else:
            first_slug[policy.slug] = display(policy.source)

    all_slugs = {p.slug for p in policies}
    for policy in policies:
        if policy.superseded_by:
            if policy.superseded_by not in all_slugs:
                problems.error(
                    policy.source,
                    policy.line("superseded_by"),
                    f"替代文件 “{policy.superseded_by}” 不存在（应为另一政策文件的 slug）",
                )
            elif policy.superseded_by == policy.slug:
                problems.error(policy.source, policy.line("superseded_by"), "替代文件不能是其自身")
        if policy.status == "有效" and policy.superseded_by:
            problems.warning(
                policy.source,
                policy.line("status"),
                "已填写替代文件，但有效性仍为“有效”；被替代的文件通常应标为“废止”或“失效”",
            )

    page_slugs: dict[str, str] = {}
    for page in pages:
        if urls.reserved(page.slug):
            problems.error(page.source, 1, f"页面 slug “{page.slug}” 与网站栏目重名，请换一个")
        elif page.slug in page_slugs:
            problems.error(page.source, 1, f"页面 slug “{page.slug}” 重复：{page_slugs[page.slug]} 已使用")
        else:
            page_slugs[page.slug] = display(page.source)

    withheld: list[str] = []
    published = []
    for policy in policies:
        reason = _withhold_reason(policy, today, drafts)
        if reason:
            withheld.append(f"{display(policy.source)}：{reason}")
        else:
            published.append(policy)
    published.sort(key=policy_sort_key, reverse=True)
    public_pages = sorted((p for p in pages if drafts or not p.draft), key=lambda p: p.slug)
    public_standards = _link_standards(standards, policies, published, today, problems, withheld)
    public_rosters = _publish_rosters(rosters, config.districts, today, problems, withheld)
    public_reports = _publish_reports(reports, pages, published, config, today, drafts, problems, withheld)
    public_guides = _link_guides(
        guides, policies, published, standards, public_standards, today, drafts, problems, withheld
    )
    return Site(
        config,
        today,
        tuple(published),
        tuple(public_pages),
        tuple(withheld),
        standards=public_standards,
        rosters=public_rosters,
        reports=public_reports,
        organization=organization,
        guides=public_guides,
    )


def _publish_reports(
    reports: Sequence[AnnualReport],
    pages: Sequence[Page],
    published: Sequence[Policy],
    config: SiteConfig,
    today: date,
    drafts: bool,
    problems: Problems,
    withheld: list[str],
) -> tuple[ReportView, ...]:
    """The reports published on ``today`` (a draft or one dated later is left out and logged),
    with section 二 computed from the published catalog; one report per year, pages included."""
    display = problems.rel
    for category in config.normative_categories:
        if category not in config.categories:
            problems.error(
                config.content_dir / "site.yaml",
                _line_of(config.content_dir / "site.yaml", ("normative_categories:", "规范性文件分类:")),
                f"normative_categories 中 “{category}” 不在 categories 中（可选：{'、'.join(config.categories)}）",
            )
    page_years = {p.report_year: p for p in pages if p.report_year is not None}
    public = []
    for report in reports:
        page = page_years.get(report.year)
        if page is not None:
            problems.error(
                report.source, 1, f"{report.year} 年的年度报告已有页面 {display(page.source)}：每年只能有一份年度报告"
            )
        if report.draft and not drafts:
            withheld.append(f"{display(report.source)}：草稿，未发布（加 --drafts 预览）")
        elif report.published > today:
            withheld.append(f"{display(report.source)}：发布日期 {report.published} 尚未到")
        else:
            public.append(report)
    return report_views(public, published, config.normative, problems)


def _link_standards(
    standards: Sequence[Standard],
    policies: list[Policy],
    published: list[Policy],
    today: date,
    problems: Problems,
    withheld: list[str],
) -> tuple[Standard, ...]:
    """Check ids are unique and each adjustment's ``basis`` names a policy residents can read.

    An adjustment whose basis is not published yet (published later than today, or a draft) is
    left out until it is: the site does not announce a change before its policy is public. A draft
    basis for an adjustment already in force is an error, as is a basis that does not exist or will
    never be published (依申请公开, 不予公开).
    """
    display = problems.rel
    all_policies = {p.slug: p for p in policies}
    public = {p.slug for p in published}
    first_id: dict[str, Standard] = {}
    result = []
    for standard in standards:
        other = first_id.setdefault(standard.id, standard)
        if other is not standard:
            problems.error(
                standard.source,
                standard.line("id"),
                f"救助保障标准 id “{standard.id}” 重复：{display(other.source)} 已使用，两者会写到同一网址",
            )
        kept = []
        for entry in standard.history:
            policy = all_policies.get(entry.basis)
            if policy is None:
                problems.error(
                    standard.source,
                    entry.basis_line,
                    f"依据 “{entry.basis}” 不存在：应为 content/policies/ 中某一政策文件的 slug（文件名）",
                )
            elif policy.disclosure != "主动公开":
                problems.error(
                    standard.source,
                    entry.basis_line,
                    f"依据 “{entry.basis}” 的公开方式为“{policy.disclosure}”，不在网站发布；标准的依据必须主动公开",
                )
            elif entry.basis in public:
                kept.append(entry)
            elif policy.draft and entry.effective <= today:
                problems.error(
                    standard.source,
                    entry.basis_line,
                    f"依据 “{entry.basis}” 仍是草稿，但这次调整已于 {entry.effective} 执行：请先发布依据文件",
                )
            else:
                reason = "是草稿" if policy.draft else f"的发布日期 {policy.published} 尚未到"
                withheld.append(
                    f"{display(standard.source)}:{entry.line}：{entry.effective} 的调整暂不公布，依据 {entry.basis} {reason}"
                )
        if not kept:
            withheld.append(f"{display(standard.source)}：没有已公布的调整，暂不发布")
        else:
            result.append(replace(standard, history=tuple(kept)))
    return tuple(result)


def _link_guides(
    guides: Sequence[Guide],
    policies: list[Policy],
    published: list[Policy],
    standards: Sequence[Standard],
    public_standards: Sequence[Standard],
    today: date,
    drafts: bool,
    problems: Problems,
    withheld: list[str],
) -> tuple[Guide, ...]:
    """The guides to publish (a draft only with ``--drafts``), each ``basis`` naming a policy that
    is published and each ``standards`` id a standard that is: a guide tells residents what law
    they apply under, and links there. A basis that does not exist is an error even in a draft;
    one that exists but is not published (a draft, 依申请公开, a later 发布日期) is an error in a
    guide that is published. A repealed basis is a warning: the guide should cite what replaced it.
    """
    display = problems.rel
    all_policies = {p.slug: p for p in policies}
    public = {p.slug for p in published}
    all_standards = {s.id for s in standards}
    shown_standards = {s.id for s in public_standards}
    result = []
    for guide in guides:
        publish = drafts or not guide.draft
        for slug, line in zip(guide.basis, guide.basis_lines):
            policy = all_policies.get(slug)
            if policy is None:
                problems.error(
                    guide.source,
                    line,
                    f"设定依据 “{slug}” 不存在：应为 content/policies/ 中某一政策文件的 slug（文件名）",
                )
            elif publish and slug not in public:
                reason = _withhold_reason(policy, today, drafts)
                problems.error(
                    guide.source,
                    line,
                    f"设定依据 “{slug}” 未发布（{reason}）：办事指南只能引用已公开发布的政策文件",
                )
            elif publish and policy.status != "有效":
                instead = f"，现行文件为 “{policy.superseded_by}”" if policy.superseded_by else ""
                problems.warning(
                    guide.source, line, f"设定依据 “{slug}” 已{policy.status}{instead}：请引用现行有效的文件"
                )
        for ident, line in zip(guide.standards, guide.standard_lines):
            if ident not in all_standards:
                problems.error(
                    guide.source,
                    line,
                    f"相关标准 “{ident}” 不存在：应为 content/standards/ 中某一救助保障标准的 id（文件名）",
                )
            elif publish and ident not in shown_standards:
                problems.error(guide.source, line, f"相关标准 “{ident}” 尚未发布（没有已公布的调整）")
        if publish:
            result.append(guide)
        else:
            withheld.append(f"{display(guide.source)}：草稿，未发布（加 --drafts 预览）")
    return tuple(result)


def _withhold_reason(policy: Policy, today: date, drafts: bool) -> str:
    if policy.draft and not drafts:
        return "草稿，未发布（加 --drafts 预览）"
    if policy.disclosure != "主动公开":
        return f"公开方式为“{policy.disclosure}”，不在网站发布"
    if policy.published > today:
        return f"发布日期 {policy.published} 尚未到"
    return ""


def _publish_rosters(
    rosters: Sequence[Roster], districts: Sequence[str], today: date, problems: Problems, withheld: list[str]
) -> tuple[Roster, ...]:
    """The rosters in force on ``today`` (SPEC 3.4); a note in ``withheld`` for every other one.

    A roster is up while ``publish_from <= today <= publish_until``. A 长期公示 list also comes
    down, for good, once a newer period of the same program and district has started: households
    that have left assistance must disappear from the site. Two rosters may not share a slug
    (the file stem), nor two 长期公示 lists a program, district and period.
    """
    display = problems.rel
    first_slug: dict[str, Roster] = {}
    first_period: dict[tuple[str, str, str], Roster] = {}
    for roster in rosters:
        other = first_slug.setdefault(roster.slug, roster)
        if other is not roster:
            problems.error(
                roster.source,
                1,
                f"名单文件名 “{roster.slug}” 重复：{display(other.source)} 已使用，两者会写到同一网址",
            )
        if roster.stage == STANDING:
            key = (roster.program, roster.district, roster.period)
            other = first_period.setdefault(key, roster)
            if other is not roster:
                problems.error(
                    roster.source,
                    roster.line("period"),
                    f"{roster.district}{roster.program} {roster.period} 的长期公示名单已有一份："
                    f"{display(other.source)}；每期只能有一份",
                )
    started = [r for r in rosters if r.stage == STANDING and r.publish_from <= today]
    result = []
    for roster in rosters:
        where = display(roster.source)
        newer = [
            r
            for r in started
            if (r.program, r.district) == (roster.program, roster.district) and r.period > roster.period
        ]
        if roster.publish_from > today:
            withheld.append(f"{where}：公示期自 {roster.publish_from} 开始，尚未到")
        elif roster.publish_until is not None and roster.publish_until < today:
            withheld.append(f"{where}：公示期已于 {roster.publish_until} 结束")
        elif roster.stage == STANDING and newer:
            latest = max(newer, key=lambda r: r.period)
            withheld.append(f"{where}：已由更新一期（{latest.period}）的名单 {display(latest.source)} 替代")
        else:
            result.append(roster)
    order = {name: index for index, name in enumerate(districts)}
    result.sort(key=lambda r: (r.stage == STANDING, order.get(r.district, len(order)), r.program, r.period, r.slug))
    return tuple(result)


def _line_of(path: Path, starts: tuple[str, ...]) -> int:
    """The line of ``path`` that starts with one of ``starts`` (1 if none does)."""
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.startswith(starts):
            return number
    return 1
