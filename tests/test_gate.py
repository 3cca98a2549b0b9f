"""The personal-data gate (SPEC 4): every rule stops the build with exit 1, names the file and
line, shows only a masked number, and leaves the previous output exactly as it was."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import SITE_YAML, TODAY, USCC, policy_md, run_cli, run_process, tree_bytes
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.identifiers import luhn_is_valid, resident_id_check_char
from site_builder.privacy import detect, gate
from site_builder.privacy.detect import scan_text
from site_builder.privacy.gate import check_output, scan_bytes

Content = Callable[..., Path]

ID_NUMBER = "11010119900307002X"  # valid GB 11643 check character
MOBILE = "13812345678"
CARD = next(f"622202123456789012{d}" for d in "0123456789" if luhn_is_valid(f"622202123456789012{d}"))
PAGE = "---\ntitle: 关于本站\n---\n本站由测试市民政局主办。\n\n咨询电话：0599-86600000。\n"
ROSTER_YAML = 'program: 城市低保\ndistrict: 甲区\nperiod: "2026-11"\nstage: 长期公示\npublish_from: 2026-11-10\n'
ROSTER_CSV = (
    "户主姓名,街道/乡镇,社区/村,保障人数,保障金额,备注\n张*丰,东街道,一社区,3,1500,\n李*,东街道,一社区,1,700,\n"
)


def good_files() -> dict[str, str]:
    return {
        "policies/a.md": policy_md("第一段。\n\n第二段。\n"),
        "pages/about.md": PAGE,
        "rosters/r.yaml": ROSTER_YAML,
        "rosters/r.csv": ROSTER_CSV,
    }


def build_twice(content_dir: Path, bad: dict[str, str | bytes], site_yaml: str | None = None) -> tuple[list[str], int]:
    """Build good content, then the same with ``bad`` changes: the second build's problem lines
    and exit status, after checking it left the first build's output untouched."""
    out = content_dir.parent / "output"
    first = run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", TODAY)
    assert first.code == 0, first.err
    before = tree_bytes(out)
    for rel, data in bad.items():
        path = content_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data) if isinstance(data, bytes) else path.write_text(data, encoding="utf-8")
    if site_yaml is not None:
        (content_dir / "site.yaml").write_text(site_yaml, encoding="utf-8")
    second = run_cli("build", "--content", str(content_dir), "--out", str(out), "--today", TODAY)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name != ".cache") == [
        "content",
        "output",
    ]  # no staging left
    assert "Traceback" not in second.err
    return second.lines, second.code


def test_resident_id_in_a_policy_body(content: Content) -> None:
    root = content(good_files())
    lines, code = build_twice(root, {"policies/a.md": policy_md(f"第一段。\n\n申请人身份证号：{ID_NUMBER}。\n")})
    assert code == 1
    assert lines[0] == "content/policies/a.md:10: 个人信息：发现身份证号码 110101********002X，不能发布（第 9 列）"
    assert ID_NUMBER not in "\n".join(lines)


def test_mobile_in_front_matter(content: Content) -> None:
    root = content(good_files())
    lines, code = build_twice(root, {"policies/a.md": policy_md(summary=f"联系人：王科长 {MOBILE}")})
    assert code == 1
    assert lines[0].startswith("content/policies/a.md:7: 个人信息：发现手机号码 138****5678，不能发布")
    assert "pii.allow" in lines[0]


def test_bank_card_in_a_page(content: Content) -> None:
    root = content(good_files())
    lines, code = build_twice(
        root, {"pages/about.md": PAGE + f"\n捐款账号：{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}\n"}
    )
    assert code == 1
    assert (
        lines[0] == f"content/pages/about.md:8: 个人信息：发现银行卡号 6222{'*' * 11}{CARD[-4:]}，不能发布（第 6 列）"
    )


def test_unmasked_roster_name(content: Content) -> None:
    root = content(good_files())
    lines, code = build_twice(root, {"rosters/r.csv": ROSTER_CSV.replace("李*", "李四")})
    assert code == 1
    assert lines[0].startswith("content/rosters/r.csv:3: 个人信息：户主姓名未遮蔽，应写作 “李*”")
    # again, from the cache of the checks: the same refusal
    again = run_cli("build", "--content", str(root), "--out", str(root.parent / "output"), "--today", TODAY)
    assert again.code == 1 and again.lines == lines


