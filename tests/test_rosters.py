"""Rosters (公示名单): loading, validation with file and line, the dates and stages that decide
what is published, and the pages residents see (SPEC 3.4, 4, 6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SITE_YAML, TODAY, run_cli, soup

Content = Callable[..., Path]

HEADER = "户主姓名,街道/乡镇,社区/村,保障人数,保障金额,类别,备注\n"


def roster_yaml(**fields: Any) -> str:
    meta: dict[str, Any] = {
        "program": "城市低保",
        "district": "甲区",
        "period": '"2026-11"',
        "stage": "长期公示",
        "publish_from": "2026-11-10",
    }
    meta.update(fields)
    return "".join(f"{key}: {value}\n" for key, value in meta.items() if value is not None)


def rows(count: int, street: str = "东街道", community: str = "一社区", start: int = 0) -> str:
    return "".join(f"张*{chr(0x4E00 + start + i)},{street},{community},2,{1000 + i},A类,\n" for i in range(count))


def build(content_dir: Path, today: str = TODAY, out: Path | None = None) -> tuple[Any, Path]:
    out = out or content_dir.parent / "output"
    result = run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", today)
    return result, out


def cells(page: Path, selector: str) -> list[str]:
    return [c.get_text(strip=True) for c in soup(page).select(selector)]


# --- loading ---------------------------------------------------------------------------------


def test_inline_records_make_a_notice_page_with_summary(content: Content) -> None:
    root = content(
        {
            "rosters/a.yaml": roster_yaml(title="甲区2026年11月城市低保长期公示名单")
            + """\
records:
  - {户主姓名: 张*丰, 街道/乡镇: 东街道, 社区/村: 一社区, 保障人数: 3, 保障金额: 1500.5}
  - name: 欧阳*娜
    street: 西街道
    community: 二社区
    persons: 1
    amount: 600
    note: 续保
