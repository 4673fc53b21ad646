"""Every user-facing string has its English translation, and keeps its placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _source_messages() -> set[str]:
    found = set()
    for folder in ("emulation", "forms", "templates"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, METHODS, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with open(ROOT / "emulation/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle)


def test_every_source_string_is_translated_to_english():
    catalogue = _catalogue()
    missing = []
    for msgid in sorted(_source_messages()):
        entry = catalogue.get(msgid)
        text = entry.string if entry else None
        if isinstance(text, (list, tuple)):
            text = text[0]
        if not text:
            missing.append(msgid)
    assert missing == [], (
        f"{len(missing)} strings lack English (run `make messages`): {missing[:5]}"
    )


def test_translations_keep_their_placeholders():
    broken = []
    for entry in _catalogue():
        if not entry.id or not entry.string:
            continue
        source = entry.id[0] if isinstance(entry.id, tuple) else entry.id
        target = entry.string[0] if isinstance(entry.string, (list, tuple)) else entry.string
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
            broken.append(source)
    assert broken == []
