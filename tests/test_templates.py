"""Every template under templates/ is one a production page renders, or the spec of a Python twin
(`*.spec.html`, the rule in `kit.twins`): no template lies around that only a test reads."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import views as auth_views

from kit import twins

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
#: A template's name in quotes, as `render`, `{% include %}`, `{% extends %}` or an attribute names
#: it (a partial's `#name` after it).
NAMED = re.compile(r"""["']([\w/.-]+\.(?:html|txt|js))(?:#[\w-]+)?["']""")


def _templates() -> list[str]:
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*") if path.is_file())


def _production_sources() -> list[Path]:
    """The app code (no tests, migrations or bench) and the templates a production page can render."""
    code = [
        path
        for path in ROOT.glob("*/**/*.py")
        if path.parts[len(ROOT.parts)] not in ("tests", "bench", ".venv", "node_modules")
        and "migrations" not in path.parts
    ]
    pages = [path for path in TEMPLATES.rglob("*") if path.is_file() and not path.name.endswith(".spec.html")]
    return code + pages


def _django_defaults() -> set[str]:
    """The templates Django's own auth views render by their default names."""
    names = set()
    for _name, view in inspect.getmembers(auth_views, inspect.isclass):
        for attr in ("template_name", "email_template_name", "subject_template_name"):
            value = getattr(view, attr, None)
            if isinstance(value, str):
                names.add(value)
    return names


def _named_in(sources: list[Path]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sources:
        for name in NAMED.findall(path.read_text()):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_template_is_rendered_in_production_or_is_a_spec():
    named = _named_in(_production_sources())
    defaults = _django_defaults()
    unused = [
        name for name in _templates() if not name.endswith(".spec.html") and name not in named and name not in defaults
    ]
    assert not unused, f"templates no production code or page names (rename a twin's spec *.spec.html): {unused}"


def test_no_production_page_renders_a_spec():
    named = _named_in(_production_sources())
    twins_file = str(Path(twins.__file__).relative_to(ROOT))
    for name in _templates():
        if name.endswith(".spec.html"):
            assert named.get(name, set()) <= {twins_file}, f"{name} is named outside its twin: {named[name]}"


def test_every_spec_is_named_by_its_twin():
    source = Path(twins.__file__).read_text()
    missing = [name for name in _templates() if name.endswith(".spec.html") and name not in source]
    assert not missing, f"specs no twin in kit/twins.py names: {missing}"


def test_what_the_renderer_writes_in_python_is_never_a_page_template():
    for name in twins._IN_PYTHON:
        if (TEMPLATES / name).exists():
            assert name.endswith(".spec.html"), name


def test_templates_ask_the_plans_status_and_phase_not_their_codes():
    """`state.status.is_paused`, not `state.status == "paused"` (`progression.Status`, `Phase`)."""
    literal = re.compile(r"""\b(status|phase)\s*(==|!=)\s*["']""")
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in literal.finditer(path.read_text())
    ]
    assert not found, found