""",
        }
    )
    result, out = build(root)
    assert result.code == 0, result.err
    page = out / "rosters" / "a" / "index.html"
    html = soup(page)
    assert html.h1.get_text(strip=True) == "甲区2026年11月城市低保长期公示名单"
    assert cells(page, "th.roster-name") == ["张*丰", "欧阳*娜"]
    first_row = html.select("table.roster-table tbody tr:not(.group-row)")[0]
    assert [c.get_text(strip=True) for c in first_row.find_all(["th", "td"])] == [
        "1",
        "张*丰",
        "东街道",
        "一社区",
        "3",
        "1,500.5",
        "",
    ]
    assert cells(page, "[data-summary]") == ["2", "4", "2,100.5"]
    notice = html.select_one(".notice-text").get_text()
    assert "0599-86612345" in notice and "异议" in notice
    meta = {row.th.get_text(strip=True): row.td.get_text(" ", strip=True) for row in html.select(".meta-table tr")}
    assert meta["项目"] == "城市低保" and meta["区县"] == "甲区" and meta["期别"] == "2026年11月"
    assert meta["公示期"].startswith("2026-11-10 起") and meta["监督电话"] == "0599-86612345"


@pytest.mark.parametrize(
    "header",
    [HEADER, "name,street,community,persons,amount,category,note\n", "姓名,街道,社区,人数,金额,类别,备注\n"],
)
def test_csv_beside_the_yaml_with_english_or_chinese_headers(content: Content, header: str) -> None:
    root = content({"rosters/b.yaml": roster_yaml(), "rosters/b.csv": header + rows(3)})
    result, out = build(root)
    assert result.code == 0, result.err
    assert cells(out / "rosters/b/index.html", "th.roster-name") == ["张*一", "张*丁", "张*丂"]


def test_rows_are_grouped_by_street_and_community(content: Content) -> None:
    csv = HEADER + rows(1, "东街道", "一社区") + rows(1, "西街道", "二社区", 5) + rows(1, "东街道", "一社区", 9)
    root = content({"rosters/b.yaml": roster_yaml(), "rosters/b.csv": csv})
    result, out = build(root)
    assert result.code == 0, result.err
    page = out / "rosters/b/index.html"
    assert cells(page, "tr.group-row th") == ["东街道 一社区（2 户）", "西街道 二社区（1 户）"]
    assert cells(page, "table.roster-table td.num:first-child") == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"rosters/a.yaml": roster_yaml(district="丁区"), "rosters/a.csv": HEADER + rows(1)},
            "content/rosters/a.yaml:2: 区县 “丁区” 不在 site.yaml 的 districts 中",
        ),
        (
            {"rosters/a.yaml": roster_yaml(period="2026-13"), "rosters/a.csv": HEADER + rows(1)},
            "content/rosters/a.yaml:3: 期别 “2026-13” 应为 YYYY-MM",
        ),
        (
            {"rosters/a.yaml": roster_yaml(stage="公示"), "rosters/a.csv": HEADER + rows(1)},
            "content/rosters/a.yaml:4: stage（公示类型） 的值 “公示” 无效",
        ),
        (
            {"rosters/a.yaml": roster_yaml(publish_from="2026-02-30"), "rosters/a.csv": HEADER + rows(1)},
            "content/rosters/a.yaml:5: publish_from（公示开始日期） 的日期 “2026-02-30” 不存在",
        ),
        (
            {"rosters/a.yaml": roster_yaml(publish_until="2026-11-01"), "rosters/a.csv": HEADER + rows(1)},
            "content/rosters/a.yaml:6: 公示结束日期 2026-11-01 不能早于公示开始日期 2026-11-10",
        ),
        (
            {"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + rows(2) + "李*,东街道,一社区,两,900,,\n"},
            "content/rosters/a.csv:4: 保障人数 “两” 应为 1–99 的整数",
        ),
        (
            {"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + "李*,东街道,一社区,2,九百,,\n"},
            "content/rosters/a.csv:2: 保障金额 “九百” 应为 0–999999.99 的数字",
        ),
        (
            {"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + ",东街道,一社区,2,900,,\n"},
            "content/rosters/a.csv:2: 户主姓名 为空",
        ),
        (
            {"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + rows(1) + "李四光,东街道,一社区,2,900,,\n"},
            "content/rosters/a.csv:3: 个人信息：户主姓名未遮蔽，应写作 “李*光”",
        ),
        (
            {"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + "李*,东街道,一社区,2,900,,=1+2\n"},
            "content/rosters/a.csv:2: 备注 以 “=” 开头，像电子表格公式",
        ),
        (
            {
                "rosters/a.yaml": roster_yaml(),
                "rosters/a.csv": "户主姓名,街道/乡镇,社区/村,保障人数,保障金额,身份证号\n",
            },
            "content/rosters/a.csv:1: 未知的名单字段 “身份证号”",
        ),
        (
            {
                "rosters/a.yaml": roster_yaml()
                + "records:\n  - {name: 李*, street: 东, community: 一, persons: 1, amount: 9,"
                " phone: x}\n"
            },
            "content/rosters/a.yaml:7: 未知的名单字段 “phone”",
        ),
        (
            {
                "rosters/a.yaml": roster_yaml() + "records:\n  - name: 李*\n    street: 东\n    community: 一\n"
                "    persons: 0\n    amount: 9\n"
            },
            "content/rosters/a.yaml:10: 保障人数 “0” 应为 1–99 的整数",
        ),
        (
            {"rosters/a.yaml": roster_yaml() + "records: []\n", "rosters/a.csv": HEADER + rows(1)},
            "content/rosters/a.yaml:6: 名单同时写在 records（名单）和 a.csv 中",
        ),
        ({"rosters/a.yaml": roster_yaml()}, "content/rosters/a.yaml:1: 没有名单"),
        ({"rosters/z.csv": HEADER + rows(1)}, "content/rosters/z.csv:1: 名单 CSV 缺少同名的元数据文件 z.yaml"),
        (
            {"rosters/A b.yaml": roster_yaml(), "rosters/A b.csv": HEADER + rows(1)},
            "content/rosters/A b.yaml:1: 文件名 “A b.yaml” 不能用作网址",
        ),
        (
            {
                "rosters/a.yaml": roster_yaml(),
                "rosters/a.csv": HEADER + rows(1),
                "rosters/b.yaml": roster_yaml(),
                "rosters/b.csv": HEADER + rows(1),
            },
            "content/rosters/b.yaml:3: 甲区城市低保 2026-11 的长期公示名单已有一份：content/rosters/a.yaml",
        ),
    ],
)
def test_validation_names_file_and_line(content: Content, files: dict[str, str], expected: str) -> None:
    root = content(files)
    out = root.parent / "output"
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 1
    assert any(line.startswith(expected) for line in result.lines), result.err
    assert "Traceback" not in result.err
    result, _ = build(root, out=out)
    assert result.code == 1 and not out.exists()


def test_unmasked_name_message_does_not_repeat_the_name(content: Content) -> None:
    root = content({"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + "司马光明,东街道,一社区,2,900,,\n"})
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 1
    assert "司马光明" not in result.err and "“司马*明”" in result.err


# --- what is published when ------------------------------------------------------------------


def preliminary(content: Content) -> Path:
    return content(
        {
            "rosters/chushen.yaml": roster_yaml(stage="初审公示", publish_from="2026-11-25"),
            "rosters/chushen.csv": HEADER + rows(3),
        }
    )


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        ("2026-11-24", False),
        ("2026-11-25", True),
        ("2026-12-01", True),
        ("2026-12-02", False),
    ],
)
def test_preliminary_notice_runs_seven_days(content: Content, today: str, shown: bool) -> None:
    root = preliminary(content)
    result, out = build(root, today)
    assert result.code == 0, result.err
    assert (out / "rosters/chushen/index.html").exists() is shown
    listed = [a["href"] for a in soup(out / "rosters/index.html").select("table.roster-list a")]
    assert listed == (["chushen/"] if shown else [])
    if shown:
        meta = {
            r.th.get_text(strip=True): r.td.get_text(" ", strip=True)
            for r in soup(out / "rosters/chushen/index.html").select(".meta-table tr")
        }
        assert meta["公示期"] == "2026-11-25 至 2026-12-01"
    elif today == "2026-11-24":
        assert "content/rosters/chushen.yaml：公示期自 2026-11-25 开始，尚未到" in result.err
    else:
        assert "content/rosters/chushen.yaml：公示期已于 2026-12-01 结束" in result.err


def test_explicit_publish_until(content: Content) -> None:
    root = content(
        {
            "rosters/a.yaml": roster_yaml(stage="初审公示", publish_from="2026-11-25", publish_until="2026-11-27"),
            "rosters/a.csv": HEADER + rows(1),
        }
    )
    result, out = build(root)
    assert result.code == 0
    assert not (out / "rosters/a").exists()
    assert "content/rosters/a.yaml：公示期已于 2026-11-27 结束" in result.err


def standing_pair(content: Content) -> Path:
    return content(
        {
            "rosters/oct.yaml": roster_yaml(period='"2026-10"', publish_from="2026-10-10"),
            "rosters/oct.csv": HEADER + rows(2),
            "rosters/nov.yaml": roster_yaml(period='"2026-11"', publish_from="2026-11-30"),
            "rosters/nov.csv": HEADER + rows(1, start=40),
            # another district's list is not replaced by 甲区's
            "rosters/other.yaml": roster_yaml(district="乙区", period='"2026-09"', publish_from="2026-09-10"),
            "rosters/other.csv": HEADER + rows(1),
        }
    )


def test_standing_list_stays_until_a_newer_period_is_published(content: Content) -> None:
    root = standing_pair(content)
    result, out = build(root, "2026-11-29")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (out / "rosters").iterdir() if p.is_dir()) == ["oct", "other"]
    assert "content/rosters/nov.yaml：公示期自 2026-11-30 开始，尚未到" in result.err

    result, out = build(root, "2026-11-30")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (out / "rosters").iterdir() if p.is_dir()) == ["nov", "other"]
    assert "content/rosters/oct.yaml：已由更新一期（2026-11）的名单 content/rosters/nov.yaml 替代" in result.err
    summary = json.loads((out / "data/rosters-summary.json").read_text(encoding="utf-8"))
    assert [r["period"] for r in summary["rosters"]] == ["2026-11", "2026-09"]


def test_a_newer_preliminary_notice_does_not_replace_the_standing_list(content: Content) -> None:
    root = content(
        {
            "rosters/oct.yaml": roster_yaml(period='"2026-10"', publish_from="2026-10-10"),
            "rosters/oct.csv": HEADER + rows(2),
            "rosters/dec.yaml": roster_yaml(period='"2026-12"', stage="初审公示", publish_from="2026-11-25"),
            "rosters/dec.csv": HEADER + rows(1),
        }
    )
    result, out = build(root)
    assert result.code == 0, result.err
    assert (out / "rosters/oct/index.html").exists() and (out / "rosters/dec/index.html").exists()
    # 初审公示 first on the list of notices
    assert [a["href"] for a in soup(out / "rosters/index.html").select("table.roster-list a")] == ["dec/", "oct/"]


# --- pages -----------------------------------------------------------------------------------


def test_pagination_and_street_links(content: Content) -> None:
    site_yaml = SITE_YAML.replace("  hotline: 0599-86612345\n", "  hotline: 0599-86612345\n  page_size: 5\n")
    csv = HEADER + rows(4, "东街道", "一社区") + rows(3, "东街道", "二社区", 10) + rows(5, "西街道", "三村", 20)
    root = content({"rosters/big.yaml": roster_yaml(), "rosters/big.csv": csv}, site_yaml=site_yaml)
    result, out = build(root)
    assert result.code == 0, result.err
    base = out / "rosters/big"
    assert sorted(p.relative_to(base).as_posix() for p in base.rglob("index.html")) == [
        "index.html",
        "page-2/index.html",
        "page-3/index.html",
    ]
    first = soup(base / "index.html")
    assert [a["href"] for a in first.select("nav.pagination a")] == ["./", "page-2/", "page-3/", "page-2/"]
    assert len(first.select("th.roster-name")) == 5
    assert [
        c.get_text(strip=True) for c in soup(base / "page-3/index.html").select("table.roster-table td.num:first-child")
    ] == ["11", "12"]
    assert [a["href"] for a in soup(base / "page-2/index.html").select('nav.pagination a[rel="prev"]')] == ["../"]
    # streets and communities with their counts, linking to the page and group where each begins
    places = {a.get_text(strip=True): a["href"] for a in first.select("nav.roster-places a")}
    assert places == {
        "东街道": "./#s1",
        "一社区": "./#s1-c1",
        "二社区": "./#s1-c2",
        "西街道": "page-2/#s2",
        "三村": "page-2/#s2-c1",
    }
    counts = [c.get_text(strip=True) for c in first.select("nav.roster-places .count")]
    assert counts == ["（7 户）", "（4 户）", "（3 户）", "（5 户）", "（5 户）"]
    page2 = soup(base / "page-2/index.html")
    assert page2.select_one("#s2-c1").get_text(strip=True) == "西街道 三村（5 户）"
    assert page2.select_one("#s2").name == "tbody"
    # the group that continues from page 1 says so and carries no anchor
    continued = page2.select("tr.group-row th")[0]
    assert continued.get_text(strip=True) == "东街道 二社区（3 户，接上页）" and not continued.get("id")
    assert cells(base / "page-2/index.html", "[data-summary]") == ["12", "24", "12,019"]


def test_roster_pages_are_noindex_and_left_out_of_sitemap_feed_and_search(content: Content) -> None:
    root = content(
        {
            "rosters/a.yaml": roster_yaml(),
            "rosters/a.csv": HEADER + rows(2),
            "policies/p.md": "---\ntitle: 通知\nindex_no: 11379900005183427E/2024-00001\ncategory: 社会救助\n"
            "date: 2024-03-18\n---\n正文。\n",
        }
    )
    result, out = build(root)
    assert result.code == 0, result.err
    for page in ("rosters/index.html", "rosters/a/index.html"):
        robots = soup(out / page).select('meta[name="robots"]')
        assert [m["content"] for m in robots] == ["noindex"]
    for name in ("sitemap.xml", "feed.xml"):
        if (out / name).exists():
            assert "rosters" not in (out / name).read_text(encoding="utf-8")
    if (out / "robots.txt").exists():
        assert "Disallow: /rosters/" in (out / "robots.txt").read_text(encoding="utf-8").splitlines()
    from site_builder.pipeline import Options, load_site
    from site_builder.plan import Render, plan_site

    site, _ = load_site(Options(root, out, __import__("datetime").date(2026, 11, 29)), lambda _: None)
    planned = [
        e
        for e in plan_site(site, Path(__file__).parent.parent / "templates")
        if isinstance(e, Render) and e.path.startswith("rosters/")
    ]
    assert planned and all(not e.sitemap and not e.searchable and e.meta.noindex for e in planned)


def test_summary_json_has_aggregates_only(content: Content) -> None:
    root = content(
        {
            "rosters/a.yaml": roster_yaml(),
            "rosters/a.csv": HEADER + rows(3),
            "rosters/t.yaml": roster_yaml(program="临时救助", district="丙县"),
            "rosters/t.csv": "户主姓名,街道/乡镇,社区/村,保障人数,保障金额,救助事由\n李*,南镇,一村,2,3000,因病\n",
        }
    )
    result, out = build(root)
    assert result.code == 0, result.err
    text = (out / "data/rosters-summary.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["rosters"] == [
        {
            "title": "甲区2026年11月城市低保长期公示名单",
            "url": "https://mzj.test.example.gov.cn/rosters/a/",
            "program": "城市低保",
            "district": "甲区",
            "period": "2026-11",
            "stage": "长期公示",
            "publish_from": "2026-11-10",
            "publish_until": None,
            "households": 3,
            "persons": 6,
            "amount": 3003,
            "amount_unit": "元/月",
        },
        {
            "title": "丙县2026年11月临时救助长期公示名单",
            "url": "https://mzj.test.example.gov.cn/rosters/t/",
            "program": "临时救助",
            "district": "丙县",
            "period": "2026-11",
            "stage": "长期公示",
            "publish_from": "2026-11-10",
            "publish_until": None,
            "households": 1,
            "persons": 2,
            "amount": 3000,
            "amount_unit": "元",
        },
    ]
    assert "*" not in text and "因病" not in text
    page = soup(out / "rosters/t/index.html")
    assert [th.get_text(strip=True) for th in page.select("table.roster-table thead th")] == [
        "序号",
        "户主姓名",
        "街道（乡镇）",
        "社区（村）",
        "保障人数",
        "救助金额（元）",
        "救助事由",
    ]


def test_home_page_lists_notices_in_force(content: Content) -> None:
    root = standing_pair(content)
    result, out = build(root)
    assert result.code == 0, result.err
    home = soup(out / "index.html")
    section = home.find("h2", string="公示名单").find_parent("section")
    assert [a["href"] for a in section.select("table a")] == ["rosters/oct/", "rosters/other/"]
    assert section.select("a")[-1]["href"] == "rosters/"


# --- the sample site -------------------------------------------------------------------------


def test_sample_rosters(sample_output: Path) -> None:
    index = soup(sample_output / "rosters/index.html")
    listed = [a.get_text(strip=True) for a in index.select("table.roster-list a")]
    assert len(listed) >= 5
    districts = {td.get_text(strip=True) for td in index.select("table.roster-list td:nth-of-type(1)")}
    programs = {td.get_text(strip=True) for td in index.select("table.roster-list td:nth-of-type(2)")}
    assert len(districts) >= 3 and len(programs) >= 2
    assert "清河县2026年12月城市低保初审公示名单" in listed
    assert not (sample_output / "rosters/2026-10-中心区-城市低保").exists()  # replaced by November's
    assert (sample_output / "rosters/2026-11-中心区-城市低保/page-2/index.html").exists()
    summary = json.loads((sample_output / "data/rosters-summary.json").read_text(encoding="utf-8"))
    assert len(summary["rosters"]) == len(listed)


def test_long_rosters_link_a_window_of_pages(content: Content) -> None:
    site_yaml = SITE_YAML.replace("  hotline: 0599-86612345\n", "  hotline: 0599-86612345\n  page_size: 1\n")
    root = content({"rosters/big.yaml": roster_yaml(), "rosters/big.csv": HEADER + rows(12)}, site_yaml=site_yaml)
    result, out = build(root)
    assert result.code == 0, result.err
    nav = soup(out / "rosters/big/page-6/index.html").select_one("nav.pagination")
    items = [li.get_text(strip=True) for li in nav.select("li")]
    assert items == [
        "上一页",
        "第 1 页",
        "…",
        "第 4 页",
        "第 5 页",
        "第 6 页",
        "第 7 页",
        "第 8 页",
        "…",
        "第 12 页",
        "下一页",
    ]
    assert [a["href"] for a in nav.select("a")] == [
        "../page-5/",
        "../",
        "../page-4/",
        "../page-5/",
        "./",
        "../page-7/",
        "../page-8/",
        "../page-12/",
        "../page-7/",
    ]
    assert nav.select_one('a[aria-current="page"]').get_text(strip=True) == "第 6 页"
    assert len(list((out / "rosters/big").rglob("index.html"))) == 12


# --- households kept compact: decoded only for the pages being rendered (issue 8) -----------


def mixed_rows() -> str:
    """Rows of three communities on two streets, interleaved, with amounts in every form."""
    return (
        HEADER
        + "张*丰,东街道,一社区,2,1000,A类,\n"
        + "李*,西街道,三社区,1,12.50,,重残单独施保\n"
        + "王*明,东街道,二社区,3,0012.5,B类,\n"
        + "赵*,东街道,一社区,4,0.00,A类,\n"
        + "欧阳*娜,西街道,三社区,1,999999.99,,\n"
    )


def load(root: Path) -> list[Any]:
    from site_builder.config import load_config
    from site_builder.problems import Problems
    from site_builder.sources.rosters import load_rosters

    problems = Problems(display_root=root.parent)
    config = load_config(root, problems, None)
    assert config is not None
    rosters = load_rosters(config, problems)
    assert not problems.errors, problems.errors
    return rosters


def test_households_decode_to_the_rows_in_roster_order(content: Content) -> None:
    from decimal import Decimal

    from site_builder.sources.roster_table import Group, Household

    (roster,) = load(content({"rosters/a.yaml": roster_yaml(), "rosters/a.csv": mixed_rows()}))
    records = roster.records
    assert records.groups == (
        Group("东街道", "一社区", 0, 2),
        Group("东街道", "二社区", 2, 1),
        Group("西街道", "三社区", 3, 2),
    )
    assert [(r.name, r.line) for r in records] == [("张*丰", 2), ("赵*", 5), ("王*明", 4), ("李*", 3), ("欧阳*娜", 6)]
    assert records[1] == Household("赵*", "东街道", "一社区", 4, Decimal("0.00"), "A类", "", "", 5)
    assert [str(r.amount) for r in records] == ["1000", "0.00", "12.5", "12.50", "999999.99"]
    assert records[-1].note == "" and records[3].note == "重残单独施保"
    assert records[1:4] == tuple(list(records)[1:4]) and records[::2] == tuple(list(records)[::2])
    assert (records.has("category"), records.has("reason"), records.has("note")) == (True, False, True)
    assert (len(records), roster.households, roster.persons, roster.amount) == (5, 5, 11, Decimal("1001024.99"))
    with pytest.raises(IndexError):
        records[5]


def test_a_cached_roster_holds_no_household_objects(content: Content) -> None:
    """The source cache pickles a roster's households as a few strings and arrays: a warm build
    unpickles no `Household` (nor one object per household of any other kind)."""
    import io
    import pickle

    (roster,) = load(content({"rosters/a.yaml": roster_yaml(), "rosters/a.csv": HEADER + rows(3000)}))
    data = pickle.dumps(roster, protocol=pickle.HIGHEST_PROTOCOL)
    classes: list[str] = []

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            classes.append(name)
            return super().find_class(module, name)

    loaded = Recording(io.BytesIO(data)).load()
    assert "Household" not in classes and "Decimal" in classes  # the roster's total amount only
    assert len(data) < 80 * 3000  # about 20 bytes a household; a tuple of objects took ten times that
    assert list(loaded.records) == list(roster.records)


def test_warm_build_decodes_no_roster_rows(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning never decodes households; rendering decodes one block of a page at a time; and a
    warm build of an unchanged roster takes its pages over without decoding any."""
    from site_builder.plan import rosters as plan
    from site_builder.sources.roster_table import Households

    site_yaml = SITE_YAML.replace("  hotline: 0599-86612345\n", "  hotline: 0599-86612345\n  page_size: 4\n")
    root = content(
        {"rosters/big.yaml": roster_yaml(), "rosters/big.csv": HEADER + rows(6) + rows(5, "西街道", "二社区", 6)},
        site_yaml=site_yaml,
    )
    decoded: list[tuple[int, int]] = []
    real_decode = Households.decode
    rendered: list[int] = []
    real_rows = plan.Block.rows

    def decode(self: Households, start: int, stop: int) -> Any:
        decoded.append((start, stop))
        return real_decode(self, start, stop)

    def rows_of(block: Any) -> Any:
        rendered.append(block.count)
        return real_rows.fget(block)  # type: ignore[attr-defined]

    monkeypatch.setattr(Households, "decode", decode)
    monkeypatch.setattr(plan.Block, "rows", property(rows_of))
    out = root.parent / "output"
    cold = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY, "--jobs", "1")
    assert cold.code == 0, cold.err
    assert rendered == [4, 2, 2, 3]  # pages of 4 rows: [东×4] [东×2, 西×2] [西×3], cut by community
    assert (4, 6) in decoded and (6, 8) in decoded  # a page's blocks, not the whole roster
    numbers = [
        c.get_text(strip=True) for c in soup(out / "rosters/big/page-2/index.html").select(".roster-table td.num")
    ]
    assert numbers[::3] == ["5", "6", "7", "8"]
    rendered.clear()
    decoded.clear()
    warm = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY, "--jobs", "1")
    assert warm.code == 0, warm.err
    assert rendered == []
    assert all(stop - start <= 1024 for start, stop in decoded)  # at most iterated in chunks (the gate)
