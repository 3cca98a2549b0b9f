"""Annual reports in the national format (国办公开办函〔2021〕30号): each check of a report file with
its exact message at its line, section 二 computed from a test catalog, an override with and
without a reason, and ``build.py new annual-report``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SITE_YAML, USCC, policy_md, run_cli, soup, write_tree

from site_builder.annual_reports import normative_counts
from site_builder.options import Options
from site_builder.pipeline import load_site
from site_builder.problems import ContentError
from site_builder.sources.annual_reports import REQUEST_ROWS, REVIEW_ROWS

TODAY = date(2026, 11, 30)
YAML = "content/annual-reports/2025.yaml"
CATEGORIES = "categories: [政策文件, 社会救助, 部门计划及总结]"
SITE = SITE_YAML.replace(CATEGORIES, "categories: [政策文件, 规范性文件, 社会救助]")


def report_yaml(**rows: list[int]) -> str:
    """A complete, consistent 2025 report; ``rows`` replaces rows of 依申请公开 (by Chinese key)."""
    requests = {row.alias: [0] * 7 for row in REQUEST_ROWS}
    requests |= {"本年新收": [3, 1, 0, 0, 0, 0, 4], "予以公开": [2, 1, 0, 0, 0, 0, 3], "总计": [2, 1, 0, 0, 0, 0, 3]}
    requests |= {"结转下年度": [1, 0, 0, 0, 0, 0, 1]}
    requests |= rows
    lines = [
        "成文日期: 2026-01-15",
        "发布日期: 2026-01-20",
        "总体情况: |",
        "  全年主动公开政府信息。",
        "主动公开:",
        "  规章: {本年制发: 0, 本年废止: 0, 现行有效: 0}",
        "  行政许可: 12",
        "  行政处罚: 1",
        "  行政强制: 0",
        "  行政事业性收费: 0",
        "依申请公开:",
        *(f"  {key}: {values}" for key, values in requests.items()),
        "复议诉讼:",
        "  行政复议: [1, 0, 0, 0, 1]",
        "  未经复议直接起诉: [0, 0, 0, 0, 0]",
        "  复议后起诉: [0, 0, 0, 0, 0]",
        "存在的主要问题及改进情况: |",
        "  问题和改进。",
        "其他需要报告的事项: |",
        "  未收取信息处理费。",
    ]
    return "\n".join(lines) + "\n"


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.strip().startswith(start))


def normative(number: int, day: str, **fields: str | None) -> str:
    return policy_md(
        title=f"测试市民政局规范性文件{number}",
        index_no=f"{USCC}/{day[:4]}-{number:05d}",
        category="规范性文件",
        doc_no=f"测民规〔{day[:4]}〕{number}号",
        date=day,
        **fields,
    )


def problems_of(tmp_path: Path, files: dict[str, str], today: date = TODAY) -> list[str]:
    """The problems of a fresh content folder with ``files`` (shown as content/…)."""
    runs = len(list(tmp_path.glob("run-*")))
    root = write_tree(tmp_path / f"run-{runs}" / "content", {"site.yaml": SITE, **files})
    try:
        _, problems = load_site(Options(content_dir=root, out_dir=tmp_path / "out", today=today), lambda _: None)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in problems.items]


def test_a_complete_consistent_report_has_no_problems(tmp_path: Path) -> None:
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": report_yaml()}) == []


BAD_ROWS = [
    (  # 总计 is the sum of the six applicant columns
        {"本年新收": [3, 1, 0, 0, 0, 0, 5]},
        "本年新收",
        [
            "依申请公开“本年新收”的总计 5 应等于前 6 列之和 4",
            "依申请公开总计列：本年新收 5 + 上年结转 0 = 5，应等于总计 3 + 结转下年度 1 = 4",
        ],
    ),
    (
        {"重复申请": [0, 0, 0, 0, 0, 0]},
        "重复申请",
        [
            "依申请公开“重复申请”应为 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实际为 6 个"
        ],
    ),
    (
        {"重复申请": [0, -1, 0, 0, 0, 0, -1]},
        "重复申请",
        [
            "依申请公开“重复申请”的商业企业 应为非负整数，实际为 “-1”",
            "依申请公开“重复申请”的总计 应为非负整数，实际为 “-1”",
        ],
    ),
    ({"重复申请": [0, 0.5, 0, 0, 0, 0, 0]}, "重复申请", ["依申请公开“重复申请”的商业企业 应为非负整数，实际为 “0.5”"]),
]


@pytest.mark.parametrize(("rows", "at", "messages"), BAD_ROWS, ids=["row-total", "count", "negative", "fraction"])
def test_each_row_of_section_three_is_checked_at_its_line(
    tmp_path: Path, rows: dict[str, list[int]], at: str, messages: list[str]
) -> None:
    text = report_yaml(**rows)
    found = problems_of(tmp_path, {"annual-reports/2025.yaml": text})
    line = line_of(text, at + ":")
    forward = line_of(text, "结转下年度:")
    expected = [f"{YAML}:{line}: {messages[0]}"] + [
        f"{YAML}:{forward if '结转下年度' in m else line}: {m}" for m in messages[1:]
    ]
    assert found == sorted(expected)


def test_the_total_of_results_is_the_sum_of_the_21_results(tmp_path: Path) -> None:
    text = report_yaml(重复申请=[1, 0, 0, 0, 0, 0, 1])  # one result more than 总计 says
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text}) == [
        f"{YAML}:{line_of(text, '总计:')}: 依申请公开“总计”（三（七））的总计列 3 应等于 21 项办理结果之和 4",
        f"{YAML}:{line_of(text, '总计:')}: 依申请公开“总计”（三（七））的自然人列 2 应等于 21 项办理结果之和 3",
    ]


def test_new_plus_carried_over_is_results_plus_carried_forward_in_every_column(tmp_path: Path) -> None:
    text = report_yaml(上年结转=[0, 0, 0, 0, 0, 2, 2])
    line = line_of(text, "结转下年度:")
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text}) == [
        f"{YAML}:{line}: 依申请公开其他列：本年新收 0 + 上年结转 2 = 2，应等于总计 0 + 结转下年度 0 = 0",
        f"{YAML}:{line}: 依申请公开总计列：本年新收 4 + 上年结转 2 = 6，应等于总计 3 + 结转下年度 1 = 4",
    ]


def test_section_four_totals_and_the_fees(tmp_path: Path) -> None:
    text = report_yaml().replace("行政复议: [1, 0, 0, 0, 1]", "行政复议: [1, 1, 0, 0, 1]")
    text = text.replace("行政事业性收费: 0", "行政事业性收费: 1.23456")
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text}) == [
        f"{YAML}:{line_of(text, '行政事业性收费')}: 行政事业性收费 1.23456 万元最多保留四位小数（到元）",
        f"{YAML}:{line_of(text, '行政复议:')}: 复议诉讼“行政复议”的总计 1 应等于前 4 列之和 2",
    ]
    text = report_yaml().replace("行政事业性收费: 0", "行政事业性收费: -2")
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text}) == [
        f"{YAML}:{line_of(text, '行政事业性收费')}: 行政事业性收费（本年收费金额（单位：万元））应为非负的数，实际为 “-2”"
    ]


def test_a_row_left_out_is_named(tmp_path: Path) -> None:
    text = "".join(line + "\n" for line in report_yaml().splitlines() if not line.startswith("  属于行政查询事项"))
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text}) == [
        f"{YAML}:{line_of(text, '依申请公开:')}: 依申请公开缺少“属于行政查询事项”一行（8．属于行政查询事项）"
    ]


def test_the_file_name_the_year_and_the_dates(tmp_path: Path) -> None:
    assert problems_of(tmp_path, {"annual-reports/年报.yaml": report_yaml()}) == [
        "content/annual-reports/年报.yaml:1: 年度报告的文件名应为年份，如 2025.yaml（而不是 年报.yaml）"
    ]
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": "年度: 2024\n" + report_yaml()}) == [
        f"{YAML}:1: 年度 2024 与文件名 2025.yaml 不一致"
    ]
    text = report_yaml().replace("发布日期: 2026-01-20", "发布日期: 2025-12-30")
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text}) == [
        f"{YAML}:2: 2025 年的年度报告，日期 2025-12-30 应在 2025 年之后",
        f"{YAML}:2: 发布日期 2025-12-30 不能早于成文日期 2026-01-15",
    ]


# --- section 二 from the catalog ----------------------------------------------------------------


def catalog() -> dict[str, str]:
    """规范性文件: two in force at the end of 2025 (one of them issued in 2025), one repealed in 2025."""
    return {
        "policies/a.md": normative(1, "2023-05-10", status="废止", repealed="2025-03-01"),
        "policies/b.md": normative(2, "2024-02-01"),
        "policies/c.md": normative(3, "2025-06-01"),
        "policies/d.md": normative(4, "2026-02-01"),  # after the year
        "policies/e.md": normative(5, "2025-07-01", draft="true"),  # never published
    }


def test_the_normative_documents_are_counted_from_the_catalog(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "content", {"site.yaml": SITE, **catalog()})
    site, _ = load_site(Options(content_dir=root, out_dir=tmp_path / "out", today=TODAY), lambda _: None)
    assert normative_counts(site.policies, ("规范性文件",), 2025) == {"issued": 1, "repealed": 1, "in_force": 2}
    assert normative_counts(site.policies, ("规范性文件",), 2024) == {"issued": 1, "repealed": 0, "in_force": 2}
    assert normative_counts(site.policies, ("政策文件",), 2025) == {"issued": 0, "repealed": 0, "in_force": 0}


def test_a_figure_unlike_the_catalogs_needs_a_reason_and_then_both_are_shown(tmp_path: Path) -> None:
    override = "  行政规范性文件: {本年制发: 2}\n"
    text = report_yaml().replace("  行政许可: 12\n", override + "  行政许可: 12\n")
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": text, **catalog()}) == [
        (
            f"{YAML}:{line_of(text, '行政规范性文件')}: 行政规范性文件本年制发 2 与按政府信息公开目录计算的 1 不同："
            "请在 理由 中说明原因，或删去这一项以使用计算结果"
        )
    ]
    reasoned = text.replace("{本年制发: 2}", "{本年制发: 2, 理由: 另有1件由市政府办公室代为发布}")
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": reasoned, **catalog()}) == []
    content = write_tree(tmp_path / "site", {"site.yaml": SITE, "annual-reports/2025.yaml": reasoned, **catalog()})
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content), "--out", str(out), "--today", "2026-11-30").code == 0
    table = soup(out / "annual-reports" / "2025" / "index.html").find("table", class_="active-table")
    row = next(tr for tr in table.find_all("tr") if tr.th and tr.th.get_text(strip=True) == "行政规范性文件")
    cells = row.find_all("td")
    assert cells[0].contents[0].strip() == "2"
    assert cells[0].find(class_="cell-note").get_text() == "按政府信息公开目录计算为 1；另有1件由市政府办公室代为发布"
    assert [c.get_text(strip=True) for c in cells[1:]] == ["1", "2"]  # computed: no note


def test_a_repealed_date_is_checked(tmp_path: Path) -> None:
    assert problems_of(
        tmp_path, {"policies/a.md": normative(1, "2024-05-10", status="废止", repealed="2024-01-01")}
    ) == ["content/policies/a.md:8: 废止日期 2024-01-01 不能早于发文日期 2024-05-10"]
    assert problems_of(tmp_path, {"policies/a.md": normative(1, "2024-05-10", repealed="2025-01-01")}) == [
        "content/policies/a.md:7: 有废止日期 2025-01-01 的文件，有效性 status 应为“废止”或“失效”，不能是“有效”"
    ]
    undated = {"policies/a.md": normative(1, "2024-05-10", status="废止"), "annual-reports/2025.yaml": report_yaml()}
    assert problems_of(tmp_path, undated) == [
        (
            "content/policies/a.md:7: 警告：有效性为“废止”但没有废止日期 repealed（废止日期）：年度报告按已不再有效计，"
            "却无法计入哪一年的本年废止件数"
        )
    ]


def test_one_report_a_year_and_the_normative_categories_must_exist(tmp_path: Path) -> None:
    page = "---\ntitle: 2025年年报\nslug: annual-report-2025\nreport_year: 2025\n---\n\n正文。\n"
    assert problems_of(tmp_path, {"annual-reports/2025.yaml": report_yaml(), "pages/annual-report-2025.md": page}) == [
        f"{YAML}:1: 2025 年的年度报告已有页面 content/pages/annual-report-2025.md：每年只能有一份年度报告"
    ]
    site = SITE + "normative_categories: [规范文件]\n"
    root = write_tree(tmp_path / "c2", {"site.yaml": site})
    with pytest.raises(ContentError) as caught:
        load_site(Options(content_dir=root, out_dir=tmp_path / "out", today=TODAY), lambda _: None)
    line = len(site.splitlines())
    assert [str(p) for p in caught.value.problems] == [
        f"c2/site.yaml:{line}: normative_categories 中 “规范文件” 不在 categories 中（可选：政策文件、规范性文件、社会救助）"
    ]


def test_a_draft_or_a_report_dated_later_is_left_out_and_logged(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "content", {"site.yaml": SITE, "annual-reports/2025.yaml": "草稿: true\n" + report_yaml()}
    )
    site, _ = load_site(Options(content_dir=root, out_dir=tmp_path / "out", today=TODAY), lambda _: None)
    assert site.reports == () and site.withheld == (
        "content/annual-reports/2025.yaml：草稿，未发布（加 --drafts 预览）",
    )
    site, _ = load_site(Options(content_dir=root, out_dir=tmp_path / "out", today=date(2026, 1, 10)), lambda _: None)
    later = write_tree(tmp_path / "later", {"site.yaml": SITE, "annual-reports/2025.yaml": report_yaml()})
    site, _ = load_site(Options(content_dir=later, out_dir=tmp_path / "out", today=date(2026, 1, 19)), lambda _: None)
    assert site.withheld == ("later/annual-reports/2025.yaml：发布日期 2026-01-20 尚未到",)


def test_review_rows_are_in_the_format() -> None:
    assert [r.alias for r in REVIEW_ROWS] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert len([r for r in REQUEST_ROWS if r.group and r.key != "total"]) == 21


# --- build.py new annual-report -----------------------------------------------------------------


def test_new_annual_report_writes_a_complete_draft_that_passes_the_checks(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"site.yaml": SITE, **catalog()})
    result = run_cli("new", "annual-report", "--year", "2025", "--content", str(content), "--today", "2026-01-05")
    assert result.code == 0, result.err
    text = (content / "annual-reports" / "2025.yaml").read_text(encoding="utf-8")
    assert "草稿: true" in text
    assert "  # 行政规范性文件: {本年制发: 1, 本年废止: 1, 现行有效: 2, 理由: 说明与目录不同的原因}" in text
    for row in REQUEST_ROWS:
        assert f"  {row.alias}: [0, 0, 0, 0, 0, 0, 0]\n" in text
    assert run_cli("check", "--content", str(content), "--today", "2026-01-05", "--strict").code == 0
    again = run_cli("new", "annual-report", "--year", "2025", "--content", str(content), "--today", "2026-01-05")
    assert again.code == 2 and "已存在，不会覆盖" in again.err
    future = run_cli("new", "annual-report", "--year", "2027", "--content", str(content), "--today", "2026-01-05")
    assert future.code == 2 and "--year 2027 无效" in future.err


def test_audit_warns_of_a_report_published_after_the_deadline(tmp_path: Path) -> None:
    from site_builder.audit.content import audit_content

    late = report_yaml().replace("发布日期: 2026-01-20", "发布日期: 2026-02-02")
    root = write_tree(tmp_path / "content", {"site.yaml": SITE, "annual-reports/2025.yaml": late})
    site, problems = load_site(Options(content_dir=root, out_dir=tmp_path / "out", today=TODAY), lambda _: None)
    found = [str(f) for f in audit_content(site, problems.rel, None) if f.rule.startswith("annual-report")]
    assert found == [f"{YAML}:2: 警告：2025 年年度报告发布于 2026-02-02，晚于 2026-01-31"]
