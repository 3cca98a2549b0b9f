"""Reading Pagefind 1.5's bundle files, and making its filter indexes byte-stable.

Pagefind 1.5.2 writes the values of each filter (and the list of filters in its ``pf_meta``
file) in the iteration order of a randomly seeded hash map, so two runs over identical pages
give differently named ``filter/*.pf_filter`` and ``pagefind.*.pf_meta`` files
(Pagefind issue #638: "other files will still change, such as the filter/metadata indexes";
later Pagefind sources sort them before encoding). `stabilize_filters` does that sort after the
fact: it re-encodes the filter files with values in byte order, the filter list by name, names
each file as Pagefind does (its SHA-1 rendering) and points ``pagefind-entry.json`` at the new
meta file. Everything else Pagefind writes is already deterministic.

The bundle files are ``gzip("pagefind_dcd" + payload)``; fragments hold JSON, the index, filter
and meta files CBOR (definite lengths, shortest integer heads). The small CBOR codec here covers
what Pagefind writes and refuses anything else; every file is checked to re-encode to the exact
bytes it was read from before anything is rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"
META_FILTERS = 3  # MetaIndex fields: version, pages, index_chunks, filters, sorts, meta_fields


class PagefindFormatError(Exception):
    """A bundle file is not what Pagefind 1.5 writes."""


class CborMap(list):  # type: ignore[type-arg]
    """A decoded CBOR map as its (key, value) pairs, in file order."""


def read_payload(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path.name}：不是 Pagefind 索引文件")
    return raw[len(SIGNATURE) :]


def write_payload(path: Path, payload: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0))


def read_fragment(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_payload(path))
    return data


def pagefind_hash(payload: bytes) -> str:
    """Pagefind's file-name hash: the SHA-1 bytes, each written as ``{:x}`` (no zero padding)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(payload).digest())


# --- CBOR (RFC 8949), the subset Pagefind writes ---------------------------------------------


def cbor_decode(data: bytes) -> Any:
    value, end = _decode(data, 0)
    if end != len(data):
        raise PagefindFormatError("CBOR 数据后有多余字节")
    return value


def _head(data: bytes, pos: int) -> tuple[int, int, int]:
    if pos >= len(data):
        raise PagefindFormatError("CBOR 数据不完整")
    first = data[pos]
    major, info = first >> 5, first & 0x1F
    pos += 1
    if info < 24:
        return major, info, pos
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise PagefindFormatError(f"不支持的 CBOR 长度编码 {info}")
    size = sizes[info]
    if pos + size > len(data):
        raise PagefindFormatError("CBOR 数据不完整")
    return major, int.from_bytes(data[pos : pos + size], "big"), pos + size


def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    major, arg, pos = _head(data, pos)
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        chunk = data[pos : pos + arg]
        if len(chunk) != arg:
            raise PagefindFormatError("CBOR 数据不完整")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = CborMap()
        for _ in range(arg):
            key, pos = _decode(data, pos)
            value, pos = _decode(data, pos)
            pairs.append((key, value))
        return pairs, pos
    if major == 7 and arg in (20, 21, 22):
        return {20: False, 21: True, 22: None}[arg], pos
    raise PagefindFormatError(f"不支持的 CBOR 类型 {major}/{arg}")


def cbor_encode(value: Any) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _put_head(major: int, arg: int, out: bytearray) -> None:
    if arg < 24:
        out.append(major << 5 | arg)
    elif arg < 1 << 8:
        out += bytes((major << 5 | 24, arg))
    elif arg < 1 << 16:
        out.append(major << 5 | 25)
        out += arg.to_bytes(2, "big")
    elif arg < 1 << 32:
        out.append(major << 5 | 26)
        out += arg.to_bytes(4, "big")
    else:
        out.append(major << 5 | 27)
        out += arg.to_bytes(8, "big")


def _encode(value: Any, out: bytearray) -> None:
    if value is False or value is True or value is None:
        out.append({False: 0xF4, True: 0xF5, None: 0xF6}[value])
    elif isinstance(value, int):
        _put_head(0, value, out) if value >= 0 else _put_head(1, -1 - value, out)
    elif isinstance(value, bytes):
        _put_head(2, len(value), out)
        out += value
    elif isinstance(value, str):
        encoded = value.encode("utf-8")
        _put_head(3, len(encoded), out)
        out += encoded
    elif isinstance(value, CborMap):
        _put_head(5, len(value), out)
        for key, item in value:
            _encode(key, out)
            _encode(item, out)
    elif isinstance(value, list):
        _put_head(4, len(value), out)
        for item in value:
            _encode(item, out)
    else:
        raise PagefindFormatError(f"无法编码 {type(value).__name__}")


def _decode_exact(path: Path) -> Any:
    payload = read_payload(path)
    value = cbor_decode(payload)
    if cbor_encode(value) != payload:
        raise PagefindFormatError(f"{path.name}：重新编码后与原文件不一致，Pagefind 格式可能已变化")
    return value


# --- making the filter indexes deterministic --------------------------------------------------


def _utf8(text: Any) -> bytes:
    if not isinstance(text, str):
        raise PagefindFormatError("筛选项名称或取值不是文本")
    return text.encode("utf-8")


def stabilize_filters(bundle: Path) -> None:
    """Rewrite ``bundle``'s filter and meta files in a fixed order (see the module docstring)."""
    entry_path = bundle / ENTRY_FILE
    entry_text = entry_path.read_text(encoding="utf-8")
    languages: dict[str, Any] = json.loads(entry_text)["languages"]
    for language, info in sorted(languages.items()):
        old_meta = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _decode_exact(old_meta)
        if not isinstance(meta, list) or len(meta) <= META_FILTERS:
            raise PagefindFormatError(f"{old_meta.name}：无法识别的元数据结构")
        # Decode everything first: nothing is rewritten unless every file is understood.
        decoded = []
        for item in meta[META_FILTERS]:
            name, old_hash = item
            path = bundle / "filter" / f"{old_hash}.pf_filter"
            index = _decode_exact(path)
            if not isinstance(index, list) or len(index) != 2 or index[0] != name:
                raise PagefindFormatError(f"{path.name}：无法识别的筛选索引结构")
            decoded.append((name, path, index))
        filters = []
        rewritten: dict[str, bytes] = {}
        for name, _, index in sorted(decoded, key=lambda d: _utf8(d[0])):
            index[1] = sorted(index[1], key=lambda value: _utf8(value[0]))
            payload = cbor_encode(index)
            full = f"{language}_{pagefind_hash(payload)}"
            short = full[: len(language) + 8]
            while short in rewritten and len(short) < len(full):  # Pagefind's own collision rule
                short = full[: len(short) + 1]
            rewritten[short] = payload
            filters.append([name, short])
        meta[META_FILTERS] = filters
        meta_payload = cbor_encode(meta)
        new_hash = f"{language}_{pagefind_hash(meta_payload)[: len(language) + 8]}"
        old_ref, new_ref = f'"hash":"{info["hash"]}"', f'"hash":"{new_hash}"'
        if entry_text.count(old_ref) != 1:
            raise PagefindFormatError(f"{ENTRY_FILE}：找不到语言 {language} 的元数据文件名")
        for _, path, _ in decoded:  # remove every old file before writing: a new name may equal an old one
            path.unlink()
        old_meta.unlink()
        for short, payload in rewritten.items():
            write_payload(bundle / "filter" / f"{short}.pf_filter", payload)
        write_payload(bundle / f"pagefind.{new_hash}.pf_meta", meta_payload)
        entry_text = entry_text.replace(old_ref, new_ref)
    entry_path.write_text(entry_text, encoding="utf-8")
