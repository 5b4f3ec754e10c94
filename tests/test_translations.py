"""The Thai catalogue is complete: all UI strings translated, none fuzzy, same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
TH_PO = TRANSLATIONS / "th" / "LC_MESSAGES" / "messages.po"

# %(name)s, %(number)d, ... (named python-format placeholders; "%%" is a literal percent sign).
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]")


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _messages(catalog: Catalog) -> list[Message]:
    """Every message except the header entry (msgid "")."""
    return [message for message in catalog if message.id]


def _texts(value: str | tuple[str, ...]) -> tuple[str, ...]:
    """A message id or string as a tuple (plural forms are tuples)."""
    return value if isinstance(value, tuple) else (value,)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _percent_escapes(text: str) -> int:
    """How many literal "%%" a text holds once its placeholders are set aside."""
    return PLACEHOLDER.sub("", text).count("%%")


@pytest.fixture(scope="module")
def thai() -> Catalog:
    return _read(TH_PO)


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(POT)


def test_thai_catalogue_has_messages(thai: Catalog) -> None:
    assert _messages(thai), "the Thai catalogue holds no messages"


def test_header_is_thai_and_not_fuzzy(thai: Catalog) -> None:
    assert str(thai.locale) == "th"
    assert not thai.fuzzy
    assert thai.plural_forms == "nplurals=1; plural=0;"


def test_every_message_is_translated(thai: Catalog) -> None:
    untranslated = [
        message.id
        for message in _messages(thai)
        if not all(text.strip() for text in _texts(message.string))
    ]
    assert not untranslated, f"untranslated in th: {untranslated}"


def test_no_message_is_fuzzy(thai: Catalog) -> None:
    fuzzy = [message.id for message in _messages(thai) if message.fuzzy]
    assert not fuzzy, f"fuzzy in th: {fuzzy}"


def test_placeholders_match(thai: Catalog) -> None:
    mismatched = []
    for message in _messages(thai):
        wanted = set().union(*(_placeholders(text) for text in _texts(message.id)))
        for text in _texts(message.string):
            if _placeholders(text) != wanted:
                mismatched.append((message.id, text))
    assert not mismatched, f"placeholders differ: {mismatched}"


def test_literal_percent_signs_kept(thai: Catalog) -> None:
    mismatched = [
        (message.id, text)
        for message in _messages(thai)
        for text in _texts(message.string)
        if message.python_format
        and _percent_escapes(text) != _percent_escapes(_texts(message.id)[0])
    ]
    assert not mismatched, f'"%%" differs: {mismatched}'


def test_pot_and_thai_catalogue_have_the_same_msgids(thai: Catalog, template: Catalog) -> None:
    in_pot = {message.id for message in _messages(template)}
    in_thai = {message.id for message in _messages(thai)}
    assert in_pot - in_thai == set(), "in the .pot but not in th (run `make extract-messages`)"
    assert in_thai - in_pot == set(), "in th but no longer in the .pot (obsolete)"
