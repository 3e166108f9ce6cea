"""The translation catalogues: they compile, pass msgfmt --check, and complete languages miss nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from assist.i18n.catalogues import (
    catalogue, extract_messages, languages, missing_messages, template_ids, translated,
)
from assist.paths import translations_dir
from support import needed_tool

SHIPPED = ["cy", "pl", "ar", "ur", "bn", "pa"]
PLACEHOLDER = re.compile(r"%%|%\(\w+\)s|\{\w+\}")


@pytest.fixture(scope="module")
def sources():
    return extract_messages()


def test_every_shipped_language_has_a_catalogue():
    assert set(SHIPPED) <= set(languages())


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_passes_msgfmt_check(language, tmp_path):
    msgfmt = needed_tool("msgfmt", "gettext")
    po = translations_dir() / language / "LC_MESSAGES" / "messages.po"
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", str(tmp_path / "messages.mo"), str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_compiles_with_babel(language, tmp_path):
    with open(tmp_path / "messages.mo", "wb") as fileobj:
        write_mo(fileobj, catalogue(language))
    assert (tmp_path / "messages.mo").stat().st_size > 1000


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_every_placeholder(language):
    for message in catalogue(language):
        if message.id and message.string:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            for string in strings:
                assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(string)), msgid


@pytest.mark.parametrize("language", SHIPPED)
def test_form_text_keeps_its_paragraphs(language):
    for msgid, string in translated(language).items():
        assert msgid.count("\n\n") == string.count("\n\n"), msgid[:60]


def test_the_template_is_up_to_date_with_code_templates_and_forms(sources):
    """`make translations` has been run since the last change to interface text or a form."""
    missing = sorted(set(sources) - template_ids())
    assert not missing, f"run `make translations`: messages.pot lacks {missing[:5]}"


@pytest.mark.parametrize("language", SHIPPED)
def test_what_residents_and_helpers_see_is_complete_in_every_shipped_language(language, sources):
    interface = [s.id for s in sources.values() if not s.from_forms and not s.staff_only]
    missing = missing_messages(language, interface)
    assert missing == [], [f"{sources[m].locations[0]}: {m[:50]!r}" for m in missing[:5]]


def test_staff_only_messages_are_the_admin_and_reporting_ones(sources):
    staff = [s for s in sources.values() if s.staff_only]
    assert staff and all("admin" in s.locations[0] or "report" in s.locations[0] for s in staff)
    assert not sources["Continue"].staff_only and not sources["Sign in"].staff_only


def test_languages_marked_complete_miss_no_message_of_the_interface_or_any_form(config, sources):
    assert config.languages.complete, "config.toml marks no language complete"
    for language in config.languages.complete:
        missing = missing_messages(language, sources)
        where = [f"{sources[m].locations[0]}: {m[:50]!r}" for m in missing[:5]]
        assert not missing, f"{language} is marked complete but misses {len(missing)} messages: {where}"


def test_welsh_and_arabic_translate_every_demo_form(app, sources):
    from assist.i18n.extract import form_messages
    import tomllib

    for form in app.extensions["assist.forms"].values():
        texts = [text for _, text in form_messages(tomllib.loads(Path(form.source).read_text("utf-8")))]
        for language in ("cy", "ar"):
            assert missing_messages(language, texts) == [], (language, form.id)


def test_the_completeness_check_fails_when_a_message_is_missing(tmp_path, sources):
    """Marking a language complete means something: drop one translation and the check reports it."""
    shutil.copy(translations_dir() / "messages.pot", tmp_path / "messages.pot")
    (tmp_path / "cy" / "LC_MESSAGES").mkdir(parents=True)
    welsh = catalogue("cy")
    dropped = "Continue"
    welsh.get(dropped).string = ""
    with open(tmp_path / "cy" / "LC_MESSAGES" / "messages.po", "wb") as fileobj:
        write_po(fileobj, welsh)
    before = set(missing_messages("cy", sources))
    assert set(missing_messages("cy", sources, tmp_path)) - before == {dropped}
    # A fuzzy (unchecked) translation counts as missing too.
    welsh.get(dropped).string = "Parhau"
    welsh.get(dropped).flags.add("fuzzy")
    with open(tmp_path / "cy" / "LC_MESSAGES" / "messages.po", "wb") as fileobj:
        write_po(fileobj, welsh)
    assert set(missing_messages("cy", sources, tmp_path)) - before == {dropped}


def test_a_new_form_question_is_missing_until_translated(tmp_path):
    """A council adds a question: the extractor finds it, so complete languages fail until translated."""
    from assist.i18n.extract import extract_forms

    toml = b'id = "x"\ntitle = "New form"\n[[pages]]\nid = "p"\n[[pages.questions]]\nid = "q"\ntype = "text"\nlabel = "What is your favourite colour?"\n'
    import io

    messages = [m for _, _, m, _ in extract_forms(io.BytesIO(toml), [], [], {})]
    assert "What is your favourite colour?" in messages
    assert missing_messages("cy", messages) == sorted(["New form", "What is your favourite colour?"])


def test_english_needs_no_catalogue():
    assert missing_messages("en", ["Anything at all"]) == []


def test_welsh_uses_the_commissioners_wording_for_common_buttons():
    welsh = translated("cy")
    assert welsh["Continue"] == "Parhau"
    assert welsh["Back"] == "Yn ôl"
    assert welsh["Error:"] == "Gwall:"
    assert welsh["Change"] == "Newid"
    assert welsh["Start now"] == "Dechrau nawr"