def test_personal_number_in_a_roster_csv_and_an_expired_roster(content: Content) -> None:
    root = content(good_files())
    old = ROSTER_YAML.replace('"2026-11"', '"2026-09"').replace("2026-11-10", "2026-09-10")
    csv = ROSTER_CSV.replace("1500,\n", f"1500,电话{MOBILE}\n")
    lines, code = build_twice(root, {"rosters/old.yaml": old, "rosters/old.csv": csv})
    assert code == 1
    assert lines[0].startswith("content/rosters/old.csv:2: 个人信息：发现手机号码 138****5678")


def test_standards_yaml_is_checked(content: Content) -> None:
    root = content(good_files())
    out = root.parent / "output"
    (root / "standards").mkdir()
    (root / "standards/x.yaml").write_text(f"name: 测试\n# 经办人 {MOBILE}\n", encoding="utf-8")
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 1
    assert any(
        line.startswith("content/standards/x.yaml:2: 个人信息：发现手机号码 138****5678") for line in result.lines
    )
    assert not out.exists()


@pytest.mark.slow
def test_finding_only_in_the_output(content: Content) -> None:
    """A mobile in site.yaml's contact reaches every page through the footer template."""
    root = content(good_files())
    bad_yaml = SITE_YAML.replace("phone: 0599-86600000", f"phone: {MOBILE}")
    lines, code = build_twice(root, {}, site_yaml=bad_yaml)
    assert code == 1
    assert any(line.startswith("output/index.html:") and "发现手机号码 138****5678" in line for line in lines), lines
    assert any(line.startswith("output/rosters/r/index.html:") for line in lines)
    assert MOBILE not in "\n".join(lines)
    # check runs the same gate over the pages it renders in memory, and writes nothing
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 1 and any(line.startswith("output/index.html:") for line in result.lines)


def test_pages_rendered_in_parallel_are_checked_as_they_are_written(content: Content) -> None:
    """The render workers check each page they write (enough pages here for several workers)."""
    many = {f"policies/p{n}.md": policy_md(index_no=f"{USCC}/2024-{n + 100:05d}", doc_no=None) for n in range(70)}
    root = content(good_files() | many, site_yaml=SITE_YAML.replace("phone: 0599-86600000", f"phone: {MOBILE}"))
    out = root.parent / "output"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY, "--jobs", "2")
    assert result.code == 1, result.err
    shown = {line.split(":")[0] for line in result.lines if "发现手机号码 138****5678" in line}
    assert {f"output/policies/p{n}/index.html" for n in range(70)} <= shown
    assert not out.exists()


def test_out_folder_name_is_used_in_output_paths(content: Content) -> None:
    root = content(good_files(), site_yaml=SITE_YAML.replace("phone: 0599-86600000", f"phone: {MOBILE}"))
    result = run_cli("build", "--content", str(root), "--out", str(root.parent / "public"), "--today", TODAY)
    assert result.code == 1
    assert any(line.startswith("public/index.html:") for line in result.lines)
    assert not (root.parent / "public").exists()


def test_a_mobile_in_pii_allow_passes(content: Content) -> None:
    allowed = SITE_YAML.replace("allow: []", "allow: ['+86 138 1234 5678']").replace(
        "phone: 0599-86600000", f"phone: {MOBILE}"
    )
    files = good_files() | {"policies/a.md": policy_md(f"咨询电话：{MOBILE}。\n", summary=f"热线 {MOBILE}")}
    root = content(files, site_yaml=allowed)
    result = run_cli("build", "--content", str(root), "--out", str(root.parent / "output"), "--today", TODAY)
    assert result.code == 0, result.err
    # but an ID number is never allowed
    allowed = allowed.replace("allow: ['+86 138 1234 5678']", f"allow: ['+86 138 1234 5678', '{ID_NUMBER}']")
    root = content(files | {"pages/about.md": PAGE + ID_NUMBER + "\n"}, site_yaml=allowed)
    result = run_cli("build", "--content", str(root), "--out", str(root.parent / "output"), "--today", TODAY)
    assert result.code == 1


def test_the_publishers_uscc_and_index_numbers_pass(content: Content) -> None:
    root = content(good_files() | {"pages/about.md": PAGE + f"统一社会信用代码：{USCC}\n"})
    result = run_cli("check", "--content", str(root), "--today", TODAY)
    assert result.code == 0, result.err


def xlsx_with(text: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "备注"])
    book.active.append(["张三", text])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_attachments_are_checked(content: Content) -> None:
    body = "第一段。\n"
    policy = policy_md(body).replace(
        "date: 2024-03-18\n", "date: 2024-03-18\nattachments:\n  - {file: a.xlsx, title: 表}\n"
    )
    root = content(good_files() | {"policies/a.md": policy, "files/a.xlsx": xlsx_with("无")})
    lines, code = build_twice(root, {"files/a.xlsx": xlsx_with(f"身份证 {ID_NUMBER}")})
    assert code == 1
    assert lines[0].startswith("content/files/a.xlsx:")
    assert "发现身份证号码 110101********002X（xl/" in lines[0]


