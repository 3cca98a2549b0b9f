"""``build.py audit``, the rules on the content: each rule with a case that trips it, with its
exact message and place, and the good tree beside it that does not. (The rules on the built
pages are in tests/test_audit_output.py; the sample in column mode at the end.)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import ORGANIZATION_YAML, SAMPLE_CONTENT, SITE_YAML, USCC, policy_md, run_cli, write_tree
from conftest import TODAY as TODAY_CLI

from site_builder.audit.content import audit_content, months_before
from site_builder.audit.findings import RULES, Finding
from site_builder.options import Options
from site_builder.pipeline import load_site

TODAY = date(2026, 11, 30)
FOOTER = """\
  icp: 鲁ICP备20260002号
  police_record: 鲁公网安备37990002000999号
  conac_id: 0123456789ABCDEF0123456789ABCDEF
"""
PORTAL = """\
portal:
  name: 测试市民政局
  url: https://mzj.test.example.gov.cn/
  nav: {首页: "https://mzj.test.example.gov.cn/", 政府信息公开: "https://mzj.test.example.gov.cn/xxgk/"}
"""
GOOD_SITE_YAML = (
    SITE_YAML.replace(
        "base_url: https://mzj.test.example.gov.cn/", "base_url: https://mzj.test.example.gov.cn/xxgk/"
    ).replace('  site_id: "3799000099"\n', '  site_id: "3799000099"\n' + FOOTER)
    + PORTAL
)
CATEGORIES_LINE = GOOD_SITE_YAML.splitlines().index("categories: [政策文件, 社会救助, 部门计划及总结]") + 1
PUBLISHER_LINE = GOOD_SITE_YAML.splitlines().index("publisher:") + 1


def page_md(title: str, slug: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nslug: {slug}\n{extra}---\n\n{title}的正文。\n"


def good_tree() -> dict[str, str]:
    """Every rule satisfied on TODAY: a recent item in each column, last year's report, the footer."""
    files = {
        "site.yaml": GOOD_SITE_YAML,
        "organization.yaml": ORGANIZATION_YAML,
        "pages/guide.md": page_md("政府信息公开指南", "guide"),
        "pages/system.md": page_md("政府信息公开制度", "system"),
        "pages/accessibility.md": page_md("无障碍声明", "accessibility"),
        "pages/about.md": page_md("关于本站", "about"),
        "pages/annual-report-2025.md": page_md(
            "2025年政府信息公开工作年度报告", "annual-report-2025", "report_year: 2025\ndate: 2026-01-20\n"
        ),
    }
    for number, (category, day) in enumerate(
        [("政策文件", "2026-11-20"), ("社会救助", "2026-09-01"), ("部门计划及总结", "2026-07-10")], start=1
    ):
        files[f"policies/p{number}.md"] = policy_md(
            title=f"测试市民政局关于{category}工作的通知",
            index_no=f"{USCC}/2026-{number:05d}",
            category=category,
            doc_no=f"测民发〔2026〕{number}号",
            date=day,
            written=day,
            summary=f"{category}工作的安排。",
        )
    return files


def findings(tmp_path: Path, files: dict[str, str], today: date = TODAY, out_dir: Path | None = None) -> list[str]:
    """The content findings of ``files`` on ``today`` as ``rule path:line: …`` lines."""
    root = write_tree(tmp_path / "content", files)
    site, problems = load_site(Options(content_dir=root, out_dir=tmp_path / "output", today=today), lambda _: None)
    return [f"{f.rule} {f}" for f in sorted(audit_content(site, problems.rel, out_dir))]


def without(*paths: str) -> dict[str, str]:
    files = good_tree()
    for path in paths:
        del files[path]
    return files


def test_the_good_tree_has_no_findings(tmp_path: Path) -> None:
    assert findings(tmp_path, good_tree()) == []


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(date(2026, 11, 30), 6) == date(2026, 5, 30)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)


# --- 栏目更新 (国办秘函〔2019〕19号) ---------------------------------------------------------------


