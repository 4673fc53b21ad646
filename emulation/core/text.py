"""Vietnamese text: NFC normalisation, alphabetical order and accent-free search keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Vowel marks that make a separate letter (ă â ê ô ơ ư) versus tone marks.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Dictionary order of tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(text: str | None) -> str:
    """Trimmed NFC text; files and keyboards mix composed and decomposed Vietnamese."""
    return unicodedata.normalize("NFC", (text or "").strip())


def _split(char: str) -> tuple[str, int]:
    """A character as (letter without tone, tone rank)."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    base = "".join(c for c in decomposed if c not in _TONE_RANK)
    tone = max((_TONE_RANK[c] for c in decomposed if c in _TONE_RANK), default=0)
    return unicodedata.normalize("NFC", base), tone


# Words are runs of letters, numbers runs of digits; anything else only separates them.
_TOKENS = re.compile(r"\d+|[^\W\d_]+")


@lru_cache(maxsize=8192)
def sort_key(text: str) -> tuple:
    """Key for Vietnamese alphabetical order (a ă â b c d đ e ê …), tones as a tie-break
    (memoized: the same unit names are sorted again on every leaderboard).

    Names compare word by word, so a space ranks below every letter ("Xã Ka Lăng" before
    "Xã Kan Hồ"), and digit runs compare as numbers ("số 9" before "số 10")."""
    words, tones = [], []
    for token in _TOKENS.findall(nfc(text)):
        if token.isdigit():
            words.append((0, int(token), len(token)))
            continue
        letters = []
        for char in token:
            letter, tone = _split(char)
            letters.append(_LETTER_RANK.get(letter, 100 + ord(letter[0]) if letter else 0))
            tones.append(tone)
        words.append((1, tuple(letters)))
    return tuple(words), tuple(tones), text


def fold(text: str | None) -> str:
    """Lower-case, accent-free text for search: "Tân Phong" and "tan phong" meet here."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())
