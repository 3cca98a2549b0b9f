"""The benchmark's city-scale tree (benchmarks/gen_city.py), generated small: it must be valid
content that the builder accepts, the same for the same seed, and free of personal data."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TODAY, run_cli, tree_bytes

from site_builder.privacy.detect import scan_text
from site_builder.privacy.mask import is_masked

sys.path.insert(0, str(ROOT / "benchmarks"))
from city_text import BODY_MAX, BODY_MIN
from gen_city import CityOptions, generate

INDEX_NO = re.compile(r"^11379900005183427E/(\d{4})-\d{5}$")


def make(root: Path, seed: int = 1) -> Path:
    root.mkdir()
    generate(CityOptions(root, seed=seed, policies=60, households=1500))
    return root


@pytest.mark.slow
def test_tree_checks_clean_and_is_deterministic(tmp_path: Path) -> None:
    tree = make(tmp_path / "a")
    result = run_cli("check", "--content", str(tree), "--today", TODAY, "--strict")
    assert result.code == 0, result.err
    assert tree_bytes(tree) == tree_bytes(make(tmp_path / "b"))
    assert tree_bytes(tree) != tree_bytes(make(tmp_path / "c", seed=2))


def test_policies_follow_the_spec(tmp_path: Path) -> None:
    tree = make(tmp_path / "t")
    site = yaml.safe_load((tree / "site.yaml").read_text(encoding="utf-8"))
    assert len(site["districts"]) == 10
    seen = set()
    for path in sorted(tree.glob("policies/[0-9]*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        match = INDEX_NO.match(meta["index_no"])
        assert match and int(match[1]) == meta["date"].year == int(path.parent.name)
        assert meta["index_no"] not in seen
        seen.add(meta["index_no"])
        assert meta["category"] in site["categories"]
        assert set(meta.get("topics", [])) <= set(site["topics"])
        assert BODY_MIN <= len(body) <= BODY_MAX
    assert len(seen) == 60


def test_rosters_hold_only_masked_names_and_no_numbers(tmp_path: Path) -> None:
    tree = make(tmp_path / "t")
    households = 0
    for path in sorted(tree.glob("rosters/*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and list(rows[0]) == ["name", "street", "community", "persons", "amount", "category", "note"]
        assert all(is_masked(row["name"]) for row in rows)
        households += len(rows)
    assert households == 1500
    for path in tree.rglob("*"):
        if path.suffix in (".md", ".yaml", ".csv"):
            assert scan_text(path.read_text(encoding="utf-8")) == [], path
