"""``manifest.json``: every file of the built site with its size and SHA-256, sorted by path.

Written last, after the search index and the personal-data gate, so it describes exactly what is
published. Deploy scripts compare two manifests to upload only what changed (docs/deploy.md).
The file holds nothing that varies between two builds of the same content: no times, no paths
outside the site.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


FileHash = tuple[int, int, str]  # (size, mtime_ns, sha256) of one file, as it was hashed


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_bytes(files: Mapping[str, tuple[int, str]]) -> bytes:
    """The manifest of a site whose files are known without reading them: path → (size, sha256).

    An incremental build knows the hash of each file it wrote, and of each file it took over
    from the build before, so it need not read the whole site again."""
    records = [
        {"path": path, "size": size, "sha256": sha} for path, (size, sha) in files.items() if path != MANIFEST_NAME
    ]
    return _encode(_manifest(records))


def hash_folder(root: Path, folder: str, known: Mapping[str, FileHash]) -> dict[str, FileHash]:
    """(size, mtime_ns, sha256) of every file under ``root/folder``, by path relative to ``root``;
    a file whose size and modification time are those in ``known`` is not read again."""
    hashes: dict[str, FileHash] = {}
    base = root / folder
    for path in base.rglob("*"):
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            continue
        rel = path.relative_to(root).as_posix()
        old = known.get(rel)
        if old is not None and old[:2] == (st.st_size, st.st_mtime_ns):
            hashes[rel] = old
        else:
            hashes[rel] = (st.st_size, st.st_mtime_ns, sha256_file(path))
    return hashes


def _manifest(records: list[dict[str, Any]]) -> dict[str, Any]:
    records.sort(key=lambda record: record["path"])
    return {"version": MANIFEST_VERSION, "files": records}


def _encode(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
