"""``build.py import-roster``: raw exports in, masked rosters out, and nothing personal left over."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SITE_YAML, TODAY, run_cli, soup

from site_builder.identifiers import luhn_is_valid, resident_id_check_char
from site_builder.privacy.importer import detect_encoding

Content = Callable[..., Path]


def resident_id(body: str) -> str:
    return body + resident_id_check_char(body)


def card(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_is_valid(body + d))


HEADER = [
    "序号",
    "户主姓名",
    "身份证号",
    "联系电话",
    "家庭住址",
    "街道/乡镇",
    "社区/村",
    "保障人数",
    "保障金额（元）",
    "类别",
    "备注",
    "银行卡号",
]
PEOPLE = [
    # name, ID, mobile, address, street, community, persons, amount, category, note, card
    (
        "张三丰",
        resident_id("11010119550307123"),
        "13812345678",
        "甲区东街道一社区3号楼2单元101室",
        "东街道",
        "一社区",
        3,
        "1,500.50元",
        "A类",
        "",
        card("622202123456789012"),
    ),
    (
        "欧阳娜娜",
        resident_id("37990119800101456"),
        "15998765432",
        "甲区东街道一社区7号楼1单元502室",
        "东街道",
        "一社区",
        "2人",
        "980",
        "B类",
        "续保",
        card("621700987654321098"),
    ),
    (
        "司马光",
        resident_id("37990219451212789"),
        "17700001111",
        "甲区西街道二社区幸福里12号",
        "西街道",
        "二社区",
        1,
        "￥620",
        "",
        "-",
        card("622848000011112222"),
    ),
    (
        "买买提·艾力",
        resident_id("65010219700615321"),
        "18655554444",
        "甲区西街道二社区团结路8号",
        "西街道",
        "二社区",
        4,
        "2,240",
        "A类",
        "",
        card("625807000022223333"),
    ),
    (
        "王五",
        resident_id("37990319911111000"),
        "13500009999",
        "甲区西街道三社区平安巷5号",
        "西街道",
        "三社区",
        2,
        "1200",
        "C类",
        "",
        card("622588111122223333"),
    ),
]
MASKED = ["张*丰", "欧阳*娜", "司马*", "买**·**", "王*"]


def raw_rows(people: list[tuple[Any, ...]] = PEOPLE) -> list[list[Any]]:
    return [[n, *person] for n, person in enumerate(people, 1)]


def write_csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]], title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([int(v) if isinstance(v, str) and v.isdigit() and len(v) < 6 else v for v in row])
    book.create_sheet("说明").append(["导出说明"])
    book.save(path)
    return path


def import_args(src: Path, *extra: str) -> list[str]:
    return [
        "import-roster",
        str(src),
        "--program",
        "城市低保",
        "--district",
        "甲区",
        "--period",
        "2026-11",
        "--publish-from",
        "2026-11-10",
        *extra,
    ]


def all_text(root: Path) -> str:
    """Every file under ``root`` as text, the gzip-compressed search index decompressed."""
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        parts.append(data.decode("utf-8", errors="ignore"))
    return "\n".join(parts)


def assert_nothing_personal(*roots: Path) -> None:
    for root in roots:
        text = all_text(root)
        for name, id_number, mobile, address, *_, bank_card in PEOPLE:
            for secret in (name, id_number, mobile, address, bank_card, id_number[6:14]):
                assert secret not in text, f"{secret!r} leaked into {root}"


@pytest.mark.parametrize("fmt", ["csv-utf8", "csv-utf8-bom", "csv-gbk", "xlsx"])
def test_import_keeps_only_published_fields_and_builds(content: Content, tmp_path: Path, fmt: str) -> None:
    root = content()
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    if fmt == "xlsx":
        src = write_xlsx(raw_dir / "export.xlsx", HEADER, raw_rows(), title="甲区城市低保对象花名册")
    else:
        encoding = {"csv-utf8": "utf-8", "csv-utf8-bom": "utf-8-sig", "csv-gbk": "gbk"}[fmt]
        src = write_csv(raw_dir / "export.csv", HEADER, raw_rows(), encoding)
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "已丢弃含个人信息的列（不会公布）：身份证号、联系电话、家庭住址、银行卡号" in result.err
    assert "已丢弃未识别的列：序号" in result.err
    assert "已导入 5 户、12 人" in result.err
    written = sorted(p.name for p in (root / "rosters").iterdir())
    assert written == ["2026-11-甲区-城市低保.csv", "2026-11-甲区-城市低保.yaml"]
    with (root / "rosters/2026-11-甲区-城市低保.csv").open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0] == ["户主姓名", "街道/乡镇", "社区/村", "保障人数", "保障金额", "类别", "备注"]
    assert [r[0] for r in table[1:]] == MASKED
    assert [r[3:5] for r in table[1:]] == [["3", "1500.5"], ["2", "980"], ["1", "620"], ["4", "2240"], ["2", "1200"]]
    assert table[3][6] == ""  # "-" in 备注 means nothing

    out = tmp_path / "output"
    result = run_cli("build", "--content", str(root), "--out", str(out), "--today", TODAY)
    assert result.code == 0, result.err
    page = soup(out / "rosters/2026-11-甲区-城市低保/index.html")
    assert [th.get_text(strip=True) for th in page.select("th.roster-name")] == MASKED
    assert_nothing_personal(root, out)
    assert not list(raw_dir.parent.glob("content/rosters/.*"))  # no temporary files left behind


def test_header_variants_are_mapped(content: Content, tmp_path: Path) -> None:
    root = content()
    header = [
        "编号",
        "姓名",
        "公民身份号码",
        "手机",
        "乡镇（街道）",
        "村（社区）",
        "家庭人口",
        "月保障金额(元)",
        "对象类别",
        "说明",
        "开户行",
        "家庭年收入",
    ]
    rows = [
        [
            1,
            "李四光",
            resident_id("11010119600101111"),
            "13600001234",
            "东街道",
            "一社区",
            2,
            800,
            "A类",
            "",
            "农商行",
            12000,
        ]
    ]
    src = write_csv(tmp_path / "e.csv", header, rows)
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "已丢弃含个人信息的列（不会公布）：公民身份号码、手机、开户行、家庭年收入" in result.err
    assert (root / "rosters/2026-11-甲区-城市低保.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "户主姓名,街道/乡镇,社区/村,保障人数,保障金额,类别,备注",
        "李*光,东街道,一社区,2,800,A类,",
    ]


def test_bad_rows_are_listed_with_their_row_and_nothing_is_written(content: Content, tmp_path: Path) -> None:
    root = content()
    people = [list(p) for p in PEOPLE]
    people[1][0] = ""  # row 3: no name
    people[2][6] = "三"  # row 4: persons not a number
    people[3][7] = "约两千"  # row 5: amount not a number
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert result.lines[:3] == [
        "raw.csv:3: 户主姓名 为空",
        "raw.csv:4: 保障人数 “三” 应为 1–99 的整数",
        "raw.csv:5: 保障金额 “约两千” 应为 0–999999.99 的数字（元，最多两位小数）",
    ]
    assert not (root / "rosters").exists() or not list((root / "rosters").iterdir())

    result = run_cli(*import_args(src, "--content", str(root), "--skip-bad"), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "已跳过 3 行有问题的数据（--skip-bad），其余 2 户已导入" in result.err
    assert "raw.csv:4: 保障人数 “三” 应为 1–99 的整数" in result.err
    lines = (root / "rosters/2026-11-甲区-城市低保.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["张*丰", "王*"]


def test_xlsx_rows_are_numbered_as_in_excel(content: Content, tmp_path: Path) -> None:
    root = content()
    people = [list(p) for p in PEOPLE]
    people[4][6] = "x"
    src = write_xlsx(tmp_path / "raw.xlsx", HEADER, raw_rows([tuple(p) for p in people]), title="花名册")
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0] == "raw.xlsx:7: 保障人数 “x” 应为 1–99 的整数"  # title row, header row, 5th person


def test_formula_looking_cells_are_never_written(content: Content, tmp_path: Path) -> None:
    root = content()
    people = [list(p) for p in PEOPLE]
    people[0][9] = '=HYPERLINK("http://example.com","点击")'
    people[1][4] = "+东街道"
    people[2][9] = "@SUM(A1)"
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert "raw.csv:2: 备注 以 “=” 开头，像电子表格公式，不能发布；请改为普通文字" in result.lines
    assert "raw.csv:3: 街道/乡镇 以 “+” 开头，像电子表格公式，不能发布；请改为普通文字" in result.lines
    result = run_cli(*import_args(src, "--content", str(root), "--skip-bad"), cwd=tmp_path)
    assert result.code == 0
    with (root / "rosters/2026-11-甲区-城市低保.csv").open(encoding="utf-8-sig", newline="") as stream:
        values = [cell for row in csv.reader(stream) for cell in row]
    assert values and not [v for v in values if v[:1] in ("=", "+", "-", "@")]


def test_personal_numbers_in_kept_fields_are_refused(content: Content, tmp_path: Path) -> None:
    people = [list(p) for p in PEOPLE]
    people[0][9] = "联系人电话13912345678"
    people[1][8] = f"卡{card('622202555566667777')}"
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    root = content()
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    bank_card = card("622202555566667777")
    assert result.lines[:2] == [
        "raw.csv:2: 备注中发现手机号码 139****5678：个人信息不能写入名单",
        f"raw.csv:3: 类别中发现银行卡号 6222{'*' * 11}{bank_card[-4:]}：个人信息不能写入名单",
    ]
    assert "13912345678" not in result.err and bank_card not in result.err
    # a public number listed in pii.allow is accepted
    allowed = SITE_YAML.replace("allow: []", "allow: ['13912345678']")
    people[1][8] = "B类"
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    root = content(site_yaml=allowed)
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 0, result.err


def test_an_id_number_in_a_number_column_is_not_shown_or_written(content: Content, tmp_path: Path) -> None:
    people = [list(p) for p in PEOPLE]
    people[0][7] = people[0][1]  # the ID in 保障金额
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    root = content()
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert "raw.csv:2: 保障金额中发现身份证号码" in result.err
    assert str(PEOPLE[0][1]) not in result.err


def test_refuses_to_overwrite_without_force(content: Content, tmp_path: Path) -> None:
    root = content()
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows())
    assert run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path).code == 0
    target = root / "rosters/2026-11-甲区-城市低保.csv"
    before = target.read_bytes()
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows(PEOPLE[:2]))
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 2 and "已存在" in result.err and "--force" in result.err
    assert target.read_bytes() == before
    result = run_cli(*import_args(src, "--content", str(root), "--force"), cwd=tmp_path)
    assert result.code == 0, result.err
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 3


def test_out_stage_title_and_slug_options(content: Content, tmp_path: Path) -> None:
    root = content()
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows())
    result = run_cli(
        *import_args(
            src,
            "--content",
            str(root),
            "--out",
            str(tmp_path / "elsewhere"),
            "--stage",
            "初审公示",
            "--publish-from",
            "2026-11-25",
        ),
        cwd=tmp_path,
    )
    assert result.code == 0, result.err
    yaml_text = (tmp_path / "elsewhere/2026-11-甲区-城市低保-初审.yaml").read_text(encoding="utf-8")
    assert 'title: "甲区2026年11月城市低保初审公示名单"' in yaml_text
    assert "stage: 初审公示" in yaml_text and "publish_from: 2026-11-25" in yaml_text
    result = run_cli(
        *import_args(src, "--content", str(root), "--slug", "dibao-2026-11", "--title", "测试名单"), cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert 'title: "测试名单"' in (root / "rosters/dibao-2026-11.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--period", "2026-13"], "--period “2026-13” 应为 YYYY-MM"),
        (["--district", "丁区"], "--district “丁区” 不在 site.yaml 的 districts 中"),
        (["--stage", "公示"], "--stage 只能是：初审公示、长期公示"),
        (["--slug", "A B"], "--slug “A B” 无效"),
    ],
)
def test_usage_errors_exit_2(content: Content, tmp_path: Path, change: list[str], message: str) -> None:
    root = content()
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows())
    args = import_args(src, "--content", str(root))
    flag = change[0]
    if flag in args:
        args[args.index(flag) + 1] = change[1]
    else:
        args += change
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.err
    assert not (root / "rosters").exists()


def test_missing_file_and_wrong_type_exit_2(content: Content, tmp_path: Path) -> None:
    root = content()
    assert run_cli(*import_args(tmp_path / "nope.csv", "--content", str(root))).code == 2
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_cli(*import_args(tmp_path / "old.xls", "--content", str(root)))
    assert result.code == 2 and ".xlsx" in result.err


def test_missing_columns_and_broken_files_exit_1(content: Content, tmp_path: Path) -> None:
    root = content()
    src = write_csv(tmp_path / "raw.csv", ["姓名", "人数", "金额"], [["张三", 1, 900]])
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0].startswith("raw.csv:1: 缺少必需的列：街道/乡镇、社区/村")
    src = write_csv(tmp_path / "raw.csv", ["序号", "金额"], [[1, 900]])
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1 and "找不到表头" in result.err
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    result = run_cli(*import_args(tmp_path / "broken.xlsx", "--content", str(root)), cwd=tmp_path)
    assert result.code == 1 and result.lines[0].startswith("broken.xlsx:1: 无法打开 Excel 文件")
    (tmp_path / "bad.csv").write_bytes("户主姓名,街道,社区,人数,金额\n".encode() + b"\xff\xfe\xfa,a,b,1,2\n")
    result = run_cli(*import_args(tmp_path / "bad.csv", "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert not (root / "rosters").exists() or not list((root / "rosters").iterdir())


def test_reimporting_a_masked_export_changes_nothing(content: Content, tmp_path: Path) -> None:
    root = content()
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows())
    assert run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path).code == 0
    first = (root / "rosters/2026-11-甲区-城市低保.csv").read_bytes()
    again = run_cli(
        *import_args(
            root / "rosters/2026-11-甲区-城市低保.csv", "--content", str(root), "--out", str(tmp_path / "again")
        ),
        cwd=tmp_path,
    )
    assert again.code == 0, again.err
    assert (tmp_path / "again/2026-11-甲区-城市低保.csv").read_bytes() == first


def test_encoding_detection(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes("户主姓名\n张*\n".encode("gbk"))
    (tmp_path / "b.csv").write_bytes("户主姓名\n张*\n".encode("utf-8-sig"))
    (tmp_path / "c.csv").write_bytes("户主姓名\n張*\n".encode("gb18030"))
    assert detect_encoding(tmp_path / "a.csv") == "gb18030"
    assert detect_encoding(tmp_path / "b.csv") == "utf-8-sig"
    assert detect_encoding(tmp_path / "c.csv") == "gb18030"


def test_the_sample_script_writes_no_raw_export_into_the_repository() -> None:
    from conftest import ROOT

    text = (ROOT / "scripts/make_sample_rosters.py").read_text(encoding="utf-8")
    assert "tempfile.TemporaryDirectory" in text
    assert all_text(ROOT / "content/rosters")  # the sample rosters exist …
    for path in (ROOT / "content/rosters").iterdir():  # … and hold only the published columns
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
            assert set(header) <= {
                "户主姓名",
                "街道/乡镇",
                "社区/村",
                "保障人数",
                "保障金额",
                "类别",
                "救助事由",
                "备注",
            }


def test_sensitive_free_text_never_reaches_content(content: Content, tmp_path: Path) -> None:
    """Issue 19: a 备注 naming an illness stops the import; with --skip-bad the cell is emptied,
    the rest of the row imported, and the report names the row and the column."""
    people = [list(p) for p in PEOPLE]
    people[1][9] = "尿毒症，长期透析"  # row 3
    people[3][9] = "刑满释放"  # row 5
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    root = content()
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert result.lines[:2] == [
        "raw.csv:3: 个人信息：备注含有健康状况（“尿**”），不能写入名单（第 11 列 备注）",
        "raw.csv:5: 个人信息：备注含有违法犯罪或矫正情况（“刑*”），不能写入名单（第 11 列 备注）",
    ]
    assert not (root / "rosters").exists() or not list((root / "rosters").iterdir())

    result = run_cli(*import_args(src, "--content", str(root), "--skip-bad"), cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.lines[:2] == [
        "raw.csv:3: 个人信息：备注含有健康状况（“尿**”），不能写入名单，已删去这一格（第 11 列 备注）",
        "raw.csv:5: 个人信息：备注含有违法犯罪或矫正情况（“刑*”），不能写入名单，已删去这一格（第 11 列 备注）",
    ]
    assert (
        "已删去 2 个含敏感个人信息的单元格（--skip-bad），这些行的其余内容已导入：第 3 行 备注、第 5 行 备注"
        in result.lines
    )
    assert "尿毒症" not in result.err + result.out and "刑满" not in result.err + result.out
    with (root / "rosters/2026-11-甲区-城市低保.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert [row[0] for row in rows[1:]] == MASKED  # every household imported
    assert [row[-1] for row in rows[1:]] == ["", "", "", "", ""]
    assert run_cli("check", "--content", str(root), "--today", TODAY).code == 0


def test_a_program_phrase_is_imported_into_a_roster_of_that_program(content: Content, tmp_path: Path) -> None:
    people = [list(p) for p in PEOPLE]
    people[0][8] = "重度残疾人护理补贴"  # 类别
    src = write_csv(tmp_path / "raw.csv", HEADER, raw_rows([tuple(p) for p in people]))
    root = content()
    result = run_cli(*import_args(src, "--content", str(root)), cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0] == "raw.csv:2: 个人信息：类别含有残疾状况（“残**”），不能写入名单（第 10 列 类别）"
    args = [a if a != "城市低保" else "残疾人两项补贴" for a in import_args(src, "--content", str(root))]
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 0, result.err
