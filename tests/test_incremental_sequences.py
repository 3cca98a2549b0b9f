"""Incremental builds after a random run of edits equal a clean build, step after step.

`test_incremental.py` checks each kind of edit once, from a fresh build. Editors do not work
that way: they move a policy to another year, add one, fix a typo in a template, break a file and
mend it, and the site is rebuilt after each step from whatever the last build left (in the
preview, from caches it keeps in memory). Here each seed draws such a run of edits; after every
step the incremental output must be byte-identical to a clean build of the same sources into a
fresh folder with no cache. A failing seed is reproduced by its test id.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SAMPLE_CONTENT, replace_once, tree_bytes

from site_builder.cache import Stores
from site_builder.pipeline import TEMPLATE_DIR, Options, build
from site_builder.problems import ContentError

STEPS = 5
START = date(2026, 11, 29)
SEQ_BASE = 90000  # index-number serials the sample content does not use


@dataclass
class Tree:
    """A writable copy of the sample content and templates, and the date the site is built for."""

    content: Path
    templates: Path
    rng: random.Random
    today: date = START
    serial: int = SEQ_BASE
    done: list[str] = field(default_factory=list)

    def policies(self) -> list[Path]:
        """Policies in year folders that no other file names (so moving or deleting one leaves
        no dangling ``superseded_by`` or standard ``basis``)."""
        texts = {
            p: p.read_text(encoding="utf-8") for p in sorted(self.content.rglob("*")) if p.suffix in (".md", ".yaml")
        }
        return [
            path
            for path in sorted(self.content.glob("policies/20*/*.md"))
            if "draft: true" not in texts[path] and not any(path.stem in t for p, t in texts.items() if p != path)
        ]

    def pick(self, paths: list[Path]) -> Path:
        return paths[self.rng.randrange(len(paths))]

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


def _shift_years(text: str, years: int, serial: int) -> str:
    """The policy ``text`` with its dates ``years`` later and an index number of that year."""

    def later(match: re.Match[str]) -> str:
        return f"{match.group(1)}{int(match.group(2)) + years}{match.group(3)}"

    text = re.sub(r"^((?:date|written|published): )(\d{4})(-\d\d-\d\d)$", later, text, flags=re.MULTILINE)
    year = re.search(r"^date: (\d{4})", text, flags=re.MULTILINE)
    assert year is not None
    return re.sub(
        r"^(index_no: \w+/)\d{4}-\d{5}$", rf"\g<1>{year.group(1)}-{serial:05d}", text, count=1, flags=re.MULTILINE
    )


def append_paragraph(tree: Tree) -> None:
    path = tree.pick(tree.policies())
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n补充说明第 {tree.rng.randrange(1, 99)} 条：本文件由市民政局负责解释。\n")


def retitle(tree: Tree) -> None:
    replace_once(tree.pick(tree.policies()), "title: ", f"title: （第 {tree.rng.randrange(2, 9)} 次修订）")


def move_to_another_year(tree: Tree) -> None:
    """A policy dated wrongly: its dates, index number and folder change year (and so its search
    part, its catalog pages and its neighbours)."""
    path = tree.pick(tree.policies())
    year = int(path.parent.name)
    to = tree.rng.choice([y for y in range(2019, 2026) if y != year])
    text = path.read_text(encoding="utf-8")
    if "-02-29" in text:
        return
    target = path.parent.parent / str(to) / path.name
    target.parent.mkdir(exist_ok=True)
    target.write_text(_shift_years(text, to - year, tree.next_serial()), encoding="utf-8")
    path.unlink()


def add_policy(tree: Tree) -> None:
    source = tree.pick(tree.policies())
    serial = tree.next_serial()
    text = _shift_years(source.read_text(encoding="utf-8"), 0, serial)
    text = text.replace("title: ", f"title: （新增 {serial}）", 1)
    (source.parent / f"xinzeng-{serial}.md").write_text(text, encoding="utf-8")


def delete_policy(tree: Tree) -> None:
    tree.pick(tree.policies()).unlink()


def edit_page(tree: Tree) -> None:
    path = tree.pick(sorted((tree.content / "pages").glob("*.md")))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n本页内容于第 {tree.rng.randrange(1, 99)} 次更新。\n")


def raise_a_standard(tree: Tree) -> None:
    path = tree.pick(sorted((tree.content / "standards").glob("*.yaml")))
    text = path.read_text(encoding="utf-8")
    values = list(re.finditer(r"^(\s+default: )(\d+)$", text, flags=re.MULTILINE))
    if not values:
        return
    last = values[-1]
    raised = f"{last.group(1)}{int(last.group(2)) + tree.rng.randrange(1, 30)}"
    path.write_text(text[: last.start()] + raised + text[last.end() :], encoding="utf-8")


def change_a_household(tree: Tree) -> None:
    """One household leaves a roster, or its amount changes."""
    path = tree.pick(sorted((tree.content / "rosters").glob("*.csv")))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) <= 3:
        return
    row = tree.rng.randrange(1, len(lines))
    if tree.rng.random() < 0.5:
        del lines[row]
    else:
        cells = next(csv.reader([lines[row]]))
        cells[4] = str(Decimal(cells[4]) + 10)  # 保障金额: whole yuan or not (3140.5)
        written = io.StringIO()
        csv.writer(written, lineterminator="\n").writerow(cells)
        lines[row] = written.getvalue()
    path.write_text("".join(lines), encoding="utf-8")


TEMPLATE_EDITS = [
    ("policy.html", "发布日期：", "发布时间："),
    ("components/table.html", '<div class="table-wrap"', '<div class="table-wrap scroll"'),
    ("404.html", "返回首页", "回到首页"),
]


def edit_a_template(tree: Tree) -> None:
    """A template edit, or its undoing: a template back as it was gives the old pages again."""
    name, old, new = tree.rng.choice(TEMPLATE_EDITS)
    path = tree.templates / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1) if old in text else text.replace(new, old, 1), encoding="utf-8")


def edit_site_yaml(tree: Tree) -> None:
    path = tree.content / "site.yaml"
    text = path.read_text(encoding="utf-8")
    phone = re.search(r"phone: 0599-866123(\d\d)", text)
    assert phone is not None
    replace_once(path, phone.group(0), f"phone: 0599-866123{(int(phone.group(1)) + 1) % 100:02d}")


def touch_unchanged(tree: Tree) -> None:
    """Files saved again without a change: new times, same bytes."""
    for path in (tree.pick(tree.policies()), tree.content / "site.yaml", tree.templates / "base.html"):
        path.write_bytes(path.read_bytes())


def change_an_attachment(tree: Tree) -> None:
    """A replaced PDF: the policy that lists it shows its new size."""
    path = next(iter(sorted((tree.content / "files").rglob("*.pdf"))))
    path.write_bytes(path.read_bytes() + b"%" * tree.rng.randrange(1, 2000) + b"\n")


def days_pass(tree: Tree) -> None:
    """The site built on a later day: rosters enter and leave their public-notice period."""
    tree.today += timedelta(days=tree.rng.randrange(1, 20))


EDITS: list[Callable[[Tree], None]] = [
    append_paragraph,
    retitle,
    move_to_another_year,
    add_policy,
    delete_policy,
    edit_page,
    raise_a_standard,
    change_a_household,
    edit_a_template,
    edit_site_yaml,
    touch_unchanged,
    change_an_attachment,
    days_pass,
]


def _break_and_mend(tree: Tree, run: Callable[[], None], out: Path) -> None:
    """A policy saved with a bad date: the build stops and the site stays as it was. Then mended."""
    path = tree.pick(tree.policies())
    good = path.read_bytes()
    before = tree_bytes(out)
    path.write_text(
        re.sub(r"^date: .*$", "date: 2024-13-45", good.decode("utf-8"), count=1, flags=re.MULTILINE), encoding="utf-8"
    )
    with pytest.raises(ContentError):
        run()
    assert tree_bytes(out) == before, "a failed build changed the published site"
    path.write_bytes(good)


# (seed, the preview's way: caches kept in memory between builds, as `serve` keeps them). Run i
# of n makes the edits EDITS[i::n] in an order of its own and random ones after them: together
# the runs make every kind of edit at least once.
RUNS = [(0, False), (1, True), (2, False), (3, True)]


def _edits(rng: random.Random, run: int) -> list[Callable[[Tree], None]]:
    dealt = EDITS[run :: len(RUNS)]
    rng.shuffle(dealt)
    return dealt + [rng.choice(EDITS) for _ in range(STEPS - len(dealt))]


@pytest.mark.parametrize(
    ("seed", "kept_in_memory"), RUNS, ids=[f"seed{s}-{'serve' if k else 'build'}" for s, k in RUNS]
)
def test_a_run_of_edits_builds_what_a_clean_build_does_at_every_step(
    tmp_path: Path, seed: int, kept_in_memory: bool
) -> None:
    rng = random.Random(seed)
    edits = _edits(rng, RUNS.index((seed, kept_in_memory)))
    broken_at = rng.randrange(STEPS)  # each run also breaks a file once, and mends it
    tree = Tree(tmp_path / "site" / "content", tmp_path / "templates", rng)
    shutil.copytree(SAMPLE_CONTENT, tree.content)
    shutil.copytree(TEMPLATE_DIR, tree.templates)
    out = tmp_path / "site" / "output"
    stores = Stores(keep=True) if kept_in_memory else None

    def incremental() -> None:
        build(Options(tree.content, out, tree.today, jobs=2, template_dir=tree.templates), [].append, stores=stores)

    incremental()
    for step, edit in enumerate(edits):
        if step == broken_at:
            _break_and_mend(tree, incremental, out)
            tree.done.append("break_and_mend")
        edit(tree)
        tree.done.append(edit.__name__)
        incremental()

        clean_root = tmp_path / f"clean-{step}"
        shutil.copytree(tree.content, clean_root / "content")
        build(
            Options(clean_root / "content", clean_root / "output", tree.today, jobs=1, template_dir=tree.templates),
            [].append,
        )
        clean, built = tree_bytes(clean_root / "output"), tree_bytes(out)
        shutil.rmtree(clean_root)
        assert built.keys() == clean.keys(), tree.done
        assert [p for p in clean if built[p] != clean[p]] == [], tree.done
