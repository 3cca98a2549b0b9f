"""The inspection rules `audit` applies to the content, through the model of the site as it is
published on "today" (`site.Site`): how fresh each column is, the annual report, the catalog's
内容概述, the 20 working days of Art. 26, the footer's settings and the column's entries, and
whether a roster page in the built site has outlived its notice period."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from .. import urls, workdays
from ..site import Site
from ..sources.organization import FILE as ORGANIZATION_FILE
from ..sources.policies import Policy
from .findings import Finding

Shown = Callable[[Path], str]

STALE_MONTHS = 6  # a 政策文件-type column: no new item for 6 months fails the inspection
STALE_HOME_DAYS = 14  # the column's home: 2 weeks
MAX_EMPTY_COLUMNS = 5  # more empty columns than this fails the inspection


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day where that day is missing)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def audit_content(site: Site, shown: Shown, out_dir: Path | None) -> list[Finding]:
    config_path = shown(site.config.content_dir / "site.yaml")
    findings: list[Finding] = []
    findings += _columns(site, config_path)
    findings += _annual_report(site, shown)
    findings += _footer_settings(site, config_path)
    findings += _column_entries(site, shown, config_path)
    findings += _organization(site, shown)
    findings += _catalog_summaries(site, shown)
    findings += _late_publication(site, shown)
    if out_dir is not None:
        findings += _expired_rosters(site, out_dir, shown)
    return findings


def _site_yaml_line(site: Site, *keys: str) -> int:
    """The line of the first top-level key of ``keys`` in site.yaml (0 if it is not written)."""
    return _key_line(site.config.content_dir / "site.yaml", keys, 0)


def _key_line(path: Path, keys: Iterable[str], otherwise: int) -> int:
    """The line of the first of ``keys`` written at the start of a line of ``path``."""
    starts = tuple(f"{key}:" for key in keys)
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.startswith(starts):
            return number
    return otherwise


def _columns(site: Site, config_path: str) -> Iterator[Finding]:
    today = site.today
    line = _site_yaml_line(site, "categories", "组配分类")
    newest: dict[str, Policy] = {}
    for policy in site.policies:  # newest first
        newest.setdefault(policy.category, policy)
    empty = [c for c in site.config.categories if c not in newest]
    limit = months_before(today, STALE_MONTHS)
    for category in site.config.categories:
        last = newest.get(category)
        if last is not None and last.published < limit:
            yield Finding(
                config_path,
                line,
                "stale-column",
                f"栏目“{category}”最近一条信息发布于 {last.published}（{last.title}），"
                f"到 {today} 已超过 {STALE_MONTHS} 个月没有更新",
            )
    for category in empty:
        yield Finding(config_path, line, "empty-column", f"栏目“{category}”没有任何已发布的信息", "warning")
    if len(empty) > MAX_EMPTY_COLUMNS:
        yield Finding(
            config_path,
            line,
            "empty-column",
            f"空白栏目有 {len(empty)} 个，超过 {MAX_EMPTY_COLUMNS} 个：{'、'.join(empty)}",
        )
    dates = [p.published for p in site.policies] + [p.date for p in site.pages if p.date is not None]
    latest = max(dates, default=None)
    if latest is None or latest < today - timedelta(days=STALE_HOME_DAYS):
        when = f"最近一条信息发布于 {latest}" if latest else "还没有任何信息"
        yield Finding(
            config_path, 0, "stale-home", f"栏目首页{when}，到 {today} 已超过 2 周没有新信息（{STALE_HOME_DAYS} 天）"
        )


def _annual_report(site: Site, shown: Shown) -> Iterator[Finding]:
    month, day = (int(part) for part in site.config.annual_report_due.split("-"))
    reports_dir = shown(site.config.content_dir / urls.ANNUAL_REPORTS)
    dated: dict[int, tuple[Path, date | None, int]] = {}  # year → file, 发布日期, its line
    for page in site.annual_reports:  # the older free-page reports
        assert page.report_year is not None
        dated[page.report_year] = (page.source, page.date, _key_line(page.source, ("date", "发布日期", "发文日期"), 1))
    for view in site.reports:
        dated[view.year] = (view.report.source, view.report.published, view.report.line("published"))
    last_year = site.today.year - 1
    due = date(site.today.year, month, day)
    if site.today > due and last_year not in dated:
        yield Finding(
            reports_dir,
            0,
            "annual-report-missing",
            f"没有 {last_year} 年的政府信息公开工作年度报告，应于 {due} 前公布"
            f"（build.py new annual-report --year {last_year}；期限见 site.yaml annual_report_due）",
        )
    for year, (source, published, line) in sorted(dated.items()):
        deadline = date(year + 1, month, day)
        if published is not None and published > deadline:
            yield Finding(
                shown(source),
                line,
                "annual-report-late",
                f"{year} 年年度报告发布于 {published}，晚于 {deadline}",
                "warning",
            )


def _footer_settings(site: Site, config_path: str) -> Iterator[Finding]:
    config = site.config
    line = _site_yaml_line(site, "publisher", "发布机构")
    wanted = {
        "备案号（ICP备案号，publisher.icp）": config.icp,
        "公安备案号（publisher.police_record）": config.police_record,
        "党政机关网站标识（publisher.conac_id）": config.conac_id,
    }
    for what, value in wanted.items():
        if not value:
            yield Finding(config_path, line, "footer", f"页脚缺少{what}：在 site.yaml 中填写", "warning")
    contact_line = _site_yaml_line(site, "contact", "联系方式") or line
    if not (config.contact.phone and config.contact.address):
        yield Finding(config_path, contact_line, "footer", "页脚缺少联系方式（contact 的地址和电话）", "warning")


def _column_entries(site: Site, shown: Shown, config_path: str) -> Iterator[Finding]:
    """The four first-level entries (指南, 制度, 法定主动公开内容, 年报) and 依申请公开."""
    slugs = {page.slug for page in site.pages}
    pages_dir = site.config.content_dir / "pages"
    for slug, title in (("guide", "政府信息公开指南"), ("system", "政府信息公开制度")):
        if slug not in slugs:
            yield Finding(shown(pages_dir / f"{slug}.md"), 0, "column-nav", f"缺少一级栏目“{title}”的页面")
    if not site.config.request_url:
        yield Finding(
            config_path, 0, "column-nav", "缺少“依申请公开”的入口：在 site.yaml 中填写 request_url", "warning"
        )
    portal = site.config.portal
    if portal.enabled and not _under(site.config.base_url, portal.url):
        yield Finding(
            config_path,
            _site_yaml_line(site, "base_url", "网址"),
            "column-nav",
            f"本站网址 {site.config.base_url} 不在门户网站 {portal.url} 之下：政府信息公开栏目应是门户网站的子路径"
            "（如 …/xxgk/；生成时可用 --base-url 指定）",
            "warning",
        )
    if not portal.enabled:
        yield Finding(
            config_path,
            0,
            "column-nav",
            "政府信息公开平台应设在本机关门户网站的“政府信息公开”栏目（不得设立专门网站）：在 site.yaml 中填写 portal",
            "warning",
        )


def _organization(site: Site, shown: Shown) -> Iterator[Finding]:
    """机构职能, 领导信息 and 监督检查 are 法定主动公开内容 of their own (content/organization.yaml)."""
    if site.organization is None:
        yield Finding(
            shown(site.config.content_dir / ORGANIZATION_FILE),
            0,
            "statutory-info",
            "缺少机构信息（机构职能、领导信息、监督检查）：写 content/organization.yaml（见 README）",
            "warning",
        )


def _under(base_url: str, portal_url: str) -> bool:
    """Whether the site's address is a sub-path of the portal's (the column is part of the portal)."""
    site, portal = urlsplit(base_url), urlsplit(portal_url)
    portal_path = portal.path if portal.path.endswith("/") else portal.path + "/"
    return site.netloc == portal.netloc and site.path.startswith(portal_path) and site.path != portal_path


def _catalog_summaries(site: Site, shown: Shown) -> Iterator[Finding]:
    for policy in site.policies:
        if not policy.summary.strip():
            yield Finding(
                shown(policy.source),
                1,
                "catalog-summary",
                f"“{policy.title}”没有内容概述（summary / 内容概述），目录中这一栏是空的",
                "warning",
            )


def _late_publication(site: Site, shown: Shown) -> Iterator[Finding]:
    unknown: set[int] = set()
    for policy in site.policies:
        made = policy.written or policy.date
        try:
            days = site.config.calendar.workdays_after(made, policy.published)
        except workdays.UnknownYear as exc:
            unknown.add(exc.year)
            continue
        within = site.config.publish_days(policy.category)
        if days > within:
            key = "written" if policy.written else "date"
            published_key = "published" if "published" in policy.lines else key
            yield Finding(
                shown(policy.source),
                policy.line(published_key),
                "late-publication",
                f"成文 {made}，发布 {policy.published}：隔了 {days} 个工作日，超过 {within} 个"
                + ("" if within == 20 else f"（{policy.category}：publish_within）"),
                "warning",
            )
    for year in sorted(unknown):
        yield Finding(
            shown(site.config.content_dir / "policies"),
            0,
            "late-publication",
            f"无法核对 {year} 年的工作日：{workdays.UnknownYear(year)}",
            "warning",
        )


def _expired_rosters(site: Site, out_dir: Path, shown: Shown) -> Iterator[Finding]:
    """A roster page in the built site that is not in force today: the last build is stale, and
    the households' names stay online past their notice period until it is rebuilt."""
    folder = out_dir / urls.ROSTERS
    if not folder.is_dir():
        return
    in_force = {roster.slug for roster in site.rosters}
    for child in sorted(folder.iterdir()):
        if child.is_dir() and child.name not in in_force and (child / urls.INDEX).is_file():
            yield Finding(
                shown(child / urls.INDEX),
                0,
                "roster-expired",
                f"公示名单 {child.name} 到 {site.today} 已不在公示期内，却仍在生成的网站上：重新生成并上传网站",
            )
