"""Service guides (办事指南, 民办函〔2019〕52号): validation with path:line, 设定依据 checked against the
published policies, the rendered page part by part, back-links, sitemap, search and the
personal-data gate."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import SAMPLE_CONTENT, TODAY, USCC, Result, policy_md, run_cli, soup, table_by_caption

from site_builder.render.flow import BOX_HEIGHT, GAP, flow_diagram
from site_builder.sources.guides import Guide

# ---------------------------------------------------------------------------------------------
# A small content tree: districts 甲区, 乙区, 丙县 (conftest SITE_YAML).

POLICIES = {
    "policies/dibao-banfa.md": policy_md(title="测试市最低生活保障审核确认办法", doc_no="测民规〔2024〕1号"),
    "policies/draft-banfa.md": policy_md(title="草稿办法", index_no=f"{USCC}/2024-00002", draft="true"),
    "policies/shenqing-banfa.md": policy_md(
        title="依申请公开的文件", index_no=f"{USCC}/2024-00003", disclosure="依申请公开"
    ),
    "policies/later-banfa.md": policy_md(title="尚未发布的文件", index_no=f"{USCC}/2024-00004", published="2026-12-20"),
    "policies/old-banfa.md": policy_md(
        title="已废止的办法", index_no=f"{USCC}/2024-00005", status="废止", superseded_by="dibao-banfa"
    ),
}
STANDARD = """\
name: 城市低保标准
group: 低保对象
unit: 元/人·月
history:
  - effective: 2024-07-01
    default: 900
    basis: dibao-banfa
"""
# Every key in English; the line numbers are those the cases below expect.
GUIDE = """\
title: 最低生活保障
basis:
  - dibao-banfa
standards: [dibao]
eligibility:
  - 持有本市户籍
materials:
  - name: 申请书
    source: 窗口领取
    copies: 2
    form: 纸质或电子
  - name: 身份证
    required: false
steps:
  - name: 申请
    text: 提出申请。
  - name: 审核
    text: 区县民政局审核。
    days: 10个工作日
legal_limit: 30个工作日
promised_limit: 20个工作日
places:
  - address: 乡镇（街道）窗口
    hours: 工作日
  - district: 乙区
    address: 乙区政务服务中心
    hours: 工作日上午
phone: 0599-86612310
complaint_phone: 0599-86612345
faq:
  - question: 可以代办吗？
    answer: 可以。
"""
# The same guide in the Chinese keys staff write.
GUIDE_ZH = """\
事项名称: 最低生活保障
设定依据:
  - dibao-banfa
相关标准: [dibao]
受理条件:
  - 持有本市户籍
申请材料:
  - 名称: 申请书
    来源: 窗口领取
    份数: 2
    形式: 纸质或电子
  - 名称: 身份证
    必需: 否
办理流程:
  - 环节: 申请
    说明: 提出申请。
  - 环节: 审核
    说明: 区县民政局审核。
    时限: 10个工作日
法定办结时限: 30个工作日
承诺办结时限: 20个工作日
办理地点:
  - 地址: 乡镇（街道）窗口
    办理时间: 工作日
  - 区县: 乙区
    地址: 乙区政务服务中心
    办理时间: 工作日上午
咨询电话: 0599-86612310
监督投诉电话: 0599-86612345
常见问题:
  - 问: 可以代办吗？
    答: 可以。