def test_a_column_with_nothing_new_for_six_months_fails(tmp_path: Path) -> None:
    files = good_tree()
    files["policies/p3.md"] = files["policies/p3.md"].replace("2026-07-10", "2026-05-29")
    assert findings(tmp_path, files) == [
        (
            f"stale-column content/site.yaml:{CATEGORIES_LINE}: 错误：栏目“部门计划及总结”最近一条信息发布于 2026-05-29"
            "（测试市民政局关于部门计划及总结工作的通知），到 2026-11-30 已超过 6 个月没有更新"
        )
    ]
    files["policies/p3.md"] = files["policies/p3.md"].replace("2026-05-29", "2026-05-30")  # exactly 6 months: fine
    assert findings(tmp_path, files) == []


def test_the_columns_home_with_nothing_new_for_two_weeks_fails(tmp_path: Path) -> None:
    files = good_tree()
    assert findings(tmp_path, files, date(2026, 12, 4)) == []  # 14 days after 2026-11-20
    assert findings(tmp_path, files, date(2026, 12, 5)) == [
        "stale-home content/site.yaml: 错误：栏目首页最近一条信息发布于 2026-11-20，到 2026-12-05 已超过 2 周没有新信息（14 天）"
    ]


def test_an_empty_column_is_a_warning_and_more_than_five_an_error(tmp_path: Path) -> None:
    files = good_tree()
    files["site.yaml"] = files["site.yaml"].replace("部门计划及总结]", "部门计划及总结, 养老服务]")
    assert findings(tmp_path, files) == [
        f"empty-column content/site.yaml:{CATEGORIES_LINE}: 警告：栏目“养老服务”没有任何已发布的信息"
    ]
    six = ["养老服务", "儿童福利", "残疾人福利", "社会事务", "财政资金", "区划地名"]
    files["site.yaml"] = good_tree()["site.yaml"].replace("部门计划及总结]", "部门计划及总结, " + ", ".join(six) + "]")
    found = findings(tmp_path, files)
    assert len(found) == 7
    assert found[-1] == (
        f"empty-column content/site.yaml:{CATEGORIES_LINE}: 错误：空白栏目有 6 个，超过 5 个：" + "、".join(six)
    )


# --- 年报 (条例第四十九条) -------------------------------------------------------------------------


def test_last_years_report_is_due_on_january_31(tmp_path: Path) -> None:
    assert findings(tmp_path, without("pages/annual-report-2025.md")) == [
        (
            "annual-report-missing content/annual-reports: 错误：没有 2025 年的政府信息公开工作年度报告，应于 2026-01-31 前公布"
            "（build.py new annual-report --year 2025；期限见 site.yaml annual_report_due）"
        )
    ]
    missing = [f for f in findings(tmp_path, good_tree(), date(2027, 2, 1)) if f.startswith("annual-report")]
    assert missing == [
        (
            "annual-report-missing content/annual-reports: 错误：没有 2026 年的政府信息公开工作年度报告，应于 2027-01-31 前公布"
            "（build.py new annual-report --year 2026；期限见 site.yaml annual_report_due）"
        )
    ]
    files = good_tree()
    assert [f for f in findings(tmp_path, files, date(2027, 1, 31)) if f.startswith("annual-report")] == []


def test_a_government_office_has_until_march_31(tmp_path: Path) -> None:
    files = good_tree()
    files["site.yaml"] += "annual_report_due: 03-31\n"
    assert [f for f in findings(tmp_path, files, date(2027, 3, 31)) if f.startswith("annual-report")] == []
    assert [f for f in findings(tmp_path, files, date(2027, 4, 1)) if f.startswith("annual-report")] == [
        (
            "annual-report-missing content/annual-reports: 错误：没有 2026 年的政府信息公开工作年度报告，应于 2027-03-31 前公布"
            "（build.py new annual-report --year 2026；期限见 site.yaml annual_report_due）"
        )
    ]


