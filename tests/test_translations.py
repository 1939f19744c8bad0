"""The build keeps every language complete: the committed .po files are what makemessages makes
of the code, every entry is translated and not fuzzy, every translation keeps its placeholders,
and the compiled .mo files say what the .po files say. Then tests of the gate itself: a missing
translation, a dropped placeholder and a stale file are each caught.

`make messages` brings the .po files up to date; `make translations-todo` lists what is left."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from kit import translations

LANGUAGES = translations.languages()
needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")


def test_every_language_but_english_has_a_po_file():
    assert "es" in LANGUAGES and "en" not in LANGUAGES  # English is the source language
    assert {code for code, _name in settings.LANGUAGES} == {"en", *LANGUAGES}
    for language in LANGUAGES:
        assert translations.po_path(language).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_keeps_its_placeholders(language):
    po = polib.pofile(str(translations.po_path(language)))
    assert len(po) > 1000
    problems = translations.problems(po)
    assert not problems, "run `make translations-todo`:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_is_complete_and_not_fuzzy(language):
    po = polib.pofile(str(translations.po_path(language)))
    assert not po.metadata_is_fuzzy  # msgfmt would drop a fuzzy header, and the plural rule with it
    assert po.metadata["Language"] == language
    assert "nplurals=" in po.metadata["Plural-Forms"]


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_po_file_is_what_makemessages_makes_of_the_code(language):
    new, gone = translations.stale_entries(language)
    assert not new, f"strings without a {language} entry (run `make messages`): {sorted(new)[:5]}"
    assert not gone, f"entries no longer in the code (run `make messages`): {sorted(gone)[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_clinical_entries_are_marked_as_a_draft(language):
    po = polib.pofile(str(translations.po_path(language)))
    marked = {e.msgid for e in po if translations.CLINICAL_NOTE in (e.tcomment or "")}
    assert "Is one calf or thigh painful, swollen, warm or red?" in marked  # a screening question
    assert "Get emergency help now" in marked  # a result
    assert "Lie on your side with your elbow under your shoulder." in marked  # an exercise step
    assert "Save" not in marked


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_current(language):
    po = polib.pofile(str(translations.po_path(language)))
    mo_path = translations.po_path(language).with_suffix(".mo")
    assert mo_path.exists(), "run `make compilemessages`"
    mo = {(e.msgctxt or "", e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(mo_path))}
    for entry in po:
        if not entry.obsolete:
            stored = mo.get((entry.msgctxt or "", entry.msgid))
            assert stored is not None, f".mo is out of date (make compilemessages): {entry.msgid!r}"
            if not entry.msgid_plural:
                assert stored[0] == entry.msgstr, f".mo is out of date: {entry.msgid!r}"


def test_django_uses_the_translations():
    with translation.override("es"):
        assert translation.gettext("Get emergency help now") == "Busca ayuda de emergencia ahora"
        text = translation.ngettext("Logged %(days)s day in a row.", "Logged %(days)s days in a row.", 3)
        assert text % {"days": 3} == "Registrados 3 días seguidos."


# --- The gate itself ---------------------------------------------------------------------------

PO_HEADER = """\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"

"""


def _po(tmp_path: Path, body: str) -> polib.POFile:
    path = tmp_path / "django.po"
    path.write_text(PO_HEADER + textwrap.dedent(body), encoding="utf-8")
    return polib.pofile(str(path))


def _whats(po: polib.POFile) -> list[str]:
    return [problem.what for problem in translations.problems(po)]


def test_the_gate_passes_a_good_file(tmp_path):
    po = _po(
        tmp_path,
        """\
        #, python-format
        msgid "Call %(number)s"
        msgstr "Llama al %(number)s"

        #, python-format
        msgid "One day"
        msgid_plural "%(n)s days"
        msgstr[0] "Un día"
        msgstr[1] "%(n)s días"
        msgstr[2] "%(n)s días"

        msgid "A <strong>bold</strong> {word}"
        msgstr "Una {word} en <strong>negrita</strong>"
        """,
    )
    assert translations.problems(po) == []


def test_the_gate_catches_a_missing_translation(tmp_path):
    po = _po(tmp_path, 'msgid "Save"\nmsgstr ""\n')
    assert _whats(po) == ["untranslated"]


def test_the_gate_catches_a_missing_plural_form(tmp_path):
    po = _po(
        tmp_path,
        """\
        msgid "One day"
        msgid_plural "%(n)s days"
        msgstr[0] "Un día"
        msgstr[1] "%(n)s días"
        msgstr[2] ""
        """,
    )
    assert _whats(po) == ["a plural form is missing"]


def test_the_gate_catches_a_fuzzy_entry(tmp_path):
    po = _po(tmp_path, '#, fuzzy\nmsgid "Save"\nmsgstr "Guardar"\n')
    assert _whats(po) == ["fuzzy (Django shows the English)"]


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Call %(number)s", "Llama al número"),  # dropped
        ("Call %(number)s", "Llama al %(numero)s"),  # renamed
        ("Day %s of %s", "Día %s"),  # one positional dropped
        ("Up to {days} days", "Hasta {dias} días"),  # a brace placeholder renamed
        ('Call <a href="tel:%(n)s">%(n)s</a>', "Llama al %(n)s"),  # the link's tags dropped
    ],
)
def test_the_gate_catches_a_dropped_placeholder(tmp_path, msgid, msgstr):
    po = _po(tmp_path, "")
    po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    (what,) = _whats(po)
    assert what.startswith("placeholders differ")


def test_the_gate_catches_a_dropped_placeholder_in_a_plural_form(tmp_path):
    po = _po(
        tmp_path,
        """\
        msgid "One day"
        msgid_plural "%(n)s days"
        msgstr[0] "Un día"
        msgstr[1] "%(n)s días"
        msgstr[2] "Días"
        """,
    )
    assert _whats(po)[0].startswith("placeholders differ")


@needs_gettext
def test_the_gate_catches_a_stale_po_file(tmp_path):
    """A committed .po without one of the code's strings, and with one the code no longer has."""
    committed = polib.pofile(str(translations.po_path("es")))
    stale = polib.POFile()
    stale.metadata = dict(committed.metadata)
    kept = [e for e in committed if e.msgid != "Get emergency help now"]
    for entry in kept:
        stale.append(entry)
    stale.append(polib.POEntry(msgid="A string nobody uses any more", msgstr="Una cadena que ya nadie usa"))
    path = translations.po_path("es", tmp_path)
    path.parent.mkdir(parents=True)
    stale.save(str(path))
    new, gone = translations.stale_entries("es", tmp_path)
    assert ("", "Get emergency help now", "") in new
    assert gone == {("", "A string nobody uses any more", "")}


def test_placeholders_are_read_as_the_gate_means():
    assert translations.placeholders("%(a)s and %s, 10%% and {b} <em>c</em>") == sorted(
        ["%(a)s", "%s", "{b}", "<em>", "</em>"]
    )


def test_the_crawls_english_check_finds_english_and_allows_brand_names():
    from tests.browser.crawler import english_leftovers

    assert english_leftovers("Guardar el registro de hoy · ITB Care") == []
    assert english_leftovers("Save today's log") == ["Save", "today", "log"]
    assert english_leftovers("Programas de vuelta (NHS Couch to 5K)") == []
    assert english_leftovers("Tu plan: Rest first") == ["Rest"]