def test_search_index_files_are_decompressed(tmp_path: Path) -> None:
    root = tmp_path / "staged"
    (root / "pagefind/fragment").mkdir(parents=True)
    payload = b"pagefind_dcd" + f'{{"url":"/a/","content":"\\u7535\\u8bdd {MOBILE}"}}'.encode()
    (root / "pagefind/fragment/zh_1.pf_fragment").write_bytes(gzip.compress(payload))
    (root / "pagefind/wasm.unknown.pagefind").write_bytes(gzip.compress(b"pagefind_dcd\x00asm" + b"13812345678"))
    (root / "pagefind/fragment/zh_2.pf_fragment").write_bytes(gzip.compress(b'pagefind_dcd{"url":"/b/"}'))
    found = check_output(root, "output", frozenset())
    assert [(p.path, p.line) for p in found] == [("output/pagefind/fragment/zh_1.pf_fragment", 1)]
    assert "发现手机号码 138****5678" in found[0].message


def test_unmasked_names_in_rendered_roster_pages(tmp_path: Path) -> None:
    root = tmp_path / "staged"
    (root / "rosters/r").mkdir(parents=True)
    (root / "rosters/r/index.html").write_text(
        '<table>\n<tr><th scope="row" class="roster-name">张*丰</th></tr>\n'
        '<tr><th scope="row" class="roster-name">李四</th></tr>\n</table>\n',
        encoding="utf-8",
    )
    found = check_output(root, "output", frozenset())
    assert [str(p) for p in found] == ["output/rosters/r/index.html:3: 个人信息：户主姓名未遮蔽，应写作 “李*”"]


@pytest.mark.parametrize("name", ["a.pdf", "a.png", "a.woff2"])
def test_binary_files_are_skipped(name: str) -> None:
    assert list(scan_bytes(MOBILE.encode(), name, frozenset())) == []


def test_broken_office_file_is_reported() -> None:
    assert [line for line, _ in scan_bytes(b"PK-not-a-zip", "a.xlsx", frozenset())] == [1]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("word/document.xml", f"<w:t>{MOBILE}</w:t>")
    assert len(list(scan_bytes(stream.getvalue(), "a.docx", frozenset()))) == 1


def test_the_gate_passes_on_the_sample_site(sample_output: Path) -> None:
    from conftest import SAMPLE_CONTENT

    from site_builder.config import load_config
    from site_builder.privacy.gate import allow_list
    from site_builder.problems import Problems

    config = load_config(SAMPLE_CONTENT, Problems(SAMPLE_CONTENT.parent))
    assert config is not None
    assert check_output(sample_output, "output", allow_list(config)) == []
    assert (sample_output / "rosters/index.html").exists()


def test_gate_failure_as_users_see_it(content: Content) -> None:
    root = content(
        good_files() | {"pages/about.md": PAGE + f"身份证号 {ID_NUMBER[:6]}-{ID_NUMBER[6:14]}-{ID_NUMBER[14:]}\n"}
    )
    result = run_process(
        "build", "--content", str(root), "--out", str(root.parent / "output"), "--today", TODAY, cwd=root.parent
    )
    assert result.code == 1
    assert result.lines == [
        "content/pages/about.md:7: 个人信息：发现身份证号码 110101********002X，不能发布（第 6 列）",
        "失败：发现 1 个问题，未写入任何文件。",
    ]
    assert not (root.parent / "output").exists()


def test_resident_id_check_character_matters(content: Content) -> None:
    # a wrong check character (and, so that it is no bank card either, not Luhn-valid)
    wrong = next(ID_NUMBER[:17] + d for d in "0123456789" if not luhn_is_valid(ID_NUMBER[:17] + d))
    assert resident_id_check_char(ID_NUMBER[:17]) == ID_NUMBER[17]
    root = content(good_files() | {"pages/about.md": PAGE + f"编号 {wrong}\n"})
    assert run_cli("check", "--content", str(root), "--today", TODAY).code == 0


# --- the fast path over large outputs finds exactly what scan_text finds ----------------------

PIECES = st.sampled_from(
    [
        MOBILE,
        ID_NUMBER,
        CARD,
        "138 1234 5678",
        "110101-19900307-002X",
        "０５９９-８６６１２３４５",
        "１３８１２３４５６７８",
        "0599-86612345",
        "2026-11-29",
        "12345",
        "1.5",
        "\u200b",
        "\u00ad",
        "\u3000",
        " ",
        "-",
        "—",
        "\n",
        "\r\n",
        "X",
        "号",
        "<td>",
        "/2024-00001",
        USCC,
        "86",
        "+",
        "0.30000000000000004",
        "6",
        "1",
    ]
)