def test_a_report_published_after_the_deadline_is_a_warning(tmp_path: Path) -> None:
    files = good_tree()
    files["pages/annual-report-2025.md"] = files["pages/annual-report-2025.md"].replace("2026-01-20", "2026-02-03")
    assert findings(tmp_path, files) == [
        "annual-report-late content/pages/annual-report-2025.md:5: 警告：2025 年年度报告发布于 2026-02-03，晚于 2026-01-31"
    ]


# --- 页脚 and the column's entries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("  icp: 鲁ICP备20260002号\n", "备案号（ICP备案号，publisher.icp）"),
        ("  police_record: 鲁公网安备37990002000999号\n", "公安备案号（publisher.police_record）"),
        ("  conac_id: 0123456789ABCDEF0123456789ABCDEF\n", "党政机关网站标识（publisher.conac_id）"),
    ],
)
def test_a_footer_setting_left_out_is_a_warning(tmp_path: Path, line: str, what: str) -> None:
    files = good_tree()
    files["site.yaml"] = files["site.yaml"].replace(line, "")
    assert findings(tmp_path, files) == [
        f"footer content/site.yaml:{PUBLISHER_LINE}: 警告：页脚缺少{what}：在 site.yaml 中填写"
    ]


def test_the_contact_left_out_is_a_warning(tmp_path: Path) -> None:
    files = good_tree()
    files["site.yaml"] = files["site.yaml"].replace(
        "contact: {address: 测试市人民路1号, phone: 0599-86600000, hours: 工作日}\n", ""
    )
    assert findings(tmp_path, files) == [
        f"footer content/site.yaml:{PUBLISHER_LINE}: 警告：页脚缺少联系方式（contact 的地址和电话）"
    ]


def test_the_first_level_entries_and_the_portal(tmp_path: Path) -> None:
    assert findings(tmp_path, without("pages/system.md")) == [
        "column-nav content/pages/system.md: 错误：缺少一级栏目“政府信息公开制度”的页面"
    ]
    files = good_tree()
    files["site.yaml"] = (
        files["site.yaml"].replace(PORTAL, "").replace("request_url: https://www.test.example.gov.cn/ysqgk/\n", "")
    )
    assert findings(tmp_path, files) == [
        "column-nav content/site.yaml: 警告：政府信息公开平台应设在本机关门户网站的“政府信息公开”栏目（不得设立专门网站）：在 site.yaml 中填写 portal",
        "column-nav content/site.yaml: 警告：缺少“依申请公开”的入口：在 site.yaml 中填写 request_url",
    ]


def test_the_bureaus_functions_leaders_and_supervision_are_statutory_content(tmp_path: Path) -> None:
    assert findings(tmp_path, without("organization.yaml")) == [
        (
            "statutory-info content/organization.yaml: 警告：缺少机构信息（机构职能、领导信息、监督检查）："
            "写 content/organization.yaml（见 README）"
        )
    ]


def test_a_column_that_is_not_under_its_portal_is_a_warning(tmp_path: Path) -> None:
    files = good_tree()
    base = "base_url: https://mzj.test.example.gov.cn/xxgk/"
    line = files["site.yaml"].splitlines().index(base) + 1
    for elsewhere in ("https://www.test.example.gov.cn/xxgk/", "https://mzj.test.example.gov.cn/"):
        files["site.yaml"] = good_tree()["site.yaml"].replace(base, f"base_url: {elsewhere}")
        assert findings(tmp_path, files) == [
            (
                f"column-nav content/site.yaml:{line}: 警告：本站网址 {elsewhere} 不在门户网站 https://mzj.test.example.gov.cn/ 之下："
                "政府信息公开栏目应是门户网站的子路径（如 …/xxgk/；生成时可用 --base-url 指定）"
            )
        ]


# --- 目录 and 时限 (条例第十二条、第二十六条) ---------------------------------------------------------


def test_a_catalog_entry_without_a_summary_is_a_warning(tmp_path: Path) -> None:
    files = good_tree()
    files["policies/p2.md"] = files["policies/p2.md"].replace("summary: 社会救助工作的安排。\n", "")
    assert findings(tmp_path, files) == [
        "catalog-summary content/policies/p2.md:1: 警告：“测试市民政局关于社会救助工作的通知”没有内容概述（summary / 内容概述），目录中这一栏是空的"
    ]


