"""How often the personal-data gate stops a harmless policy: its false-positive rate (issue 19).

Each text of ``tests/clean_texts/`` (real-style bureau texts full of landlines, hotlines,
amounts, 文号, 索引号, URLs of government CMS pages and charities' donation accounts, and no
personal data) becomes the body of one policy of a content tree, and ``build.py check`` of some
builder runs over it as a user would run it. A text is a false positive when the check reports a
personal-data finding (``个人信息：…``) in it. Any other problem means the harness is broken.

    .venv/bin/python benchmarks/false_positives.py                    # this checkout's builder
    .venv/bin/python benchmarks/false_positives.py --builder /tmp/old # e.g. a `git worktree` of an older commit

The builder is run with this interpreter, through its own ``build.py``: an older commit needs
only the packages of this venv.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "clean_texts"
TODAY = "2026-12-04"
USCC = "11379900005183427E"
SITE_YAML = """\
title: 示范市民政局政府信息公开
base_url: https://mzj.shifan.example.gov.cn/
language: zh-CN
publisher:
  name: 示范市民政局
  uscc: {uscc}
  site_id: "3799000099"
districts: [甲区, 乙区, 丙县]
categories: [政策文件, 社会救助, 部门计划及总结]
contact: {{address: 示范市人民路1号, phone: 0599-86600000, hours: 工作日}}
roster:
  hotline: 0599-86612345
pii:
  allow: [{allow}]
"""
_FINDING = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): 个人信息：(?P<what>.*)$")
_PROBLEM = re.compile(r"^[^\s:][^:]*:\d+: ")


@dataclass(frozen=True)
class Outcome:
    texts: int
    flagged: dict[str, list[str]]  # text file name → the findings reported in it
    other: list[str]  # problems that are not personal-data findings (must be none)

    @property
    def rate(self) -> float:
        return len(self.flagged) / self.texts if self.texts else 0.0


def write_tree(content: Path, texts: Path = TEXTS, allow: Sequence[str] = ()) -> dict[str, str]:
    """A content tree with one policy per text (``allow``: the site's ``pii.allow``); returns
    policy file name → text file name."""
    (content / "policies" / "2024").mkdir(parents=True)
    listed = ", ".join(f'"{number}"' for number in allow)
    (content / "site.yaml").write_text(SITE_YAML.format(uscc=USCC, allow=listed), encoding="utf-8")
    names: dict[str, str] = {}
    for number, text in enumerate(sorted(texts.glob("[0-9]*.md")), start=1):
        policy = f"p{number:03d}.md"
        front = (
            f"---\ntitle: 示范市民政局公开文件（样本{number}）\nindex_no: {USCC}/2024-{number:05d}\n"
            f"category: 政策文件\ndate: 2024-03-18\n---\n"
        )
        (content / "policies" / "2024" / policy).write_text(front + text.read_text(encoding="utf-8"), encoding="utf-8")
        names[policy] = text.name
    return names


def measure(builder: Path = ROOT, texts: Path = TEXTS) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="fp-") as tmp:
        content = Path(tmp) / "content"
        names = write_tree(content, texts)
        done = subprocess.run(
            [sys.executable, str(builder / "build.py"), "check", "--content", str(content), "--today", TODAY],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    flagged: dict[str, list[str]] = {}
    other: list[str] = []
    for line in done.stderr.splitlines():
        match = _FINDING.match(line)
        if match:
            name = names.get(Path(match["path"]).name, match["path"])
            flagged.setdefault(name, []).append(f"{match['line']}: {match['what']}")
        elif _PROBLEM.match(line):
            other.append(line)
    if done.returncode not in (0, 1) or (done.returncode == 1 and not flagged and not other):
        other.append(f"check ended with exit {done.returncode}: {done.stderr.strip()[-500:]}")
    return Outcome(len(names), flagged, other)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builder", type=Path, default=ROOT, help="a checkout of the builder (default: this one)")
    parser.add_argument("--texts", type=Path, default=TEXTS, help="the folder of harmless texts")
    args = parser.parse_args()
    outcome = measure(args.builder.resolve(), args.texts.resolve())
    for name, findings in sorted(outcome.flagged.items()):
        for finding in findings:
            print(f"  {name}:{finding}")
    for line in outcome.other:
        print(f"  not a finding: {line}")
    print(f"false positives: {len(outcome.flagged)} of {outcome.texts} texts ({outcome.rate:.1%})")
    return 1 if outcome.other else 0


if __name__ == "__main__":
    raise SystemExit(main())
