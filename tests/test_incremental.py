"""Incremental builds: after every kind of edit, the output is byte-identical to a clean build,
and what did not change is taken over from the previous output rather than written again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_CONTENT, replace_once, tree_bytes

from site_builder.pipeline import TEMPLATE_DIR, Options, build
from site_builder.problems import ContentError

TODAY = date(2026, 11, 29)


def run(content: Path, out: Path, templates: Path, log: list[str] | None = None, jobs: int = 2) -> None:
    build(
        Options(content_dir=content, out_dir=out, today=TODAY, jobs=jobs, template_dir=templates),
        (log if log is not None else []).append,
    )


def edit_policy_body(content: Path, templates: Path) -> None:
    path = content / "policies" / "2024" / "dibao-shenhe-queren-banfa.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n本办法由市民政局负责解释。\n", encoding="utf-8")


def edit_policy_title(content: Path, templates: Path) -> None:
    replace_once(content / "policies" / "2024" / "dibao-shenhe-queren-banfa.md", "title: ", "title: （修订）")


def edit_policy_category(content: Path, templates: Path) -> None:
    replace_once(
        content / "policies" / "2024" / "dibao-shenhe-queren-banfa.md", "category: 规范性文件", "category: 社会救助"
    )


def edit_standard(content: Path, templates: Path) -> None:
    replace_once(content / "standards" / "dibao-chengshi.yaml", "default: 1120", "default: 1125")


def edit_roster(content: Path, templates: Path) -> None:
    path = next(p for p in sorted((content / "rosters").glob("2026-11-*.csv")) if "初审" not in p.name)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # one household left assistance


def edit_template(content: Path, templates: Path) -> None:
    replace_once(templates / "policy.html", "发布日期：", "发布时间：")
    replace_once(templates / "404.html", "返回首页", "回到首页")


def edit_included_template(content: Path, templates: Path) -> None:
    """A template that pages reach only through an import (every table on the site)."""
    replace_once(templates / "components" / "table.html", '<div class="table-wrap"', '<div class="table-wrap scroll"')


def edit_stylesheet(content: Path, templates: Path) -> None:
    path = templates / "static" / "site.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n.notice { font-weight: bold; }\n", encoding="utf-8")


def edit_site_yaml(content: Path, templates: Path) -> None:
    replace_once(content / "site.yaml", "0599-86612300", "0599-86612399")


def delete_policy(content: Path, templates: Path) -> None:
    (content / "policies" / "2025" / "binzang-huimin-zhengce.md").unlink()


def delete_attachment_policy_and_page(content: Path, templates: Path) -> None:
    (content / "pages" / "about.md").unlink()
    (content / "policies" / "2024" / "canjiren-liangxiang-butie-xize.md").unlink()
    (content / "guides" / "canji-liangxiang-butie.yaml").unlink()  # its 设定依据 is the policy deleted


EDITS = [
    edit_policy_body,
    edit_policy_title,
    edit_policy_category,
    edit_standard,
    edit_roster,
    edit_template,
    edit_included_template,
    edit_stylesheet,
    edit_site_yaml,
    delete_policy,
    delete_attachment_policy_and_page,
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_incremental_build_equals_clean_build(tmp_path: Path, edit: Callable[[Path, Path], None]) -> None:
    content = tmp_path / "site" / "content"
    templates = tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATE_DIR, templates)
    out = tmp_path / "site" / "output"
    run(content, out, templates)
    before = {p: (out / p).stat().st_ino for p in tree_bytes(out)}

    edit(content, templates)
    log: list[str] = []
    run(content, out, templates, log)
    incremental = tree_bytes(out)

    shutil.rmtree(content.parent / ".cache")
    clean_out = tmp_path / "clean"
    run(content, clean_out, templates, jobs=1)
    clean = tree_bytes(clean_out)
    assert incremental.keys() == clean.keys()
    assert [p for p in clean if incremental[p] != clean[p]] == []

    kept = [p for p in incremental if p in before and (out / p).stat().st_ino == before[p]]
    if edit is edit_stylesheet:  # copied, not rendered: no page shows it
        assert any("新写入 1 个文件" in line for line in log), log
    if edit not in (edit_template, edit_included_template, edit_site_yaml):
        assert len(kept) > len(incremental) // 2, "unchanged files should be taken over, not rewritten"
        assert any("沿用未变化的" in line and "沿用未变化的 0 个" not in line for line in log)


def test_no_change_rebuild_writes_nothing_and_reuses_the_index(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)
    before = {p: (out / p).stat().st_ino for p in tree_bytes(out)}
    log: list[str] = []
    run(content, out, TEMPLATE_DIR, log)  # nothing changed at all: nothing is even read
    assert any(line.startswith("没有变化") for line in log) and not any("已读取" in line for line in log), log
    assert all((out / p).stat().st_ino == ino for p, ino in before.items())

    policy = content / "policies" / "2024" / "dibao-shenhe-queren-banfa.md"
    policy.write_bytes(policy.read_bytes())  # written again, same bytes: the sources are read again
    log = []
    run(content, out, TEMPLATE_DIR, log)
    assert not any(line.startswith("没有变化") for line in log), log
    assert any("新写入 0 个文件" in line for line in log), log
    assert any("沿用上次的索引" in line for line in log), log
    assert all((out / p).stat().st_ino == ino for p, ino in before.items() if p != "manifest.json")


def test_the_no_change_shortcut_sees_every_input(tmp_path: Path) -> None:
    """Another day, another option, a touched template or a file added to the output: each
    makes the build run in full (nothing is taken for unchanged that is not)."""
    content = tmp_path / "site" / "content"
    templates = tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATE_DIR, templates)
    out = tmp_path / "site" / "output"

    def shortcut(**changes: object) -> bool:
        log: list[str] = []
        options = Options(content_dir=content, out_dir=out, today=TODAY, jobs=1, template_dir=templates)
        build(replace(options, **changes), log.append)
        return any(line.startswith("没有变化") for line in log)

    assert not shortcut()
    assert shortcut()
    assert not shortcut(today=date(2026, 11, 30))
    assert not shortcut()  # back to the 29th: the output of the 30th is there
    assert shortcut()
    assert not shortcut(drafts=True) and not shortcut()
    assert not shortcut(strict=True)  # --strict always checks everything
    (templates / "base.html").touch()
    assert not shortcut()
    (out / "stray.html").write_text("x", encoding="utf-8")
    assert not shortcut() and not (out / "stray.html").exists()
    (content / "policies" / "2024" / "new.md").write_text("x", encoding="utf-8")
    with pytest.raises(ContentError):
        shortcut()


def test_a_hand_edited_output_file_is_rendered_again(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)
    page = out / "guide" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    run(content, out, TEMPLATE_DIR)
    assert page.read_bytes() == original


def test_a_damaged_cache_is_a_cold_cache(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)
    first = tree_bytes(out)
    damaged = [path for path in (content.parent / ".cache").rglob("*") if path.is_file()]
    assert any(path.parent.name.startswith("templates-") for path in damaged)  # compiled templates too
    for path in damaged:
        path.write_bytes(b"not a pickle")
    run(content, out, TEMPLATE_DIR)
    assert tree_bytes(out) == first


def test_parallel_and_serial_builds_are_identical(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    run(content, tmp_path / "one", TEMPLATE_DIR, jobs=1)
    shutil.rmtree(content.parent / ".cache")
    run(content, tmp_path / "two", TEMPLATE_DIR, jobs=2)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_the_gate_still_stops_a_warm_rebuild(tmp_path: Path) -> None:
    from conftest import run_cli

    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    args = ("build", "--content", str(content), "--out", str(out), "--today", "2026-11-29")
    assert run_cli(*args).code == 0
    before = tree_bytes(out)
    page = content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n值班手机：13812345678\n", encoding="utf-8")
    result = run_cli(*args)
    assert result.code == 1
    assert "content/pages/about.md:" in result.err and "138****5678" in result.err
    assert tree_bytes(out) == before


def folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def test_an_update_leaves_no_empty_folder_and_no_temporary_folder(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)
    delete_attachment_policy_and_page(content, TEMPLATE_DIR)
    log: list[str] = []
    run(content, out, TEMPLATE_DIR, log)
    assert any("沿用未变化的" in line and "沿用未变化的 0 个" not in line for line in log), "not an update"
    assert not (out / "about").exists() and not (out / "policies" / "canjiren-liangxiang-butie-xize").exists()
    assert not (out / "guides" / "canji-liangxiang-butie").exists()
    clean = tmp_path / "clean"
    shutil.rmtree(content.parent / ".cache")
    run(content, clean, TEMPLATE_DIR)
    assert folders(out) == folders(clean)
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "content", "output"]


@pytest.mark.parametrize("when", ["search index", "gate on the search index", "interrupt", "manifest"])
def test_a_failed_update_puts_the_previous_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """An update publishes its pages before the search index is built; a failure after that
    must still leave the output exactly as it was (files and folders), with nothing left over."""
    from site_builder import pipeline
    from site_builder.plan.search import Shard
    from site_builder.problems import ContentError, Problem
    from site_builder.search import SearchIndexError

    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)
    before, dirs = tree_bytes(out), folders(out)
    edit_policy_body(content, TEMPLATE_DIR)  # a searchable page changes: the index is rebuilt
    delete_policy(content, TEMPLATE_DIR)  # a page and its folder go

    published: list[bool] = []
    real_index, real_gate, real_manifest = pipeline.index_site, pipeline._gate_part, pipeline.manifest_bytes

    def failing_index(site_dir: Path, *args: object, **kwargs: object) -> object:
        published.append((site_dir / "policies" / "binzang-huimin-zhengce").exists())
        if when == "search index":
            raise SearchIndexError("Pagefind 失败")
        if when == "interrupt":
            raise KeyboardInterrupt
        return real_index(site_dir, *args, **kwargs)  # type: ignore[arg-type]

    def failing_gate(staging: Path, label: str, config: object, shard: Shard) -> list[Problem]:
        if when == "gate on the search index":
            return [Problem(f"output/{shard.bundle}/fragment/x.pf_fragment", 1, "个人信息")]
        return real_gate(staging, label, config, shard)  # type: ignore[arg-type]

    def failing_manifest(files: object) -> bytes:
        if when == "manifest":
            raise OSError(28, "No space left on device")
        return real_manifest(files)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "index_site", failing_index)
    monkeypatch.setattr(pipeline, "_gate_part", failing_gate)
    monkeypatch.setattr(pipeline, "manifest_bytes", failing_manifest)
    with pytest.raises((SearchIndexError, ContentError, KeyboardInterrupt, OSError)):
        run(content, out, TEMPLATE_DIR)
    assert published == [False], "the update should publish its pages before indexing them"
    assert tree_bytes(out) == before
    assert folders(out) == dirs
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "content", "output"]


def test_a_build_whose_search_index_fails_keeps_its_parsed_sources_and_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source and Markdown caches are saved while the index is built: a first build that
    stops at the index leaves them for the next one, which then parses and renders nothing again."""
    from site_builder import pipeline
    from site_builder.cache import Store
    from site_builder.search import SearchIndexError

    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    real_index = pipeline.index_site

    def failing_index(*args: object, **kwargs: object) -> object:
        raise SearchIndexError("Pagefind 失败")

    monkeypatch.setattr(pipeline, "index_site", failing_index)
    with pytest.raises(SearchIndexError):
        run(content, out, TEMPLATE_DIR)
    assert not out.exists()
    cache = content.parent / ".cache"
    bodies = {key for key in Store(cache, "markdown").data if key != "__builder__"}
    assert len(bodies) >= 10  # the sample's policies and pages
    assert len(Store(cache, "sources").data) > 10

    monkeypatch.setattr(pipeline, "index_site", real_index)
    rendered: list[str] = []
    real_render = pipeline.Renderer._body

    def counting_body(self: object, entry: object) -> str:
        html = real_render(self, entry)  # type: ignore[arg-type]
        rendered.extend(self.new_markdown().keys())  # type: ignore[attr-defined]
        return html

    monkeypatch.setattr(pipeline.Renderer, "_body", counting_body)
    run(content, out, TEMPLATE_DIR, jobs=1)
    assert (out / "index.html").is_file()
    assert rendered == []  # every body came from the cache


