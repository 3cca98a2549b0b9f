"""``manifest.json``: every file of the built site with its size and SHA-256, sorted by path.

Written last, after the search index and the personal-data gate, so it describes exactly what is
published. Deploy scripts compare two manifests to upload only what changed (docs/deploy.md).
The file holds nothing that varies between two builds of the same content: no times, no paths
outside the site.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


def file_record(root: Path, path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": digest.hexdigest()}


def build_manifest(root: Path) -> dict[str, Any]:
    """The manifest of every file under ``root`` (except an earlier manifest), sorted by path."""
    records = [
        file_record(root, path)
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).as_posix() != MANIFEST_NAME
    ]
    records.sort(key=lambda record: record["path"])
    return {"version": MANIFEST_VERSION, "files": records}


def write_manifest(root: Path) -> int:
    """Write ``root/manifest.json``; returns the number of files it lists."""
    manifest = build_manifest(root)
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (root / MANIFEST_NAME).write_bytes(text.encode("utf-8"))
    return len(manifest["files"])
