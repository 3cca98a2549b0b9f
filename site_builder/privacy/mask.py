"""Mask the names on a published roster (公示名单), SPEC 4 default style.

A roster names people in hardship; the notice needs only enough of a name for a neighbour to
recognise a household and object, so the default style keeps the surname and, for given names
of two or more characters, the last character: 张三 → 张*, 张三丰 → 张*丰, 司马光 → 司马*,
欧阳娜娜 → 欧阳*娜. Names written with a middle dot (transliterated names such as
买买提·艾力) keep their first character and the dots only.

:func:`mask_name` is idempotent, so re-importing an already-masked export changes nothing, and
the personal-data gate checks every published name with :func:`is_masked`.
"""

from __future__ import annotations

from typing import Final

__all__ = ["COMPOUND_SURNAMES", "MASK", "MIDDLE_DOT", "is_masked", "mask_name"]

MASK: Final = "*"
MIDDLE_DOT: Final = "·"

# The compound surnames of the 百家姓; others still in use; traditional forms, for exports that keep them.
_COMPOUND_SURNAMES_TEXT: Final = """
万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳
淳于 单于 太叔 申屠 公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空
亓官 司寇 仉督 子车 颛孙 端木 巫马 公西 漆雕 乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁
段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 南宫 第五

独孤 太史 东野 公输 公仪 公乘 公伯 贺兰 尔朱 完颜 达奚 纳兰 呼衍

萬俟 司馬 歐陽 諸葛 聞人 東方 赫連 尉遲 單于 公孫 軒轅 鍾離 長孫 閭丘 顓孫 澹臺
東郭 東門 西門 南宮 歸海
"""

COMPOUND_SURNAMES: Final = frozenset(_COMPOUND_SURNAMES_TEXT.split())
"""Two-character surnames that :func:`mask_name` keeps whole (e.g. 欧阳, 司马, 诸葛)."""

# Dots that export systems and input methods use in place of U+00B7 MIDDLE DOT.
_DOT_VARIANT_CHARS: Final = "•・．‧･∙⋅"
_DOT_VARIANTS: Final = str.maketrans(dict.fromkeys(_DOT_VARIANT_CHARS, MIDDLE_DOT))
_DOTS: Final = MIDDLE_DOT + _DOT_VARIANT_CHARS


def _normalise_dots(name: str) -> str:
    return name.translate(_DOT_VARIANTS)


def _is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block, extension A, extensions B+ and compat)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF
    )


def mask_name(name: str) -> str:
    """Mask a personal name for publication, keeping its length (after stripping whitespace).

    * Chinese names: keep the surname (the first character, or a compound surname from
      :data:`COMPOUND_SURNAMES` when the name is longer than two characters) and, when the
      given name has two or more characters, its last one; every other character becomes ``*``.
    * Names with a middle dot (``·``; ``•``, ``・``, ``．`` … are normalised to it): keep the
      first character and the dots: 买买提·艾力 → 买**·**.
    * Names that do not start with a CJK ideograph (Latin and others): keep the first character.
    * A one-character name becomes ``*``; an empty or blank name gives ``""``.

    The result is idempotent (``mask_name(mask_name(x)) == mask_name(x)``) and passes
    :func:`is_masked` whenever the name has any character other than dots.
    """
    text = _normalise_dots(name.strip())
    if len(text) <= 1:
        return MASK * len(text)
    if MIDDLE_DOT in text:
        masked = text[0] + "".join(ch if ch == MIDDLE_DOT else MASK for ch in text[1:])
        if MASK not in masked and text[0] != MIDDLE_DOT:
            # Only dots after the first character ("张·"): the first character is all there is.
            masked = MASK + masked[1:]
        return masked
    if not _is_cjk(text[0]) and text[0] != MASK:
        return text[0] + MASK * (len(text) - 1)
    surname_length = 2 if len(text) > 2 and text[:2] in COMPOUND_SURNAMES else 1
    surname, given = text[:surname_length], text[surname_length:]
    if len(given) >= 2:
        return surname + MASK * (len(given) - 1) + given[-1]
    return surname + MASK * len(given)


def is_masked(name: str) -> bool:
    """True if ``name`` may appear on a published roster (SPEC 4).

    The rule: at least one ``*`` and at most three characters other than ``*`` and the middle
    dot. Dots are not counted because they reveal only that the name is a transliteration,
    which the unmasked dot already shows for every such name; counting them would reject a
    correctly masked three-part name such as ``阿**·***·**``. Surrounding whitespace is ignored;
    an empty or blank name is not masked.
    """
    # Counted without building the dot-normalised name: the gate and the roster loader call this
    # for every household of a city (300,000 calls a build). Normalising dots maps one character
    # to one and never makes or removes a ``*``, so the counts are those of the normalised name.
    text = name.strip()
    stars = text.count(MASK)
    if not stars:
        return False
    revealed = len(text) - stars
    if revealed > 3:  # only then can the dots matter
        revealed -= sum(text.count(dot) for dot in _DOTS)
    return revealed <= 3