def test_compiled_templates_are_kept_between_builds_and_follow_template_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later builds load the templates compiled by an earlier one (``.cache/templates-*``), but
    compile again a template that was edited; a folder left by another builder is removed."""
    import jinja2

    content = tmp_path / "site" / "content"
    templates = tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATE_DIR, templates)
    out = tmp_path / "site" / "output"
    stale = tmp_path / "site" / ".cache" / "templates-0000000000000000"
    stale.mkdir(parents=True)
    compiled: list[str] = []
    real_compile = jinja2.Environment.compile

    def counting_compile(self: jinja2.Environment, source: str, name: str | None = None, *args: object) -> object:
        compiled.append(name or "")
        return real_compile(self, source, name, *args)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    run(content, out, templates, jobs=1)
    assert "base.html" in compiled and "policy.html" in compiled
    assert not stale.exists()
    [folder] = (tmp_path / "site" / ".cache").glob("templates-*")
    assert len(list(folder.iterdir())) >= len(set(compiled))

    compiled.clear()
    (templates / "policy.html").write_text(
        (templates / "policy.html").read_text(encoding="utf-8").replace("</article>", "<p>新的一行</p></article>", 1),
        encoding="utf-8",
    )
    run(content, out, templates, jobs=1)
    assert compiled == ["policy.html"]  # every other template came from the folder
    assert "新的一行" in next((out / "policies").glob("*/index.html")).read_text(encoding="utf-8")


def test_an_editors_hidden_files_beside_the_templates_change_nothing(tmp_path: Path) -> None:
    """Swap and backup files that editors leave beside a template are not templates: they do not
    make every page be rendered again."""
    content = tmp_path / "site" / "content"
    templates = tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(TEMPLATE_DIR, templates)
    out = tmp_path / "site" / "output"
    run(content, out, templates)
    (templates / ".policy.html.swp").write_bytes(b"b0VIM 9.0\0")
    (templates / "policy.html~").write_text("{{ broken", encoding="utf-8")
    (templates / "components" / ".#table.html").write_text("x", encoding="utf-8")
    log: list[str] = []
    run(content, out, templates, log)
    assert not any(line.startswith("没有变化") for line in log), log  # the build did look
    assert any("新写入 0 个文件" in line for line in log), log


def _built_with_a_file_where_a_page_folder_goes(tmp_path: Path) -> tuple[Path, Path]:
    """(content, output) of a built sample site whose folder of one policy page has been
    replaced by a file, as if by hand."""
    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)
    folder = out / "policies" / "dibao-shenhe-queren-banfa"
    shutil.rmtree(folder)
    folder.write_text("not a folder", encoding="utf-8")
    return content, out


def test_a_file_standing_where_a_page_folder_goes_is_replaced(tmp_path: Path) -> None:
    """An update moves its new pages into place before it looks for files that no longer belong:
    a file (put there by hand) where a page's folder has to be is moved aside first."""
    content, out = _built_with_a_file_where_a_page_folder_goes(tmp_path)
    edit_policy_body(content, TEMPLATE_DIR)
    log: list[str] = []
    run(content, out, TEMPLATE_DIR, log)
    assert any("沿用未变化的" in line and "沿用未变化的 0 个" not in line for line in log), "not an update"
    clean = tmp_path / "clean"
    shutil.rmtree(content.parent / ".cache")
    run(content, clean, TEMPLATE_DIR)
    assert tree_bytes(out) == tree_bytes(clean)
    assert folders(out) == folders(clean)


