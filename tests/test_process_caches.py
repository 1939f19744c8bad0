"""Everything an app process remembers between requests, and why none of it can show one person's
data to another or differ between two app servers running the same release.

ITB Care runs as several identical processes (gunicorn workers, on one machine or several); the
only state they share is PostgreSQL. A process may still remember things it worked out, to save
time. `INVENTORY` lists each such memory in the project's code, and `test_every_memory_is_in_the_
inventory` finds them in the source (functools caches, module-level dicts written at run time,
`global`s, `gc.freeze`), so a new one cannot slip in unlisted. The rules every entry must keep:

1. Its key holds everything its value is made from, and nothing about who asked: the same key
   gives the same value for everybody, so a value is never one person's (tested below by serving
   two people in turn and looking inside every memory for the first one's data).
2. Its values come from the release's code and installed packages (templates, URL conf, models,
   tzdata, migrations on disk), never from the database: two app servers with the same release
   hold the same values whatever they served first (tested by serving two people in both orders),
   and a deploy starts new processes, so a memory never outlives the code it came from.

Django's own per-process memories follow the same rules (the cached template loader, the URL
resolver, translation catalogues, the static files manifest, ContentType ids); they are listed in
the README's "Running in production". Django's cache framework (`CACHES`) is not used at all
(`test_nothing_uses_djangos_cache`): the default in-process cache holds nothing.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from reminders.services import new_feed_link
from tests.factories import make_log, make_plan

ROOT = Path(__file__).resolve().parent.parent
NOT_APP_CODE = {".venv", "node_modules", "tests", "bench", "migrations", "staticfiles", "deploy"}

#: Every per-process memory in the project's code: where it is, what its key and values are.
INVENTORY: dict[str, str] = {
    "kit.urls._reverse": "URL by (name, args, script prefix, URL conf); bounded LRU; code only",
    "itbcare.views.code_migrations": "the newest migration of each app on disk (readyz); code only",
    "itbcare.wsgi:gc.freeze": "not a cache: objects loaded at start-up are left out of the collector",
    "accounts.forms.time_zone_choices": "tzdata's zones as grouped choices; never changed in place",
    "accounts.forms._all_zones": "tzdata's zone names (frozenset); installed package only",
    "screening.emergency_numbers._zone_countries": "tzdata's zone.tab: zone -> country; read-only",
    "itbcare.headers._site_csp": "the Content-Security-Policy built from settings; code only, no key",
    "kit.proxies._trusted": "TRUSTED_PROXIES parsed into networks, by the setting's value; settings only",
    "screening.emergency_numbers._country_names": "tzdata's iso3166.tab: code -> English name; read-only",
    "rehab.rows._select": "SQL of one UNION branch by (branch, database vendor); models only",
    "rehab.rows._converters": "Django's column converters by database vendor; models only",
    "rehab.rows._plan_sql": "SQL of the plan row by database vendor; models only",
    "kit.twins._TRANSLATED": "lazy text by (function, arguments, language); code only",
    "kit.twins._GROUPS": "unbound field group markup by everything it is made from; no typed text",
}

_MUTABLE_CALLS = {"dict", "OrderedDict", "defaultdict", "WeakValueDictionary", "WeakKeyDictionary", "list", "set"}
_MUTATORS = {"__setitem__", "setdefault", "update", "clear", "pop", "popitem", "append", "extend", "insert", "add"}


def _is_mutable_literal(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set):
        return True
    func = value.func if isinstance(value, ast.Call) else None
    return func is not None and getattr(func, "id", getattr(func, "attr", None)) in _MUTABLE_CALLS


def _module_containers(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and _is_mutable_literal(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and node.value is not None and _is_mutable_literal(node.value):
            if isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def _writes(scope: ast.AST, names: set[str], parents: dict, writers: dict[str, set[int]]) -> set[str]:
    """Which of `names` code in `scope` writes: `x[k] = v`, `x[k] += v`, `x.setdefault(...)` and
    the like, or `f(x)` where `f` (in `writers`) writes that argument."""
    written = set()
    for node in ast.walk(scope):
        if not (isinstance(node, ast.Name) and node.id in names):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Store | ast.Del):
            written.add(node.id)
        elif isinstance(parent, ast.Attribute) and parent.attr in _MUTATORS:
            written.add(node.id)
        elif isinstance(parent, ast.Call) and node in parent.args:
            if parent.args.index(node) in writers.get(getattr(parent.func, "id", ""), set()):
                written.add(node.id)
    return written


def find_process_state() -> set[str]:
    """Per-process memories in the app's source (not tests, migrations, bench or deploy)."""
    found = set()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if set(rel.parts) & NOT_APP_CODE:
            continue
        module = ".".join(rel.with_suffix("").parts)
        tree = ast.parse(path.read_text())
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)]
        # Functions that write one of their own parameters (`def remember(store, key): store[key] = ...`).
        writers: dict[str, set[int]] = {}
        for function in functions:
            if isinstance(function, ast.Lambda):
                continue
            params = [a.arg for a in function.args.args]
            written = _writes(function, set(params), parents, {})
            if written:
                writers[function.name] = {params.index(name) for name in written}
        containers = _module_containers(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                for decorator in node.decorator_list:
                    text = ast.unparse(decorator)
                    if ("cache" in text and "never_cache" not in text) or "memo" in text:
                        found.add(f"{module}.{node.name}")
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "gc.freeze":
                found.add(f"{module}:gc.freeze")
        for function in functions:
            for sub in ast.walk(function):
                if isinstance(sub, ast.Global):
                    found |= {f"{module}.{name}" for name in sub.names}
            found |= {f"{module}.{name}" for name in _writes(function, containers, parents, writers)}
    return found


def _resolve(dotted: str):
    module, _dot, name = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


# --- 0. The inventory is complete ----------------------------------------------------------------


def test_every_memory_is_in_the_inventory():
    unlisted = find_process_state() - INVENTORY.keys()
    assert not unlisted, (
        f"per-process state not in tests/test_process_caches.py's INVENTORY: {sorted(unlisted)}. "
        "Add it with its key and why it can't serve one person's data to another or go stale, and a test."
    )


def test_the_scanner_finds_each_kind_of_memory(tmp_path, monkeypatch):
    source = (
        "import functools, gc\n_SEEN = {}\n_LIST = []\n_CONSTANT = {'a': 1}\n_ONCE = None\n"
        "@functools.lru_cache\ndef a(x): return x\n"
        "def b(k): _SEEN[k] = 1\n"
        "def c(v): _LIST.append(v)\n"
        "def d(k): return _CONSTANT.get(k), _CONSTANT[k], k in _CONSTANT, dict(a=_CONSTANT), f(_CONSTANT)\n"
        "_STORE = {}\ndef keep(store, key): store.setdefault(key, 1)\ndef g(k): keep(_STORE, k)\n"
        "def e():\n    global _ONCE\n    _ONCE = 1\n"
        "gc.freeze()\n"
    )
    (tmp_path / "example.py").write_text(source)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert find_process_state() == {
        "example.a",
        "example._SEEN",
        "example._LIST",
        "example._ONCE",
        "example._STORE",
        "example:gc.freeze",
    }


def test_nothing_uses_djangos_cache():
    """The default cache is per process (LocMemCache): fine while nothing uses it. Code that starts
    to must also set CACHE_URL to a shared cache in production (db:// or redis://)."""
    users = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if set(rel.parts) & NOT_APP_CODE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in ("django.core.cache", "django.core"):
                if node.module == "django.core.cache" or "cache" in {a.name for a in node.names}:
                    users.append(f"{rel}: from {node.module} import ...")
            if isinstance(node, ast.ImportFrom) and node.module == "django.views.decorators.cache":
                users += [f"{rel}: {a.name}" for a in node.names if a.name != "never_cache"]
            if isinstance(node, ast.Import) and any(a.name.startswith("django.core.cache") for a in node.names):
                users.append(f"{rel}: import django.core.cache")
    assert users == []


# --- 1. Two people served in turn: no memory holds the first one's data ----------------------------


@pytest.fixture
def two_people(alice, bob):
    """alice with an unusual time zone (an alias outside the list), an email, notes and a calendar
    link; bob with the plainest account."""
    today = timezone.localdate()
    alice.time_zone = "Asia/Calcutta"
    alice.email = "alice-private@example.org"
    alice.reminders_by_email = True
    alice.reminder_email = "alice-private@example.org"
    alice.save()
    plan = make_plan(alice, start_date=today - timedelta(days=3))
    make_log(plan, today - timedelta(days=1), notes="alice-private-note-7731", pain_worst=6)
    feed_token = new_feed_link(user=alice)
    make_plan(bob, start_date=today - timedelta(days=3))
    secrets = ["alice-private-note-7731", "alice-private@example.org", "Asia/Calcutta", "Calcutta", feed_token]
    return alice, bob, secrets


def _pages(client, day) -> list[str]:
    yesterday = (day - timedelta(days=1)).isoformat()
    html = [client.get(url).content.decode() for url in (
        "/rehab/", f"/rehab/log/{yesterday}/", "/rehab/timeline/", "/accounts/settings/", "/reminders/",
    )]  # fmt: skip
    # A bound form with an error and typed text kept.
    html.append(client.post(f"/rehab/log/{yesterday}/", {"pain_worst": "11", "notes": client.typed}).content.decode())
    return html


def _serve(client_factory, people, order) -> dict[str, list[str]]:
    shown = {}
    day = timezone.localdate()
    for person in order:
        client = client_factory()
        client.force_login(person)
        client.typed = f"typed-by-{person.username}-5521"
        shown[person.username] = _pages(client, day)
    return shown


def _clear_memories() -> None:
    for dotted in INVENTORY:
        target = _resolve(dotted)
        if hasattr(target, "cache_clear"):
            target.cache_clear()
        elif isinstance(target, dict):
            target.clear()


def _memories() -> dict[str, str]:
    """What each inspectable memory holds now, as text."""
    held = {}
    for dotted in INVENTORY:
        target = _resolve(dotted)
        if isinstance(target, dict | list | set):
            held[dotted] = repr(target)
        elif hasattr(target, "cache_info") and not inspect.signature(target).parameters:
            held[dotted] = repr(target())
    return held


def test_a_person_never_sees_what_another_was_shown(client_factory, two_people):
    alice, bob, secrets = two_people
    _clear_memories()
    shown = _serve(client_factory, (alice, bob), (alice, bob))
    assert any("alice-private-note-7731" in page for page in shown["alice"])  # alice sees her own
    assert any("typed-by-alice-5521" in page for page in shown["alice"])
    for page in shown["bob"]:
        leaked = [s for s in [*secrets, "typed-by-alice-5521"] if s in page]
        assert not leaked, f"bob was shown alice's {leaked}"


def test_no_memory_holds_a_persons_data_after_serving_them(client_factory, two_people):
    alice, bob, secrets = two_people
    _clear_memories()
    _serve(client_factory, (alice, bob), (alice, bob))
    held = _memories()
    assert held, "nothing inspectable was found: the inventory's names no longer resolve"
    private = [s for s in secrets if "Calcutta" not in s]  # a zone name is public: tzdata lists it
    assert "Asia/Calcutta" not in held["accounts.forms.time_zone_choices"]  # but not in the shared list
    for dotted, text in held.items():
        leaked = [s for s in [*private, "typed-by-alice-5521", "typed-by-bob-5521"] if s in text]
        assert not leaked, f"{dotted} holds a person's data: {leaked}"


def test_what_a_process_remembers_does_not_depend_on_who_it_served_first(client_factory, two_people):
    """Two app servers of one release end up with the same memories whoever each served first,
    so neither can serve something stale or personal that the other would not."""
    alice, bob, _secrets = two_people
    _clear_memories()
    _serve(client_factory, (alice, bob), (alice, bob))
    first = _memories()
    _clear_memories()
    _serve(client_factory, (alice, bob), (bob, alice))
    second = _memories()
    for dotted in first.keys() | second.keys():
        if dotted.startswith("kit.twins._"):
            # Markup memories keep (choices, markup) pairs keyed by the choices' id, which differs
            # between runs: compare the markup they hold.
            continue
        assert first.get(dotted) == second.get(dotted), dotted


@pytest.fixture
def client_factory():
    from django.test import Client

    return lambda: Client()


# --- 2. Each memory, keyed by everything it is made from ----------------------------------------


def test_cached_urls_are_the_urls_reverse_gives_for_any_interleaving():
    from kit.urls import _reverse, cached_reverse

    _reverse.cache_clear()
    day = timezone.localdate()
    calls = [
        ("rehab:log", (day,)),
        ("rehab:log", (day - timedelta(days=1),)),
        ("rehab:exercise", ("clamshell",)),
        ("rehab:exercise_done", (day, "clamshell")),
        ("rehab:exercise_done", (day, "glute-bridge")),
        ("rehab:today", ()),
    ]
    for _round in range(3):
        for name, args in calls:
            assert cached_reverse(name, *args) == reverse(name, args=args or None)
    assert _reverse.cache_info().hits >= 2 * len(calls)


def test_cached_urls_are_keyed_by_the_script_prefix():
    from kit.urls import cached_reverse

    plain = cached_reverse("rehab:today")
    try:
        set_script_prefix("/itbcare/")
        assert cached_reverse("rehab:today") == "/itbcare" + plain
    finally:
        set_script_prefix("/")
    assert cached_reverse("rehab:today") == plain


def test_cached_urls_are_keyed_by_the_url_conf():
    from django.urls import set_urlconf

    from kit.urls import cached_reverse

    before = cached_reverse("rehab:today")
    try:
        set_urlconf("tests.urls_prefixed")  # a request's own URL conf, as a middleware may set it
        assert cached_reverse("rehab:today") == "/app" + before
    finally:
        set_urlconf(None)
    assert cached_reverse("rehab:today") == before


def test_sql_memories_are_keyed_by_nothing_a_request_brings():
    """`rehab.rows` keeps SQL text per branch and database vendor; the person's id is a parameter."""
    from django.db import connection

    found = [_resolve(d) for d in ("rehab.rows._select", "rehab.rows._converters", "rehab.rows._plan_sql")]
    found = [f for f in found if f is not None]
    if not found:
        pytest.skip("rehab.rows keeps no SQL memory any more")
    for function in found:
        assert set(inspect.signature(function).parameters) <= {"kind", "vendor"}, function.__name__
    plan_sql = _resolve("rehab.rows._plan_sql")
    if plan_sql is not None:
        sql = plan_sql(connection.vendor)[0]
        assert "%s" in sql
        plan_sql.cache_clear()
        assert plan_sql(connection.vendor)[0] == sql


def test_the_zone_lists_are_never_changed_by_a_form(alice):
    from accounts.forms import TimeZoneForm, _all_zones, time_zone_choices
    from screening.emergency_numbers import _zone_countries, country_for_zone

    before_choices, before_countries = repr(time_zone_choices()), dict(_zone_countries())
    alice.time_zone = "Asia/Calcutta"  # an alias: the form lists it for alice only
    form = TimeZoneForm(instance=alice)
    assert "Asia/Calcutta" in str(form["time_zone"])
    assert "Asia/Calcutta" not in str(TimeZoneForm(instance=type(alice)(time_zone="UTC"))["time_zone"])
    country_for_zone("Asia/Calcutta")
    assert repr(time_zone_choices()) == before_choices
    assert _zone_countries() == before_countries
    assert "Asia/Calcutta" in _all_zones()  # a real name, accepted, but not added to the shared list


def test_readyz_remembers_the_code_not_the_database(client, db):
    """The migrations on disk are read once per process; which are applied is asked every time, so
    a process never says ready from an old answer."""
    from django.db.migrations.recorder import MigrationRecorder

    from itbcare.views import code_migrations

    assert client.get("/readyz").status_code == 200
    app, name = sorted(code_migrations())[0]
    row = MigrationRecorder.Migration.objects.get(app=app, name=name)
    row.delete()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.content == b"1 migration(s) not applied\n"
    MigrationRecorder.Migration.objects.create(app=app, name=name)
    assert client.get("/readyz").status_code == 200
