"""The translation files (`locale/<lang>/LC_MESSAGES/django.po`): how they are made, and the checks
that keep every language complete (the build runs them: tests/test_translations.py).

    python -m kit.translations update   # makemessages for every language in LANGUAGES
    python -m kit.translations todo     # what is left: untranslated, fuzzy, broken placeholders
    python -m kit.translations check    # the same, exit 1 if anything is left (and a stale .po)

`make messages` and `make translations-todo` run the first two.

A .po file is kept as makemessages writes it (its own order: by source file), with file-only
locations so that moving a line does not change it. Nothing here depends on Django settings
except `update`/`stale_entries`, which run makemessages.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
DOMAIN = "django"
#: Folders makemessages does not read: tests, tools and built or installed files.
IGNORE = ("tests/*", "bench/*", "deploy/*", "node_modules/*", "staticfiles/*", "artifacts/*", "locale/*")
#: Where the clinical text lives (screening questions and results, plan rules, exercises): its
#: entries carry a translator comment saying it is a draft for a clinician to review.
CLINICAL_SOURCES = frozenset(
    {
        "screening/rules.py",  # the knee check's questions, "why we ask" and results
        "screening/versions.py",  # earlier versions of the same (old results still show them)
        "screening/flow.py",
        "screening/urgent_care.py",
        "templates/screening/result.html",
        "rehab/forms.py",  # the daily log's and progress check's questions and warning signs
        "rehab/guide.py",  # the plan's rules
        "rehab/explain.py",  # what the plan tells the person, and why
        "rehab/ladders.py",  # the graded-return sessions
        "rehab/catalogue.py",  # the exercises
        "templates/rehab/plan.html",
        "templates/rehab/check.html",
        "templates/rehab/today.html",
        "templates/rehab/exercise_detail.html",
    }
)
CLINICAL_NOTE = "CLINICAL DRAFT: to be reviewed by a clinician fluent in this language."

# %(name)s, %s, %d, %.1f ...; {name}; HTML tags with their attributes.
_PRINTF = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
_BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def languages() -> list[str]:
    """The translated languages: every language in LANGUAGES but the source language."""
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES if code != "en"]


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def placeholders(text: str) -> list[str]:
    """What a translation must keep, sorted: printf and brace placeholders and HTML tags."""
    found = [p for p in _PRINTF.findall(text) if p != "%%"] + _BRACES.findall(text) + _TAG.findall(text)
    return sorted(found)


@dataclass(frozen=True)
class Problem:
    msgid: str
    what: str

    def __str__(self) -> str:
        short = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        return f"{self.what}: {short!r}"


def _pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) for each form of an entry."""
    if entry.msgid_plural:
        forms = sorted(entry.msgstr_plural.items())
        return [(entry.msgid if index == 0 else entry.msgid_plural, text) for index, text in forms]
    return [(entry.msgid, entry.msgstr)]


def problems(po: polib.POFile) -> list[Problem]:
    """Every entry that would show English or break: untranslated, fuzzy, a plural form missing,
    or a translation that does not keep the source's placeholders and tags."""
    found = []
    nplurals = _nplurals(po)
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            found.append(Problem(entry.msgid, "fuzzy (Django shows the English)"))
            continue
        if entry.msgid_plural and len([t for t in entry.msgstr_plural.values() if t]) < nplurals:
            found.append(Problem(entry.msgid, "a plural form is missing"))
            continue
        if not all(text for _source, text in _pairs(entry)):
            found.append(Problem(entry.msgid, "untranslated"))
            continue
        for source, text in _pairs(entry):
            if placeholders(source) != placeholders(text):
                missing = sorted(set(placeholders(source)) ^ set(placeholders(text))) or placeholders(source)
                found.append(Problem(entry.msgid, f"placeholders differ ({', '.join(missing)})"))
                break
    return found


def _nplurals(po: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def keys(po: polib.POFile) -> set[tuple[str, str, str]]:
    """What makemessages decides: the (context, msgid, plural) of every live entry."""
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}


def makemessages(locale_dir: Path, language_codes: list[str], root: Path = ROOT) -> None:
    """Run makemessages as the project does on the code under `root`, writing into `locale_dir`
    (merging what is there). makemessages writes to the `locale` folder of the tree it reads."""
    import os

    from django.core.management import call_command
    from django.test.utils import override_settings

    cwd = os.getcwd()
    os.chdir(root)
    try:
        with override_settings(LOCALE_PATHS=[locale_dir]):
            call_command(
                "makemessages",
                locale=language_codes,
                domain=DOMAIN,
                ignore_patterns=list(IGNORE),
                add_location="file",
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)


def stale_entries(language: str, locale_dir: Path = LOCALE_DIR) -> tuple[set, set]:
    """(new, gone): entries makemessages would add to or remove from the committed file. It runs
    on a copy of the code, so the working tree is never touched."""
    import shutil

    committed = po_path(language, locale_dir)
    skip = shutil.ignore_patterns(".*", "__pycache__", *(pattern.removesuffix("/*") for pattern in IGNORE))
    with tempfile.TemporaryDirectory() as tmp:
        copy_root = Path(tmp)
        for item in ROOT.iterdir():
            if item.is_dir() and not skip(str(ROOT), [item.name]) and not item.is_symlink():
                shutil.copytree(item, copy_root / item.name, ignore=skip)
        copy = po_path(language, copy_root / "locale")
        copy.parent.mkdir(parents=True)
        copy.write_bytes(committed.read_bytes())
        makemessages(copy_root / "locale", [language], root=copy_root)
        fresh = keys(polib.pofile(str(copy)))
    current = keys(polib.pofile(str(committed)))
    return fresh - current, current - fresh


def mark_clinical(po: polib.POFile) -> int:
    """Give entries from clinical sources the clinical-draft translator comment, and take it off
    entries that no longer come from one; returns how many entries changed."""
    changed = 0
    for entry in po:
        clinical = any(path in CLINICAL_SOURCES for path, _line in entry.occurrences)
        lines = [line for line in (entry.tcomment or "").splitlines() if not line.startswith("CLINICAL DRAFT")]
        if clinical:
            lines.append(CLINICAL_NOTE)
        # A translator comment ("# ..."): msgmerge keeps those, and drops extracted ones ("#.").
        comment = "\n".join(lines)
        if comment != (entry.tcomment or ""):
            entry.tcomment = comment
            changed += 1
    return changed


def _setup() -> None:
    import os

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # a throwaway SECRET_KEY
    django.setup()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "todo"
    _setup()
    if command == "update":
        makemessages(LOCALE_DIR, languages())
        for language in languages():
            po = polib.pofile(str(po_path(language)))
            if mark_clinical(po):
                po.save()
        makemessages(LOCALE_DIR, languages())  # again: the file as makemessages lays it out
    failed = False
    for language in languages():
        path = po_path(language)
        po = polib.pofile(str(path))
        found = problems(po)
        print(f"{path.relative_to(ROOT)}: {len(po)} entries, {po.percent_translated()}% translated, {len(found)} to do")
        for problem in found:
            print(f"  {problem}")
        if command == "check":
            new, gone = stale_entries(language)
            for entry in sorted(new):
                print(f"  not in the .po yet (run `make messages`): {entry[1][:70]!r}")
            for entry in sorted(gone):
                print(f"  in the .po but no longer in the code (run `make messages`): {entry[1][:70]!r}")
            failed |= bool(found or new or gone)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
