"""output/manifest.json: every file with its size and SHA-256, sorted by path, written last."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from site_builder.manifest import manifest_bytes


def test_manifest_lists_every_file_of_the_output(sample_output: Path) -> None:
    manifest = json.loads((sample_output / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    paths = [f["path"] for f in files]
    assert paths == sorted(paths)
    on_disk = sorted(p.relative_to(sample_output).as_posix() for p in sample_output.rglob("*") if p.is_file())
    assert paths == [p for p in on_disk if p != "manifest.json"]
    for record in files:
        data = (sample_output / record["path"]).read_bytes()
        assert record["size"] == len(data)
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    # written after the search index: the index files are in it
    assert any(p.startswith("pagefind/fragment/") for p in paths)
    assert "search/index.html" in paths and "feed.xml" in paths and "sitemap.xml" in paths


def test_manifest_is_sorted_by_path_whatever_the_order_and_leaves_out_an_older_manifest() -> None:
    files = {"b/社会救助.html": (6, "bb"), "manifest.json": (9, "mm"), "a.txt": (1, "aa")}
    first = manifest_bytes(files)
    assert manifest_bytes(dict(reversed(list(files.items())))) == first
    manifest = json.loads(first)
    assert [f["path"] for f in manifest["files"]] == ["a.txt", "b/社会救助.html"]
    assert manifest["files"][0] == {"path": "a.txt", "size": 1, "sha256": "aa"}
    assert "社会救助" in first.decode("utf-8")  # paths as written, not \u escapes
