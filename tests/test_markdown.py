"""Markdown bodies: accessible tables, one <h1>, site links made relative, hostile HTML removed."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from site_builder.render.markdown import MarkdownRenderer

md = MarkdownRenderer()


def render(text: str, page: str = "policies/a/index.html") -> BeautifulSoup:
    return BeautifulSoup(md.render(text, page), "html.parser")


def test_tables_get_caption_scopes_and_a_scroll_container() -> None:
    html = render("## 申请材料\n\n| 材料 | 份数 |\n|---|---:|\n| 户口簿 | 1 |\n| 收入证明 | 2 |\n")
    wrap = html.find("div", class_="table-wrap")
    assert wrap["tabindex"] == "0" and wrap["role"] == "region" and wrap["aria-label"] == "申请材料"
    table = wrap.table
    assert table.caption.get_text() == "申请材料"
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col"]
    rows = table.tbody.find_all("tr")
    assert rows[0].th["scope"] == "row" and rows[0].th.get_text() == "户口簿"
    assert rows[0].td["class"] == ["num"]


def test_caption_paragraph_is_used() -> None:
    html = render("表1 办理时限\n\n| 事项 | 时限 |\n|---|---|\n| 受理 | 3个工作日 |\n")
    assert html.find("caption").get_text() == "表1 办理时限"
    assert html.find("p") is None


def test_body_h1_is_demoted() -> None:
    html = render("# 总则\n\n## 细则\n")
    assert html.find("h1") is None
    assert html.find("h2").get_text() == "总则" and html.find("h3").get_text() == "细则"


def test_site_absolute_links_become_relative() -> None:
    html = render("[目录](/catalog/) [附件](/files/2024/a.pdf) [外部](https://www.gov.cn/)")
    assert [a["href"] for a in html.find_all("a")] == [
        "../../catalog/",
        "../../files/2024/a.pdf",
        "https://www.gov.cn/",
    ]


def test_hostile_html_is_removed() -> None:
    text = (
        '<script>alert(1)</script>\n\n<p onclick="x()">点击</p>\n\n[链接](javascript:alert(1))\n\n'
        '<iframe src="https://evil.example"></iframe>\n\n<style>body{display:none}</style>\n\n'
        '<form action="https://evil.example"><input name=q></form>\n\n![图](data:image/png;base64,AAAA)\n'
    )
    out = md.render(text)
    for bad in ("<script", "onclick", "javascript:", "<iframe", "<style", "<form", "<input", "data:image"):
        assert bad not in out
    assert "点击" in out


def test_markdown_instance_is_reset_between_documents() -> None:
    first = md.render("脚注[^1]\n\n[^1]: 说明\n\n[ref]: https://a.example/\n\n[用引用][ref]")
    second = md.render("[用引用][ref]")
    assert 'href="https://a.example/"' in first  # the reference works in its own document
    assert "https://a.example/" not in second  # and is forgotten before the next


# The quick inline stage (_QuickInline) skips inline patterns that cannot match, the quick
# paragraphs (_QuickParagraphs) skip block processors that cannot match, and is_block_level is
# remembered: the HTML must be exactly what Python-Markdown itself makes, for prose and for every
# markup character.
_reference = MarkdownRenderer()
_reference._md.treeprocessors.register(InlineProcessor(_reference._md), "inline", 20)  # the stock stage
_reference._md.parser.blockprocessors.deregister("quick_paragraphs")  # every block through every processor
del _reference._md.is_block_level  # the method itself again
_MARKUP = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "__",
        "`",
        "``",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        ";",
        "#",
        "|",
        "-",
        ":",
        " ",
        "  \n",
        "\n",
        "\n\n",
        "1. ",
        "* ",
        "> ",
        "http://a.example/",
        "a@b.cn",
        "&amp;",
        "&#20013;",
        "<b>",
        "</b>",
        "/catalog/",
        "[链接](/catalog/)",
        "| 项目 | 金额 |\n|---|---:|\n| 低保 | 1,120元 |\n",
        "低保",
        "第一条",
        "。",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_MARKUP, max_size=30).map("".join))
@pytest.mark.slow
def test_quick_inline_stage_makes_the_same_html_as_python_markdown(text: str) -> None:
    assert md.render(text) == _reference.render(text)


def test_quick_inline_stage_on_every_kind_of_inline_markup() -> None:
    text = (
        '**加粗** *强调* __粗__ _斜_ `代码` \\*转义\\* [链接](/catalog/ "标题") ![图](/static/a.png)\n'
        '[引用][r] <https://www.gov.cn/> <a@b.cn> <abbr title="最低生活保障">低保</abbr> &copy; &#20013;  \n'
        "换行后 x_y_z 1 * 2\n\n[r]: https://www.mca.gov.cn/\n"
    )
    assert md.render(text) == _reference.render(text)
    html = render(text)
    assert html.find("strong").get_text() == "加粗" and html.find("code").get_text() == "代码"
    assert [a["href"] for a in html.find_all("a")][:2] == ["../../catalog/", "https://www.mca.gov.cn/"]
    assert html.find("br") is not None


# Block starts and line shapes for the quick paragraphs: every character a block processor looks
# at first, at the start of a block and of a later line, and the letters that take the shortcut.
_BLOCK_START = st.sampled_from(
    [
        "",
        " ",
        "    ",
        "\t",
        "#",
        "## ",
        "> ",
        "* ",
        "- ",
        "+ ",
        "1. ",
        "１. ",
        "2) ",
        "_",
        "***",
        "---",
        "___",
        "=",
        "[r]: /catalog/",
        "[r]",
        "|",
        "<div>",
        "</div>",
        "&",
        "\\",
        "`",
        "（一）",
        "第一条",
        "低保",
        "A",
        "z",
        "é",
        "١",
    ]
)
_LINE = st.tuples(_BLOCK_START, st.sampled_from(["", "低保标准", " 每月", " | 金额 |", "**加粗**", "x", "==="])).map(
    "".join
)
_BLOCK = st.lists(_LINE, min_size=1, max_size=4).map("\n".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_BLOCK, max_size=8).map("\n\n".join), st.sampled_from(["", "* 项目\n\n", "1. 项目\n"]))
@pytest.mark.slow
def test_quick_paragraphs_make_the_same_html_as_python_markdown(text: str, before: str) -> None:
    # (also after a list: a paragraph there may belong to the list item)
    assert md.render(before + text) == _reference.render(before + text)


def test_quick_paragraphs_take_plain_prose_and_only_with_the_stock_processors() -> None:
    from markdown.blockprocessors import BlockProcessor

    text = "各区县民政局：\n\n为做好低保工作，现通知如下。\n\n## 一、标准\n\n1. 城市\n2. 农村\n"
    quick = md._md.parser.blockprocessors["quick_paragraphs"]
    assert md.render(text) == _reference.render(text)
    assert quick._paragraph is not None  # the shortcut is on for our processors
    assert quick.test(None, "为做好低保工作。") and not quick.test(None, "1. 城市") and not quick.test(None, "甲\n乙")

    class Other(BlockProcessor):  # another extension's processor: the shortcut stays off
        def test(self, parent: object, block: str) -> bool:
            return False

    other = MarkdownRenderer()
    other._md.parser.blockprocessors.register(Other(other._md.parser), "other", 50)
    assert other.render(text) == md.render(text)
    assert other._md.parser.blockprocessors["quick_paragraphs"]._paragraph is None
