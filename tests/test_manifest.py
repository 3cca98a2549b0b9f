"""output/manifest.json: every file with its size and SHA-256, sorted by path, written last."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from site_builder.manifest import build_manifest, write_manifest


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


def test_manifest_is_deterministic_and_ignores_an_older_manifest(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "社会救助.html").write_text("救助", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(b"x")
    assert write_manifest(tmp_path) == 2
    first = (tmp_path / "manifest.json").read_bytes()
    assert write_manifest(tmp_path) == 2
    assert (tmp_path / "manifest.json").read_bytes() == first
    assert [f["path"] for f in build_manifest(tmp_path)["files"]] == ["a.txt", "b/社会救助.html"]
    assert "社会救助" in first.decode("utf-8")  # paths as written, not \u escapes