def late_policy(category: str, published: str, number: int = 4) -> str:
    """A policy of ``category`` written 2026-09-25 (a Friday before the National Day week)."""
    return policy_md(
        title=f"测试市民政局关于{category}工作的通知（二）",
        index_no=f"{USCC}/2026-{number:05d}",
        category=category,
        doc_no=f"测民发〔2026〕{number}号",
        date="2026-09-25",
        written="2026-09-25",
        published=published,
        summary=f"{category}工作的安排。",
    )


def test_publishing_more_than_20_working_days_after_it_was_written_is_a_warning(tmp_path: Path) -> None:
    # 2026-09-25 (Fri) → 2026-10-30: the National Day week (10-01…10-07) is off, 10-10 (Sat) a make-up
    # workday: 3 days in September, 18 in October up to 10-29, the 21st on 10-30
    files = good_tree()
    files["policies/p4.md"] = late_policy("政策文件", "2026-10-30")
    assert findings(tmp_path, files) == [
        "late-publication content/policies/p4.md:8: 警告：成文 2026-09-25，发布 2026-10-30：隔了 21 个工作日，超过 20 个"
    ]
    files["policies/p4.md"] = late_policy("政策文件", "2026-10-29")  # the 20th: in time
    assert findings(tmp_path, files) == []


def test_social_assistance_is_published_within_10_working_days_unless_site_yaml_says_otherwise(
    tmp_path: Path,
) -> None:
    # 社会救助领域基层政务公开标准目录: 10 working days; from 2026-09-25 the 10th is 10-15, the 11th 10-16
    files = good_tree()
    files["policies/p4.md"] = late_policy("社会救助", "2026-10-16")
    assert findings(tmp_path, files) == [
        (
            "late-publication content/policies/p4.md:8: 警告：成文 2026-09-25，发布 2026-10-16：隔了 11 个工作日，超过 10 个"
            "（社会救助：publish_within）"
        )
    ]
    files["policies/p4.md"] = late_policy("社会救助", "2026-10-15")
    assert findings(tmp_path, files) == []
    # a 组配分类 given a deadline of its own in site.yaml (公开时限)
    files["policies/p4.md"] = late_policy("部门计划及总结", "2026-10-16")
    files["site.yaml"] = GOOD_SITE_YAML + "公开时限: {部门计划及总结: 5}\n"
    assert findings(tmp_path, files) == [
        (
            "late-publication content/policies/p4.md:8: 警告：成文 2026-09-25，发布 2026-10-16：隔了 11 个工作日，超过 5 个"
            "（部门计划及总结：publish_within）"
        )
    ]


def test_a_year_the_holiday_calendar_does_not_know_is_said_not_guessed(tmp_path: Path) -> None:
    files = good_tree()
    files["policies/p1.md"] = (
        files["policies/p1.md"]
        .replace("date: 2026-11-20", "date: 2026-12-28")
        .replace("written: 2026-11-20", "written: 2026-12-28")
        + ""
    )
    files["policies/p1.md"] = files["policies/p1.md"].replace("---\n正文", "published: 2027-01-05\n---\n正文")
    found = findings(tmp_path, files, date(2027, 1, 10))
    assert (
        "late-publication content/policies: 警告：无法核对 2027 年的工作日：工作日历没有 2027 年的节假日数据"
        "（请升级 chinesecalendar，或在 site.yaml 的 calendar 中写上 2027 年的 节假日 和 调休上班日）" in found
    )


# --- 公示名单 past its period, in the built site ------------------------------------------------------


def test_a_roster_page_left_online_past_its_period_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "output"
    page = out / "rosters" / "2026-10-甲区-城市低保-初审" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    assert findings(tmp_path, good_tree(), out_dir=out) == [
        (
            "roster-expired output/rosters/2026-10-甲区-城市低保-初审/index.html: 错误：公示名单 2026-10-甲区-城市低保-初审"
            " 到 2026-11-30 已不在公示期内，却仍在生成的网站上：重新生成并上传网站"
        )
    ]