def test_kept_stores_are_read_once_and_builds_stay_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview keeps the cache in memory (``Stores(keep=True)``): a second build reads none of
    it from disk again, and its output is still that of a clean build."""
    import pickle

    from site_builder.cache import Stores

    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site" / "output"
    run(content, out, TEMPLATE_DIR)  # the cache on disk
    read: list[str] = []
    real_load = pickle.load

    def counting_load(file: Any, *args: Any, **kwargs: Any) -> Any:
        read.append(Path(file.name).name)
        return real_load(file, *args, **kwargs)

    monkeypatch.setattr(pickle, "load", counting_load)
    stores = Stores(keep=True)
    options = Options(content_dir=content, out_dir=out, today=TODAY, jobs=2, template_dir=TEMPLATE_DIR)
    edit_policy_body(content, TEMPLATE_DIR)
    build(options, [].append, stores=stores)
    first = sorted(read)
    assert {"sources.pickle", "markdown.pickle"} <= set(first), first
    read.clear()
    edit_policy_title(content, TEMPLATE_DIR)
    build(options, [].append, stores=stores)
    assert [name for name in read if name.endswith(".pickle") and not name.startswith("last-")] == []

    clean = tmp_path / "clean"
    shutil.rmtree(content.parent / ".cache")
    run(content, clean, TEMPLATE_DIR)
    assert tree_bytes(out) == tree_bytes(clean)


def test_a_template_named_in_a_variable_makes_every_template_file_count(tmp_path: Path) -> None:
    """Which templates a page uses is read from the templates themselves; when one includes a
    name held in a variable, that cannot be known before rendering, so every file counts."""
    from site_builder.render.env import template_digest

    (tmp_path / "page.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    (tmp_path / "base.html").write_text("<main>{% block content %}{% endblock %}</main>", encoding="utf-8")
    (tmp_path / "other.html").write_text("x", encoding="utf-8")
    first = template_digest(tmp_path, ["page.html"])
    (tmp_path / "other.html").write_text("y", encoding="utf-8")  # used by no page
    assert template_digest(tmp_path, ["page.html"]) == first
    (tmp_path / "base.html").write_text("<main>{% block content %}{% endblock %}</main>\n", encoding="utf-8")
    second = template_digest(tmp_path, ["page.html"])
    assert second != first  # reached through extends
    (tmp_path / "page.html").write_text('{% extends "base.html" %}{% include part %}', encoding="utf-8")
    third = template_digest(tmp_path, ["page.html"])
    (tmp_path / "other.html").write_text("z", encoding="utf-8")
    assert template_digest(tmp_path, ["page.html"]) != third


def test_a_failed_update_puts_back_a_file_that_stood_where_a_page_folder_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undoing an update that had to make a folder where a file stood puts the file back."""
    from site_builder import pipeline
    from site_builder.search import SearchIndexError

    content, out = _built_with_a_file_where_a_page_folder_goes(tmp_path)
    before, dirs = tree_bytes(out), folders(out)
    edit_policy_body(content, TEMPLATE_DIR)

    def failing_index(*args: object, **kwargs: object) -> object:
        raise SearchIndexError("Pagefind 失败")

    monkeypatch.setattr(pipeline, "index_site", failing_index)
    with pytest.raises(SearchIndexError):
        run(content, out, TEMPLATE_DIR)
    assert tree_bytes(out) == before
    assert folders(out) == dirs
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "content", "output"]