@settings(deadline=None, max_examples=300)
@given(st.lists(PIECES, max_size=30))
def test_scan_large_text_agrees_with_scan_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    allow = frozenset({"0599-86612345"})
    assert list(gate.scan_large_text(text, allow)) == scan_text(text, allow)


def test_the_fast_path_knows_every_invisible_character_of_the_detector() -> None:
    for ch in detect._INVISIBLE:
        assert gate._CANDIDATE.fullmatch(f"138{ch}12345678")
    assert not gate._CANDIDATE.search("13812\n345678")


def test_scan_large_text_over_many_lines() -> None:
    lines = [f"<tr><td>{n}</td><td>1,234</td></tr>" for n in range(5000)]
    lines[4321] = f"<td>电话 {MOBILE}</td>"
    lines[17] = f"<td>{ID_NUMBER}</td>"
    found = list(gate.scan_large_text("\n".join(lines), frozenset()))
    assert [(f.line, f.kind) for f in found] == [(18, detect.RESIDENT_ID), (4322, detect.MOBILE)]


# --- the byte prefilter in front of _CANDIDATE loses no line ----------------------------------


def test_every_digit_and_separator_becomes_zeros_and_nothing_else_does() -> None:
    number_chars = gate._DIGIT_CHARS + gate._SEPARATOR_CHARS
    assert all(gate._CANDIDATE.fullmatch(f"1{ch}" * 10 + "1") for ch in gate._SEPARATOR_CHARS)
    assert all(gate._CANDIDATE.fullmatch(ch * 11) for ch in gate._DIGIT_CHARS)
    for ch in number_chars:
        assert set(ch.encode("utf-8").translate(gate._NUMBER_BYTES)) == {ord("0")}
    number_bytes = {byte for ch in number_chars for byte in ch.encode("utf-8")}
    for byte in set(range(256)) - number_bytes:
        assert gate._NUMBER_BYTES[byte] == byte != ord("0")


LINE_PIECES = st.one_of(
    PIECES,
    st.builds(
        str.join, st.sampled_from(gate._SEPARATOR_CHARS), st.sampled_from(["13812345678", "１３８１２３４５６７８"])
    ),
    st.text(alphabet="0123456789０１２３４５６７８９，（）。、 \t\n-—\u200b\u3000\u2060\ufeff号a>", max_size=12),
    st.text(max_size=6),
)


@settings(deadline=None, max_examples=300)
@given(st.lists(LINE_PIECES, max_size=30))
@pytest.mark.slow
def test_candidate_lines_are_the_lines_the_pattern_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    lines = text.split("\n")
    expected = [(n, line) for n, line in enumerate(lines) if gate._CANDIDATE.search(line)]
    assert list(gate._candidate_lines(text)) == expected


NAME_PIECES = st.sampled_from(
    [
        "<td",
        "<th",
        "<t",
        "<tr>",
        ' class="',
        'class="',
        "roster-name",
        "roster-names",
        " x-roster-name",
        '"',
        ">",
        "<",
        "</th>",
        " ",
        "\n",
        "张*",
        "李四",
        "&#26446;",
        "=",
        'scope="row"',
        "a",
    ]
)


@settings(deadline=None, max_examples=500)
@given(st.lists(NAME_PIECES, max_size=40))
@example(['<td class="a>b roster-name">', "李四", "<"])
@example(['<td class="<x roster-name">', "李四", "<"])
@example(['<th title=">" class="roster-name">', "李四", "<", '<th class="roster-name" x=">">', "张*", "<"])
@example(['<th class="roster-name"', "\n", 'class="roster-name">', "李四", "<"])
@pytest.mark.slow
def test_roster_names_are_the_matches_of_the_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [(m.span(), m.group(1)) for m in gate._ROSTER_NAME.finditer(text)]
    assert [(m.span(), m.group(1)) for m in gate._roster_names(text)] == expected


# --- and scan_large_text, which scans only windows around those matches, finds what scan_text does


WINDOW_PIECES = st.one_of(
    PIECES,
    st.sampled_from(["91350100M000100Y43", "ABCDEFGHJKLMNPQRST", ".", "/2024", "x", "11379900005183427E/2024-00001"]),
    st.text(alphabet="0123456789ABCXYZabx", min_size=1, max_size=40),
    st.text(alphabet="汉字，。 .-/", min_size=1, max_size=40),
)