def test_every_rule_names_its_source() -> None:
    for rule in RULES.values():
        assert "《" in rule.source and rule.title


def test_a_finding_of_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit rule"):
        Finding("content/site.yaml", 1, "no-such-rule", "x")


# --- build.py audit: the sample in column mode, the report, --json, --strict -------------------------


def test_the_sample_in_column_mode_passes_the_audit_strictly(sample_output: Path, tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    result = run_cli(
        "audit", "--content", str(SAMPLE_CONTENT), "--out", str(sample_output), "--today", TODAY_CLI,
        "--strict", "--json", str(report),
    )  # fmt: skip
    assert result.code == 0, result.out + result.err
    assert result.out.splitlines() == [
        f"政府网站检查（检查日期 {TODAY_CLI}）",
        "检查通过：0 个错误，0 个警告（--strict：警告也算）",
    ]
    assert json.loads(report.read_text(encoding="utf-8")) == {
        "today": TODAY_CLI,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }


def test_a_stale_build_fails_the_audit_with_the_report_and_the_json(sample_output: Path, tmp_path: Path) -> None:
    """Built on 11-29, audited on 12-04: the 清河县 初审公示 (11-25 … 12-01) is still on the built site."""
    report = tmp_path / "audit.json"
    result = run_cli(
        "audit", "--content", str(SAMPLE_CONTENT), "--out", str(sample_output), "--today", "2026-12-04",
        "--json", str(report),
    )  # fmt: skip
    assert result.code == 1
    page = sample_output / "rosters" / "2026-12-清河县-城市低保-初审" / "index.html"
    assert result.out.splitlines() == [
        "政府网站检查（检查日期 2026-12-04）",
        f"【{RULES['roster-expired'].title}】依据：{RULES['roster-expired'].source}",
        (
            f"  {page.resolve()}: 错误：公示名单 2026-12-清河县-城市低保-初审 到 2026-12-04 已不在公示期内，"
            "却仍在生成的网站上：重新生成并上传网站"
        ),
        "检查未通过：1 个错误，0 个警告",
    ]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert (data["errors"], data["warnings"], len(data["findings"])) == (1, 0, 1)
    assert data["findings"][0] | {"path": ""} == {
        "rule": "roster-expired",
        "title": RULES["roster-expired"].title,
        "source": RULES["roster-expired"].source,
        "severity": "error",
        "path": "",
        "line": None,
        "message": "公示名单 2026-12-清河县-城市低保-初审 到 2026-12-04 已不在公示期内，却仍在生成的网站上：重新生成并上传网站",
    }


def test_warnings_fail_the_audit_only_with_strict(tmp_path: Path) -> None:
    files = good_tree()
    files["policies/p2.md"] = files["policies/p2.md"].replace("summary: 社会救助工作的安排。\n", "")
    content = write_tree(tmp_path / "content", files)
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content), "--out", str(out), "--today", "2026-11-30").code == 0
    relaxed = run_cli("audit", "--content", str(content), "--out", str(out), "--today", "2026-11-30")
    strict = run_cli("audit", "--content", str(content), "--out", str(out), "--today", "2026-11-30", "--strict")
    assert (relaxed.code, strict.code) == (0, 1)
    assert relaxed.out.splitlines()[-1] == "检查通过：0 个错误，1 个警告"
    assert strict.out.splitlines()[-1] == "检查未通过：0 个错误，1 个警告（--strict：警告也算）"
    assert "catalog-summary" not in strict.out and RULES["catalog-summary"].title in strict.out


def test_auditing_a_folder_with_no_built_site_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("audit", "--content", str(SAMPLE_CONTENT), "--out", str(tmp_path / "nothing"))
    assert result.code == 2
    assert result.err.strip().endswith(f"里没有生成的网站：先运行 build.py build --out {tmp_path / 'nothing'}")
