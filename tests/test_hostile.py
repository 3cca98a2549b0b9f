"""Hostile and broken input that needs more than a content tree to show: the HTML sanitiser, the
Content-Security-Policy of every page, symbolic links, output-path collisions, output folders that
must not be replaced, template errors, exceptions from deep inside a stage, and interrupted builds.

The plain "this file gives this message" cases are in ``tests/corpus/`` (see test_corpus.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, USCC, copy_content, policy_md, run_cli, soup, tree_bytes

from site_builder.plan import Copy, Meta, Render
from site_builder.plan.paths import check_paths
from site_builder.problems import ContentError
from site_builder.render.markdown import MarkdownRenderer

TODAY = "2026-11-29"
P = "policies/a.md"
SHOWN = "content/policies/a.md"


def build(root: Path, *extra: str, out: Path | None = None):  # type: ignore[no-untyped-def]
    return run_cli(
        "build", "--content", str(root), "--out", str(out or root.parent / "output"), "--today", TODAY, *extra
    )


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(("content/", "templates/"))]


# --- the sanitiser -----------------------------------------------------------------------------

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script in svg": "<svg><script>alert(1)</script></svg>",
    "svg onload": '<svg onload="alert(1)"></svg>',
    "img onerror": '<img src="x" onerror="alert(1)">',
    "body onload": '<body onload="alert(1)">',
    "a onmouseover": '<a href="/catalog/" onmouseover="alert(1)">目录</a>',
    "javascript link": "[点我](javascript:alert(1))",
    "mixed-case javascript": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript with a tab": '<a href="java\tscript:alert(1)">x</a>',
    "javascript as entities": '<a href="&#106;avascript:alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data image": "![图](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "frame": '<frameset><frame src="https://evil.example/"></frameset>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "style element": "<style>body{display:none}</style>",
    "style attribute": '<p style="background:url(javascript:alert(1))">段落</p>',
    "link element": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "form": '<form action="https://evil.example/"><input name="q"><button formaction="x">提交</button></form>',
    "textarea": "<textarea>x</textarea>",
    "template": "<template><script>alert(1)</script></template>",
    "math": '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    "comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "id clobbering": '<img name="getElementById" id="main-content" src="/files/a.png">',
}
FORBIDDEN = (
    "<script",
    "<svg",
    "<iframe",
    "<frame",
    "<object",
    "<embed",
    "<style",
    "<link",
    "<meta",
    "<base",
    "<form",
    "<input",
    "<button",
    "<textarea",
    "<template",
    "<math",
    "javascript:",
    "vbscript:",
    "data:",
    "srcdoc",
    "style=",
    "formaction",
)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_sanitiser_removes_active_content(text: str) -> None:
    html = MarkdownRenderer().render(f"段落前。\n\n{text}\n\n段落后。\n", "policies/a/index.html")
    lowered = html.lower()
    for bad in FORBIDDEN:
        assert bad not in lowered, (bad, html)
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], html
        assert tag.get("id") is None and tag.get("name") is None, html
    assert "段落前" in html and "段落后" in html


def test_the_structure_of_a_document_survives() -> None:
    text = (
        "# 总则\n\n## 申请条件\n\n正文有**加粗**、*强调*和`代码`。\n\n"
        "1. 第一项\n2. 第二项\n    - 子项\n\n"
        "| 材料 | 份数 |\n|---|---:|\n| 户口簿 | 1 |\n\n"
        "[办事指南](/guide/) [国务院](https://www.gov.cn/) [邮件](mailto:mzj@example.gov.cn) [电话](tel:0599-86612345)\n\n"
        '![流程图](/files/2024/flow.png "办理流程")\n\n> 引用的原文。\n'
    )
    html = BeautifulSoup(MarkdownRenderer().render(text, "policies/a/index.html"), "html.parser")
    assert [h.name for h in html.find_all(["h2", "h3"])] == ["h2", "h3"]
    assert html.strong.get_text() == "加粗" and html.em.get_text() == "强调" and html.code.get_text() == "代码"
    assert [li.get_text(strip=True)[:3] for li in html.ol.find_all("li", recursive=False)] == ["第一项", "第二项"]
    assert html.ol.ul.li.get_text() == "子项"
    assert html.table.caption is not None and html.table.find("th", scope="row").get_text() == "户口簿"
    assert [a["href"] for a in html.find_all("a")] == [
        "../../guide/",
        "https://www.gov.cn/",
        "mailto:mzj@example.gov.cn",
        "tel:0599-86612345",
    ]
    img = html.img
    assert (img["src"], img["alt"], img["title"]) == ("../../files/2024/flow.png", "流程图", "办理流程")
    assert html.blockquote.get_text(strip=True) == "引用的原文。"


def test_hostile_markdown_is_harmless_in_the_built_page(content: Callable[..., Path]) -> None:
    body = "\n\n".join(HOSTILE.values()) + "\n\n正文结束。\n"
    root = content(
        {P: policy_md(body=body, title='"<script>alert(1)</script>标题"', summary='"\\" onmouseover=\\"alert(1)"')}
    )
    result = build(root)
    assert result.code == 0, result.err
    page = root.parent / "output" / "policies" / "a" / "index.html"
    doc = soup(page)
    main = doc.find("main")
    assert main is not None and "正文结束" in main.get_text()
    assert doc.h1.get_text(strip=True) == "<script>alert(1)</script>标题"  # shown as text, escaped
    for script in doc.find_all("script"):
        assert script.get("src") and not script.string, "no inline script"
    for tag in doc.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
    values = [str(v).lower() for tag in doc.find_all(True) for v in tag.attrs.values()]
    assert not [v for v in values if "javascript:" in v or v.startswith("data:")]


def _csp(doc: BeautifulSoup) -> dict[str, list[str]]:
    tags = doc.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert len(tags) == 1
    policy = {}
    for directive in tags[0]["content"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def test_every_page_has_a_csp_that_forbids_inline_script(sample_output: Path) -> None:
    pages = sorted(sample_output.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        doc = soup(page)
        csp = _csp(doc)
        scripts = csp.get("script-src", csp.get("default-src"))
        assert scripts is not None, page
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:", "http:"} & set(scripts), (page, scripts)
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"], page
        order = [t.name if t.name != "meta" or not t.get("http-equiv") else "csp" for t in doc.head.find_all(True)]
        assert order.index("csp") < min(order.index(n) for n in ("script", "link", "style") if n in order), page
        for script in doc.find_all("script"):
            assert script.get("src") and not (script.string or "").strip(), (page, script)
        for tag in doc.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (page, tag.name)


# --- symbolic links and files that are not files ---------------------------------------------


def test_a_policy_symlinked_from_outside_content_is_refused(content: Callable[..., Path], tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(policy_md(), encoding="utf-8")
    root = content({"policies/keep.md": policy_md(index_no=f"{USCC}/2024-00002")})
    os.symlink(outside, root / "policies" / "a.md")
    result = build(root)
    assert result.code == 1
    assert problem_lines(result.err) == [f"{SHOWN}:1: 符号链接指向内容目录之外，不会读取：请把文件本身放进内容目录"]
    assert not (root.parent / "output").exists()


def test_a_folder_symlinked_from_outside_content_is_refused(content: Callable[..., Path], tmp_path: Path) -> None:
    outside = tmp_path / "shared-policies"
    (outside / "2024").mkdir(parents=True)
    (outside / "2024" / "b.md").write_text(policy_md(), encoding="utf-8")
    root = content({"policies/2023/a.md": policy_md(index_no=f"{USCC}/2024-00002")})
    os.symlink(outside, root / "policies" / "shared")
    result = build(root)
    assert result.code == 1
    assert problem_lines(result.err) == [
        "content/policies/shared:1: 符号链接指向内容目录之外，不会读取：请把文件本身放进内容目录"
    ]


def test_a_roster_csv_symlinked_from_outside_content_is_refused(content: Callable[..., Path], tmp_path: Path) -> None:
    outside = tmp_path / "raw-export.csv"
    outside.write_text("户主姓名,街道/乡镇,社区/村,保障人数,保障金额\n张*丰,东街道,一社区,3,1500\n", encoding="utf-8")
    meta = "program: 城市低保\ndistrict: 甲区\nperiod: 2026-11\nstage: 长期公示\npublish_from: 2026-11-10\n"
    root = content({"rosters/2026-11-jia.yaml": meta})
    os.symlink(outside, root / "rosters" / "2026-11-jia.csv")
    result = build(root)
    assert result.code == 1
    assert (
        "content/rosters/2026-11-jia.csv:1: 符号链接指向内容目录之外，不会读取：请把文件本身放进内容目录" in result.err
    )
    assert "Traceback" not in result.err


def test_links_inside_content_are_followed_and_dangling_ones_reported(content: Callable[..., Path]) -> None:
    root = content({"drafts/a.md": policy_md()})
    (root / "policies").mkdir()
    os.symlink(root / "drafts" / "a.md", root / "policies" / "a.md")
    assert build(root).code == 0
    assert (root.parent / "output" / "policies" / "a" / "index.html").is_file()
    os.symlink(root / "drafts" / "gone.md", root / "policies" / "b.md")
    result = build(root)
    assert result.code == 1
    assert problem_lines(result.err) == ["content/policies/b.md:1: 符号链接指向不存在的文件或文件夹"]


def test_a_symlink_loop_inside_content_ends(content: Callable[..., Path]) -> None:
    root = content({P: policy_md()})
    os.symlink(root / "policies", root / "policies" / "again")
    result = build(root)
    assert result.code == 0, result.err


def test_an_unreadable_file_is_a_problem_not_a_traceback(
    content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = content({P: policy_md()})
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "a.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    result = build(root)
    assert result.code == 1
    assert problem_lines(result.err)[0] == f"{SHOWN}:1: 无法读取文件：Permission denied"


def test_a_fifo_named_like_a_policy_is_refused_without_blocking(content: Callable[..., Path]) -> None:
    root = content({"policies/keep.md": policy_md()})
    os.mkfifo(root / "policies" / "pipe.md")
    result = build(root)
    assert result.code == 1
    assert problem_lines(result.err) == ["content/policies/pipe.md:1: 不是普通文件（设备、管道或套接字），不会读取"]


# --- the plan: every output path written once ---------------------------------------------------


class _Source:
    def __init__(self, source: Path):
        self.source = source


def _render(path: str, source: Path | None = None) -> Render:
    return Render(path, "page.html", Meta("t", ()), {"page": _Source(source)} if source else {})


def _check(tmp_path: Path, *entries: Render | Copy) -> list[str]:
    content_dir = tmp_path / "content"
    content_dir.mkdir(exist_ok=True)
    try:
        check_paths(list(entries), content_dir)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_two_sources_writing_one_path_are_both_named(tmp_path: Path) -> None:
    a, b = tmp_path / "content" / "pages" / "a.md", tmp_path / "content" / "rosters" / "b.yaml"
    assert _check(tmp_path, _render("x/index.html", a), _render("x/index.html", b)) == [
        (
            "content/rosters/b.yaml:1: 输出路径冲突：content/pages/a.md 和 content/rosters/b.yaml 都会写到 x/index.html"
            "（请改用不同的 slug、文件名或名称）"
        )
    ]


def test_paths_differing_only_in_case_or_normal_form_collide(tmp_path: Path) -> None:
    a, b = tmp_path / "content" / "a.md", tmp_path / "content" / "b.md"
    assert len(_check(tmp_path, _render("Guide/index.html", a), _render("guide/index.html", b))) == 1
    nfc, nfd = "caf\u00e9", "cafe\u0301"  # what macOS may hand back for the same name
    problems = _check(tmp_path, _render(f"{nfc}/index.html", a), _render(f"{nfd}/index.html", b))
    assert len(problems) == 1 and "只有大小写或字形不同" in problems[0]


def test_a_file_that_another_entry_needs_as_a_folder_collides(tmp_path: Path) -> None:
    a, b = tmp_path / "content" / "a.md", tmp_path / "content" / "b.md"
    assert len(_check(tmp_path, _render("feed.xml", a), _render("feed.xml/index.html", b))) == 1
    assert len(_check(tmp_path, _render("x/y/index.html", a), _render("x/y", b))) == 1


@pytest.mark.parametrize(
    "path",
    [
        "../escape.html",
        "/etc/passwd",
        "a/./b.html",
        "a//b.html",
        "a\\b.html",
        "a/\x00.html",
        "x" * 201 + "/index.html",
        "",
    ],
)
def test_paths_leaving_the_output_folder_or_unstorable_are_refused(tmp_path: Path, path: str) -> None:
    problems = _check(tmp_path, _render(path, tmp_path / "content" / "a.md"))
    assert len(problems) == 1 and problems[0].startswith("content/a.md:1: 输出路径"), problems


# --- the output folder ----------------------------------------------------------------------------


@pytest.mark.parametrize("out", [".", "..", "content", "content/site"])
def test_an_output_folder_that_holds_sources_is_refused(content: Callable[..., Path], out: str) -> None:
    root = content({P: policy_md()})
    before = tree_bytes(root.parent)
    result = run_cli("build", "--content", "content", "--out", out, "--today", TODAY, cwd=root.parent)
    assert result.code == 2
    assert "用法错误：输出目录" in result.err
    assert tree_bytes(root.parent) == before


def test_a_folder_of_other_files_is_not_replaced(content: Callable[..., Path]) -> None:
    root = content({P: policy_md()})
    docs = root.parent / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("不是网站", encoding="utf-8")
    result = build(root, out=docs)
    assert result.code == 2
    assert "没有 index.html" in result.err
    assert (docs / "notes.txt").read_text(encoding="utf-8") == "不是网站"
    empty = root.parent / "empty"
    empty.mkdir()
    assert build(root, out=empty).code == 0


def test_an_output_path_that_is_a_file_is_a_usage_error(content: Callable[..., Path]) -> None:
    root = content({P: policy_md()})
    (root.parent / "output").write_text("x", encoding="utf-8")
    assert build(root).code == 2


def test_an_unwritable_output_is_reported_without_a_traceback(
    content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = content({P: policy_md()})

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", "output/policies/a/index.html")

    monkeypatch.setattr(Path, "write_bytes", full)  # the first file the build writes fails
    result = build(root)
    assert result.code == 1
    assert (
        "失败：无法读写文件：output/policies/a/index.html（No space left on device）。输出目录保持原样。" in result.err
    )
    # no output folder, no staging folder left behind (the cache may keep the compiled templates)
    assert sorted(p.name for p in root.parent.iterdir() if p.name != ".cache") == ["content"]


# --- exceptions from deep inside a stage --------------------------------------------------------


def test_markdown_nested_too_deeply_names_the_file(
    content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.render import markdown

    root = content({P: policy_md(body="- 列表\n")})

    def recurse(self: object, text: str, page_path: str = "index.html") -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.MarkdownRenderer, "render", recurse)
    result = build(root)
    assert result.code == 1
    assert problem_lines(result.err) == [f"{SHOWN}:8: 正文嵌套过深（列表或引用的层级太多），无法生成页面"]
    assert not (root.parent / "output").exists()


def _builder_copy(tmp_path: Path) -> Path:
    """A copy of the builder (package, templates, build.py) whose templates a test may break."""
    copy = tmp_path / "builder"
    copy.mkdir()
    shutil.copy2(ROOT / "build.py", copy / "build.py")
    shutil.copytree(ROOT / "site_builder", copy / "site_builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", copy / "templates")
    return copy


BROKEN_TEMPLATES = [
    (
        "undefined attribute",
        "{{ policy.titel }}",
        "模板错误：'site_builder.sources.policies.Policy object' has no attribute 'titel'",
    ),
    ("syntax error", "{% if %}", "模板错误：Expected an expression, got 'end of statement block'"),
    ("unknown filter", "{{ policy.title | shout }}", "模板错误：No filter named 'shout'."),
    ("missing include", "{% include 'components/nope.html' %}", "模板不存在：components/nope.html"),
    (
        "error in a filter",
        "{{ none | money }}",
        "模板错误：TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    ),
]


@pytest.mark.parametrize("snippet,message", [c[1:] for c in BROKEN_TEMPLATES], ids=[c[0] for c in BROKEN_TEMPLATES])
def test_template_errors_name_the_template_and_line(tmp_path: Path, snippet: str, message: str) -> None:
    builder = _builder_copy(tmp_path)
    template = builder / "templates" / "policy.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "{{ policy.title }}" in line)
    lines[number - 1] = lines[number - 1].replace("{{ policy.title }}", snippet)
    template.write_text("\n".join(lines), encoding="utf-8")
    content_dir = copy_content(tmp_path / "content")
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("旧网站", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            str(builder / "build.py"),
            "build",
            "--content",
            str(content_dir),
            "--out",
            str(out),
            "--today",
            TODAY,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    shown = problem_lines(proc.stderr)
    assert len(shown) == 1 and shown[0].startswith(f"templates/policy.html:{number}: {message}（生成 policies/"), (
        proc.stderr
    )
    assert (out / "index.html").read_text(encoding="utf-8") == "旧网站"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".cache") == ["builder", "content", "output"]


# Interrupted builds: tests/test_builds_end.py stops a build at each stage, at a known point.