@settings(deadline=None, max_examples=500)
@given(st.lists(WINDOW_PIECES, max_size=25), st.sampled_from([frozenset(), frozenset({USCC, "13812345678"})]))
@example(["9aaB9X1XA9X845bx8474Y", "91350100M000100Y43", ".", "１３８１２３４５６７８"], frozenset())
@pytest.mark.slow
def test_scan_large_text_sees_enough_around_each_number(pieces: list[str], allow: frozenset[str]) -> None:
    text = "".join(pieces)
    assert list(gate.scan_large_text(text, allow)) == scan_text(text, allow)


def test_a_window_reaches_far_enough() -> None:
    # "Y9135…Y43" is no token (a letter before it), so ".１３８…" is a decimal fraction; a window
    # starting one character later would see a whole organisation code there and report a mobile
    before = "9aaB9X1XA9X845bx8474Y91350100M000100Y43.１３８１２３４５６７８"
    # an all-digit USCC at the head of an index number is no ID: the window must reach the "/2024"
    after = "索引号 113799000051800197/2024-00001"
    for text in (before, after):
        assert list(gate.scan_large_text(text, frozenset())) == scan_text(text) == []
    assert gate._WINDOW_BEFORE >= 20 and gate._WINDOW_AFTER >= 23


@pytest.mark.slow
def test_personal_data_in_a_new_part_of_the_search_index_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part of the index is checked as soon as Pagefind has made it (its text is joined from
    many cells, so it can hold what no page did); a finding fails the build and publishes nothing."""
    import shutil
    from datetime import date

    from conftest import SAMPLE_CONTENT

    from site_builder import pipeline
    from site_builder.problems import ContentError

    content = tmp_path / "site" / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    real_index = pipeline.index_site

    def leaky_index(site_dir: Path, paths: object, binary: object = None, bundle: Path | None = None) -> object:
        report = real_index(site_dir, paths, binary, bundle)  # type: ignore[arg-type]
        assert bundle is not None
        payload = b"pagefind_dcd" + f'{{"url":"/a/","content":"\\u7535\\u8bdd {MOBILE}"}}'.encode()
        (bundle / "fragment" / "zh_leak.pf_fragment").write_bytes(gzip.compress(payload))
        return report

    monkeypatch.setattr(pipeline, "index_site", leaky_index)
    out = tmp_path / "site" / "output"
    options = pipeline.Options(content_dir=content, out_dir=out, today=date.fromisoformat(TODAY))
    with pytest.raises(ContentError) as failure:
        pipeline.build(options, lambda _: None)
    assert [p.path for p in failure.value.problems] == ["output/pagefind/fragment/zh_leak.pf_fragment"]
    assert not out.exists()


@pytest.mark.slow
def test_sensitive_words_in_roster_free_text_stop_the_build(content: Content) -> None:
    """Issue 19: words as well as numbers. The build stops, the previous output stays, and the
    log shows the row, the column and the category with only the first character of the word."""
    root = content(good_files())
    csv = ROSTER_CSV.replace("1500,\n", "1500,尿毒症透析\n").replace("700,\n", "700,刑满释放人员\n")
    lines, code = build_twice(root, {"rosters/r.csv": csv})
    assert code == 1
    assert lines[:2] == [
        "content/rosters/r.csv:2: 个人信息：备注含有健康状况（“尿**”），不能公布（第 6 列 备注）",
        "content/rosters/r.csv:3: 个人信息：备注含有违法犯罪或矫正情况（“刑*”），不能公布（第 6 列 备注）",
    ]
    assert "尿毒症" not in "\n".join(lines) and "刑满" not in "\n".join(lines)
    # again, from the cache of the checks: the same refusal
    again = run_cli("build", "--content", str(root), "--out", str(root.parent / "output"), "--today", TODAY)
    assert again.code == 1 and again.lines == lines


@pytest.mark.slow
def test_a_sensitive_word_allowed_in_site_yaml_is_published(content: Content) -> None:
    root = content(good_files())
    csv = ROSTER_CSV.replace("1500,\n", "1500,低收入家庭\n")
    site = SITE_YAML.replace("  allow: []\n", "  allow: []\n  allow_phrases: [低收入家庭]\n")
    lines, code = build_twice(root, {"rosters/r.csv": csv})
    assert code == 1 and lines[0].endswith("备注含有收入和财产（“收*”），不能公布（第 6 列 备注）")
    (root / "site.yaml").write_text(site, encoding="utf-8")
    result = run_cli("build", "--content", str(root), "--out", str(root.parent / "output"), "--today", TODAY)
    assert result.code == 0, result.err