"""
G = "guides/dibao.yaml"
SHOWN = "content/guides/dibao.yaml"
TREE = {**POLICIES, "standards/dibao.yaml": STANDARD}


def check(content: Callable[..., Path], guide: str, *extra: str, name: str = G) -> Result:
    return run_cli("check", "--content", str(content({**TREE, name: guide})), "--today", TODAY, *extra)


def changed(old: str, new: str) -> str:
    assert GUIDE.count(old) == 1, old
    return GUIDE.replace(old, new)


def test_a_good_guide_passes_and_unknown_keys_are_warnings(content: Callable[..., Path]) -> None:
    result = check(content, GUIDE + "remark: 备注\n")
    assert result.code == 0, result.err
    assert f"{SHOWN}:33: 警告：未知的键 “remark”，已忽略（办事指南）" in result.lines


CASES = [
    ("basis missing", changed("  - dibao-banfa", "  - nope"), f"{SHOWN}:3: 设定依据 “nope” 不存在"),
    (
        "basis a draft",
        changed("  - dibao-banfa", "  - draft-banfa"),
        f"{SHOWN}:3: 设定依据 “draft-banfa” 未发布（草稿，未发布（加 --drafts 预览））：办事指南只能引用已公开发布的政策文件",
    ),
    (
        "basis not 主动公开",
        changed("  - dibao-banfa", "  - shenqing-banfa"),
        f"{SHOWN}:3: 设定依据 “shenqing-banfa” 未发布（公开方式为“依申请公开”，不在网站发布）",
    ),
    (
        "basis published later",
        changed("  - dibao-banfa", "  - later-banfa"),
        f"{SHOWN}:3: 设定依据 “later-banfa” 未发布（发布日期 2026-12-20 尚未到）",
    ),
    (
        "second basis missing, at its own line",
        changed("  - dibao-banfa\n", "  - dibao-banfa\n  - nope\n"),
        f"{SHOWN}:4: 设定依据 “nope” 不存在",
    ),
    ("basis empty", changed("basis:\n  - dibao-banfa\n", "basis: []\n"), f"{SHOWN}:2: 设定依据 basis 不能为空"),
    ("basis absent", changed("basis:\n  - dibao-banfa\n", ""), f"{SHOWN}:1: 缺少必填项 basis（设定依据）（办事指南）"),
    ("standard missing", changed("standards: [dibao]", "standards: [nope]"), f"{SHOWN}:4: 相关标准 “nope” 不存在"),
    ("copies zero", changed("copies: 2", "copies: 0"), f"{SHOWN}:10: 份数 copies 应为正整数，实际为 0"),
    ("copies not a number", changed("copies: 2", "copies: 两份"), f"{SHOWN}:10: copies（份数） 应为整数"),
    ("form unknown", changed("form: 纸质或电子", "form: 复印件"), f"{SHOWN}:11: form（形式） 的值 “复印件” 无效"),
    (
        "required not a bool",
        changed("required: false", "required: 也许"),
        f"{SHOWN}:13: required（必需） 应为true 或 false",
    ),
    (
        "material without a name",
        changed("  - name: 身份证\n", "  - source: 自备\n"),
        f"{SHOWN}:12: 缺少必填项 name（名称）（申请材料第 2 项）",
    ),
    (
        "materials empty",
        changed("materials:\n", "materials: []\n").replace(
            "  - name: 申请书\n    source: 窗口领取\n    copies: 2\n    form: 纸质或电子\n  - name: 身份证\n    required: false\n",
            "",
        ),
        f"{SHOWN}:7: 申请材料 materials 不能为空",
    ),
    (
        "one step only",
        changed("  - name: 审核\n    text: 区县民政局审核。\n    days: 10个工作日\n", ""),
        f"{SHOWN}:14: 办理流程 steps 至少要有 2 个环节（现有 1 个）",
    ),
    (
        "step without text",
        changed("    text: 提出申请。\n", ""),
        f"{SHOWN}:15: 缺少必填项 text（说明）（办理流程第 1 项）",
    ),
    (
        "promise longer than the law",
        changed("promised_limit: 20个工作日", "promised_limit: 40个工作日"),
        f"{SHOWN}:21: 承诺办结时限 promised_limit（40个工作日）不能长于法定办结时限 legal_limit（30个工作日）",
    ),
    (
        "legal limit absent",
        changed("legal_limit: 30个工作日\n", ""),
        f"{SHOWN}:1: 缺少必填项 legal_limit（法定办结时限）",
    ),
    (
        "district unknown",
        changed("district: 乙区", "district: 丁区"),
        f"{SHOWN}:25: 区县 “丁区” 不在 site.yaml 的 districts 中",
    ),
    (
        "district twice",
        changed("\nphone: 0599", "\n  - district: 乙区\n    address: 又一处\n    hours: 周末\nphone: 0599"),
        f"{SHOWN}:28: 乙区的办理地点重复（第 25 行已写）",
    ),
    (
        "place without hours",
        changed("    hours: 工作日上午\n", ""),
        f"{SHOWN}:25: 缺少必填项 hours（办理时间）（办理地点第 2 项）",
    ),
    ("phone absent", changed("phone: 0599-86612310\n", ""), f"{SHOWN}:1: 缺少必填项 phone（咨询电话）（办事指南）"),
    (
        "complaint phone absent",
        changed("complaint_phone: 0599-86612345\n", ""),
        f"{SHOWN}:1: 缺少必填项 complaint_phone（监督投诉电话）（办事指南）",
    ),
    (
        "faq without answer",
        changed("    answer: 可以。\n", ""),
        f"{SHOWN}:31: 缺少必填项 answer（答/解答）（常见问题第 1 项）",
    ),
    (
        "updated not a real date",
        GUIDE + "updated: 2026-02-30\n",
        f"{SHOWN}:33: updated（更新日期） 的日期 “2026-02-30” 不存在",
    ),
    ("title too long", changed("title: 最低生活保障", "title: " + "长" * 61), f"{SHOWN}:1: title（事项名称） 过长"),
    (
        "YAML syntax error",
        changed("standards: [dibao]", "standards: [dibao"),
        f"{SHOWN}:5: YAML 格式错误：方括号 [ 没有闭合",
    ),
]


@pytest.mark.parametrize("name,guide,expected", CASES, ids=[c[0] for c in CASES])
def test_rule_fails_with_path_and_line(content: Callable[..., Path], name: str, guide: str, expected: str) -> None:
    result = check(content, guide)
    assert result.code == 1, result.err
    assert any(line.startswith(expected) for line in result.lines), "\n".join(result.lines)
    assert "Traceback" not in result.err


def test_a_file_name_that_is_not_a_slug(content: Callable[..., Path]) -> None:
    result = check(content, GUIDE, name="guides/Di_bao.yaml")
    assert result.code == 1
    assert any(line.startswith("content/guides/Di_bao.yaml:1: 文件名 “Di_bao” 无效") for line in result.lines)


def test_a_repealed_basis_is_a_warning_and_an_error_under_strict(content: Callable[..., Path]) -> None:
    guide = changed("  - dibao-banfa", "  - old-banfa")
    expected = f"{SHOWN}:3: 设定依据 “old-banfa” 已废止，现行文件为 “dibao-banfa”：请引用现行有效的文件"
    result = check(content, guide)
    assert result.code == 0 and expected.replace(": ", ": 警告：", 1) in result.lines, result.err
    built = run_cli("build", "--content", str(content({**TREE, G: guide})), "--today", TODAY, "--strict")
    assert built.code == 1 and expected in built.lines


def test_a_draft_guide_is_left_out_but_still_names_a_missing_basis(content: Callable[..., Path]) -> None:
    root = content({**TREE, G: GUIDE + "draft: true\n"})
    out = root.parent / "out"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    assert not (out / "guides").exists()
    assert "未发布 content/guides/dibao.yaml：草稿，未发布（加 --drafts 预览）" in result.out + result.err
    drafts = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY, "--drafts")
    assert drafts.code == 0 and (out / "guides/dibao/index.html").is_file()
    missing = check(content, changed("  - dibao-banfa", "  - nope") + "draft: true\n")
    assert missing.code == 1 and any(line.startswith(f"{SHOWN}:3: 设定依据 “nope” 不存在") for line in missing.lines)


def test_a_draft_basis_is_fine_for_a_draft_guide_built_with_drafts(content: Callable[..., Path]) -> None:
    guide = changed("  - dibao-banfa", "  - draft-banfa") + "draft: true\n"
    assert check(content, guide).code == 0
    assert check(content, guide, "--drafts").code == 0


def test_chinese_keys_read_the_same_as_english(content: Callable[..., Path]) -> None:
    from site_builder.config import load_config
    from site_builder.problems import Problems
    from site_builder.sources.guides import load_guides

    def load(text: str) -> Guide:
        root = content({**TREE, G: text})
        problems = Problems(display_root=root.parent)
        config = load_config(root, problems)
        assert config is not None
        (guide,) = load_guides(config, problems)
        assert not problems.items, problems.items
        return replace(guide, lines={})  # the keys' lines are the same; their names differ

    english, chinese = load(GUIDE), load(GUIDE_ZH)
    assert english == chinese
    assert english.authority == "测试市民政局" and english.fee == "不收费"
    assert [(m.copies, m.form, m.required) for m in english.materials] == [(2, "纸质或电子", True), (1, "纸质", False)]
    assert [p.where for p in english.places] == ["全市", "乙区"]


def test_a_mobile_number_in_a_guide_is_refused_by_the_gate(content: Callable[..., Path]) -> None:
    result = check(content, changed("phone: 0599-86612310", "phone: 13912345678"))
    assert result.code == 1
    assert any(line.startswith(f"{SHOWN}:28: 个人信息：发现手机号码 139****5678，不能发布") for line in result.lines), (
        result.err
    )
    assert "13912345678" not in result.err
    draft = check(content, changed("phone: 0599-86612310", "phone: 13912345678") + "draft: true\n")
    assert draft.code == 1  # a draft's text is in the repository too


def test_a_guide_name_cannot_be_a_free_page_slug(content: Callable[..., Path]) -> None:
    root = content({**TREE, "pages/guides.md": "---\ntitle: 冲突\n---\n正文\n"})
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 1
    assert "content/pages/guides.md:1: 页面 slug “guides” 与网站栏目重名，请换一个" in result.lines


# --- the flow diagram's geometry ----------------------------------------------------------------


def test_flow_diagram_has_a_box_per_step_and_an_arrow_between_each_pair() -> None:
    flow = flow_diagram([("申请", ""), ("受理", "当场"), ("审核", "10个工作日")])
    assert [b.label for b in flow.boxes] == ["1. 申请", "2. 受理", "3. 审核"]
    assert [b.note for b in flow.boxes] == ["", "当场", "10个工作日"]
    assert len(flow.arrows) == 2
    for arrow, above, below in zip(flow.arrows, flow.boxes, flow.boxes[1:]):
        assert arrow.y1 == above.y + above.height and arrow.head[2][1] == below.y  # touches both boxes
        assert arrow.x == above.center_x == below.center_x
    assert flow.height == flow.boxes[-1].y + BOX_HEIGHT + flow.boxes[0].y
    assert flow.boxes[1].y - flow.boxes[0].y == BOX_HEIGHT + GAP


# --- the sample's pages ------------------------------------------------------------------------


def page_of(out: Path, path: str) -> BeautifulSoup:
    return soup(out / path / "index.html")


def target(out: Path, page: str, href: str) -> Path:
    return ((out / page) / href / "index.html").resolve()


def row_value(table: Tag, header: str) -> str:
    for row in table.find_all("tr"):
        th = row.find("th", scope="row")
        if th is not None and th.get_text(strip=True) == header:
            td = row.find("td")
            assert td is not None
            return td.get_text(strip=True)
    raise AssertionError(f"no row {header!r}")


def section(page: BeautifulSoup, heading: str) -> Tag:
    h2 = page.find("h2", string=heading)
    assert h2 is not None, heading
    parent = h2.find_parent("section")
    assert isinstance(parent, Tag)
    return parent


DIBAO = "guides/dibao"


def test_one_h1_and_every_part_under_its_h2(sample_output: Path) -> None:
    page = page_of(sample_output, DIBAO)
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == ["最低生活保障审核确认办事指南"]
    assert [h.get_text(strip=True) for h in page.find("main").find_all("h2")] == [  # type: ignore[union-attr]
        "基本信息",
        "设定依据",
        "受理条件",
        "申请材料",
        "办理流程",
        "办理地点和时间",
        "相关救助保障标准",
        "常见问题",
    ]


def test_basics_authority_limits_fee_and_phones(sample_output: Path) -> None:
    basics = table_by_caption(page_of(sample_output, DIBAO), "事项基本信息")
    assert row_value(basics, "事项名称") == "最低生活保障审核确认"
    assert row_value(basics, "实施主体") == "各区县民政局（乡镇人民政府、街道办事处受理并调查）"
    assert row_value(basics, "服务对象").startswith("持有本市户籍")
    assert row_value(basics, "法定办结时限") == "30个工作日"
    assert row_value(basics, "承诺办结时限") == "20个工作日"
    assert row_value(basics, "收费") == "不收费"
    assert row_value(basics, "咨询电话") == "0599-86612310"
    assert row_value(basics, "监督投诉电话") == "0599-86612345"
    # 收费 not written (tekun, canji): 不收费; 实施主体 as written in English keys
    for slug in ("tekun", "canji-liangxiang-butie"):
        assert row_value(table_by_caption(page_of(sample_output, f"guides/{slug}"), "事项基本信息"), "收费") == "不收费"


def test_basis_links_to_each_policy_page(sample_output: Path) -> None:
    links = section(page_of(sample_output, DIBAO), "设定依据").find_all("a")
    assert [a.get_text(strip=True) for a in links] == [
        "示范市民政局关于印发《示范市最低生活保障审核确认办法》的通知",
        "示范市民政局关于印发《示范市社会救助家庭经济状况核对办法》的通知",
    ]
    assert [target(sample_output, DIBAO, str(a["href"])) for a in links] == [
        (sample_output / "policies/dibao-shenhe-queren-banfa/index.html").resolve(),
        (sample_output / "policies/jiating-jingji-zhuangkuang-hedui-banfa/index.html").resolve(),
    ]
    assert "（示民规〔2024〕1号）" in section(page_of(sample_output, DIBAO), "设定依据").get_text()


def test_eligibility_is_a_list(sample_output: Path) -> None:
    items = section(page_of(sample_output, DIBAO), "受理条件").find_all("li")
    assert len(items) == 4 and items[0].get_text(strip=True) == "申请人及共同生活的家庭成员至少有一人持有本市户籍"


def test_materials_table_caption_headers_and_cells(sample_output: Path) -> None:
    table = table_by_caption(page_of(sample_output, DIBAO), "最低生活保障审核确认申请材料清单")
    assert table.caption is not None
    assert table.caption.get_text(strip=True) == "最低生活保障审核确认申请材料清单（共 5 项，其中必需 4 项）"
    heads = table.find("thead").find_all("th")  # type: ignore[union-attr]
    assert [h.get_text(strip=True) for h in heads] == ["材料名称", "来源", "份数", "纸质/电子", "必需/可选"]
    assert all(h.get("scope") == "col" for h in heads)
    rows = table.find("tbody").find_all("tr")  # type: ignore[union-attr]
    assert len(rows) == 5
    for row in rows:
        assert row.find("th").get("scope") == "row"
    cells = [[c.get_text(strip=True) for c in row.find_all(["th", "td"])] for row in rows]
    assert cells[0] == ["最低生活保障申请书（申请审批表）", "受理窗口领取或在本站下载", "1", "纸质或电子", "必需"]
    assert cells[4] == [
        "残疾证、疾病诊断证明等其他证明材料（家庭有残疾人、重病患者时提供）",
        "申请人提供",
        "1",
        "纸质或电子",
        "可选",
    ]


def test_steps_are_an_ordered_list_and_an_svg_flow(sample_output: Path) -> None:
    steps = section(page_of(sample_output, DIBAO), "办理流程")
    items = steps.find("ol").find_all("li")  # type: ignore[union-attr]
    names = ["提出申请", "受理", "家庭经济状况调查", "审核确认", "公布和发放"]
    assert [li.find("strong").get_text(strip=True) for li in items] == names
    assert "（时限：10个工作日）" in items[2].get_text()
    svg = steps.find("svg")
    assert svg is not None and svg.get("role") == "img"
    ids = str(svg["aria-labelledby"]).split()
    title, desc = (svg.find(id=i) for i in ids)
    assert title is not None and title.name == "title" and title.get_text() == "最低生活保障审核确认办理流程图"
    assert desc is not None and desc.name == "desc" and "共 5 个环节" in desc.get_text()
    boxes = svg.find_all("rect", class_="flow-step")
    assert len(boxes) == len(names)
    assert len(svg.find_all("g", class_="flow-arrow")) == len(names) - 1
    labels = [t.get_text() for t in svg.find_all("text") if re.match(r"\d\. ", t.get_text())]
    assert labels == [f"{n}. {name}" for n, name in enumerate(names, 1)]


def test_places_by_district(sample_output: Path) -> None:
    table = table_by_caption(page_of(sample_output, DIBAO), "最低生活保障审核确认办理地点和时间")
    heads = [h.get_text(strip=True) for h in table.find("thead").find_all("th", scope="col")]  # type: ignore[union-attr]
    assert heads == ["区县", "办理地点", "办理时间"]
    rows = table.find("tbody").find_all("tr")  # type: ignore[union-attr]
    assert [r.find("th", scope="row").get_text(strip=True) for r in rows] == ["全市", "中心区", "北岭县"]
    assert rows[1].find_all("td")[0].get_text(strip=True) == "中心区民生路88号市民服务中心B座一楼社会救助综合窗口"


def test_related_standards_link_to_their_pages(sample_output: Path) -> None:
    links = section(page_of(sample_output, DIBAO), "相关救助保障标准").find_all("a")
    assert [target(sample_output, DIBAO, str(a["href"])) for a in links] == [
        (sample_output / "standards/dibao-chengshi/index.html").resolve(),
        (sample_output / "standards/dibao-nongcun/index.html").resolve(),
    ]


def test_faq_is_a_description_list(sample_output: Path) -> None:
    faq = section(page_of(sample_output, DIBAO), "常见问题").find("dl")
    assert faq is not None
    questions = [dt.get_text(strip=True) for dt in faq.find_all("dt")]
    assert len(questions) == 3 and questions[0] == "问：不在户籍所在地居住，可以在居住地申请吗？"
    assert len(faq.find_all("dd")) == 3


def test_meta_tags_of_an_article_in_the_service_column(sample_output: Path) -> None:
    page = page_of(sample_output, DIBAO)

    def meta(name: str) -> str:
        tag = page.find("meta", attrs={"name": name})
        assert tag is not None, name
        return str(tag["content"])

    assert meta("ArticleTitle") == "最低生活保障审核确认办事指南"
    assert meta("PubDate") == "2026-10-15 00:00"  # 更新日期
    assert meta("ContentSource") == "各区县民政局（乡镇人民政府、街道办事处受理并调查）"
    assert meta("ColumnType") == "办事服务"
    assert page.find("main").has_attr("data-pagefind-body")  # type: ignore[union-attr]


def test_the_list_links_every_guide(sample_output: Path) -> None:
    table = table_by_caption(page_of(sample_output, "guides"), "办事指南一览")
    links = [a for a in table.find_all("a")]
    assert [a.get_text(strip=True) for a in links] == [
        "最低生活保障审核确认",
        "特困人员救助供养认定",
        "临时救助",
        "困难残疾人生活补贴和重度残疾人护理补贴",
    ]
    for a, slug in zip(links, ("dibao", "tekun", "linshi-jiuzhu", "canji-liangxiang-butie")):
        assert (
            target(sample_output, "guides", str(a["href"])) == (sample_output / f"guides/{slug}/index.html").resolve()
        )


@pytest.mark.parametrize(
    "page,guides",
    [
        ("policies/dibao-shenhe-queren-banfa", ["dibao"]),
        ("policies/linshi-jiuzhu-shishi-banfa", ["linshi-jiuzhu"]),
        ("standards/dibao-chengshi", ["dibao"]),
        ("standards/canji-huli-butie", ["canji-liangxiang-butie"]),
    ],
)
def test_policies_and_standards_cited_link_back(sample_output: Path, page: str, guides: list[str]) -> None:
    links = section(page_of(sample_output, page), "相关办事指南").find_all("a")
    assert [target(sample_output, page, str(a["href"])) for a in links] == [
        (sample_output / f"guides/{slug}/index.html").resolve() for slug in guides
    ]


def test_a_policy_no_guide_cites_has_no_related_guides(sample_output: Path) -> None:
    assert page_of(sample_output, "policies/binzang-huimin-zhengce").find("h2", string="相关办事指南") is None


def test_home_and_catalog_link_the_guides(sample_output: Path) -> None:
    for page in ("", "catalog"):
        html = soup(sample_output / page / "index.html")
        hrefs = [target(sample_output, page, str(a["href"])) for a in html.find_all("a") if a.get("href")]
        assert (sample_output / "guides/index.html").resolve() in hrefs, page


def test_guides_are_in_the_sitemap(sample_output: Path) -> None:
    sitemap = (sample_output / "sitemap.xml").read_text(encoding="utf-8")
    base = "https://mzj.shifan.example.gov.cn/xxgk/"
    for path in (
        "guides/",
        "guides/dibao/",
        "guides/tekun/",
        "guides/linshi-jiuzhu/",
        "guides/canji-liangxiang-butie/",
    ):
        assert f"<loc>{base}{path}</loc>" in sitemap, path


def test_guides_are_in_the_search_index(sample_output: Path) -> None:
    from site_builder.search import read_index

    pages = {page.url: page for page in read_index(sample_output)}
    assert {"/guides/dibao/", "/guides/tekun/", "/guides/linshi-jiuzhu/", "/guides/canji-liangxiang-butie/"} <= set(
        pages
    )
    assert "/guides/" not in pages  # the list is navigation, not content
    dibao = pages["/guides/dibao/"]
    assert dibao.meta["title"].startswith("最低生活保障审核确认办事指南")
    text = dibao.content.replace("\u200b", "")  # Pagefind marks Chinese word breaks with U+200B
    assert "家庭经济状况核对授权书" in text and "0599-86612310" in text


def test_every_sample_guide_is_built() -> None:
    slugs = sorted(p.stem for p in (SAMPLE_CONTENT / "guides").glob("*.yaml"))
    assert slugs == ["canji-liangxiang-butie", "dibao", "linshi-jiuzhu", "tekun"]
