"""The form templates the site renders most are written in Python (`kit.twins.SiteFormRenderer`,
issue 13) and must write exactly what their templates write: field by field for a form with every
kind of widget, bound and unbound, with awkward text; and page by page for the site's real forms,
valid and invalid, with the Python copies switched off and on."""

from __future__ import annotations

import difflib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django import forms
from django.utils import timezone

from accounts.forms import CompactSelect
from kit import forms as site_forms
from kit import twins
from tests.factories import make_check, make_log, make_plan

GROUPED = [("Hips", [("clam", "Clam <shell>"), ("bridge", "Bridge & hold")]), ("Calf", [("calf", 'Calf "raise"')])]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Name & <title>", help_text="Your <b>name</b>", max_length=5)
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": 30}))
    optional = forms.IntegerField(required=False, label="")
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "autofocus": True, "hidden": False}))
    agree = forms.BooleanField(help_text="Tick to agree")
    unsure = forms.BooleanField(required=False, label="Not sure")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Optional")
    many = forms.MultipleChoiceField(
        choices=[("a", "A <1>"), ("b", "B & 2")], widget=forms.CheckboxSelectMultiple, required=False
    )
    grouped = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple(attrs={"class": "x"}))
    one = forms.ChoiceField(choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect, help_text="Pick one")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    pick = forms.ChoiceField(choices=[("", "—"), ("a", "A & <b>"), *GROUPED], required=False, help_text="Or none")
    zone = forms.ChoiceField(choices=[("", "Pick"), *GROUPED], widget=CompactSelect(attrs={"data-x": ""}))
    level = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(4)], coerce=int, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the <whole> form")


BAD = {
    "text": 'toolong"<x>&',
    "number": "three",
    "email": "not an email",
    "password": 'p"w<',
    "when": "2026-13-40",
    "notes": 'line one\n<script>"two"</script>',
    "many": ["a", "zzz"],
    "grouped": ["bridge"],
    "one": "maybe",
    "secret": '"hidden"',
    "pick": "bridge",
    "zone": "nowhere",
    "level": "2",
}
GOOD = {**BAD, "text": "Ann", "number": "3", "email": "a@b.example", "when": "2026-12-01", "agree": "on", "one": "y"}


def slow(render):
    """`render()` with every Python copy switched off: the templates alone."""
    with mock.patch.dict(twins._IN_PYTHON, clear=True):
        return render()


@pytest.mark.parametrize("data", [None, BAD, GOOD], ids=["unbound", "invalid", "valid-fields"])
def test_every_field_group_matches_its_template(data):
    form = EveryWidget(data, initial={"unsure": True, "many": ["b"], "notes": "hello"}, auto_id="id_%s")
    if data is not None:
        form.is_valid()
    for bound in form:
        if bound.is_hidden:
            continue
        assert bound.as_field_group() == slow(bound.as_field_group), bound.name
    assert str(form) == slow(lambda: str(form))
    assert str(form["text"].errors) == slow(lambda: str(form["text"].errors))
    assert form.non_field_errors().as_ul() == slow(form.non_field_errors().as_ul)


def test_a_form_escapes_what_it_writes():
    form = EveryWidget(BAD)
    form.is_valid()
    html = str(form)
    assert "Name &amp; &lt;title&gt;" in html
    assert 'value="toolong&quot;&lt;x&gt;&amp;"' in html
    assert "&lt;script&gt;&quot;two&quot;&lt;/script&gt;</textarea>" in html
    assert 'aria-invalid="true"' in html


# --- The site's own pages, with and without the Python copies ----------------------------------

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|(hx-headers=\'\{"X-CSRFToken": ")[^"]+')


def _page(client, method, url, data):
    response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 200, (method, url, response.status_code)
    return CSRF.sub(lambda m: (m.group(1) or m.group(2)) + "…", response.content.decode())


def _same_both_ways(client, method, url, data=None):
    with mock.patch.dict(twins._GROUPS, clear=True):
        fast = _page(client, method, url, data)  # written, and remembered
        again = _page(client, method, url, data)  # the remembered markup, where a field is unbound
    assert again == fast, f"{method} {url}: the remembered markup differs"
    templates = slow(lambda: _page(client, method, url, data))
    diff = difflib.unified_diff(templates.split("\n"), fast.split("\n"), "templates", "python", lineterm="")
    assert fast == templates, f"{method} {url}:\n" + "\n".join(diff)
    return fast


def test_account_and_screening_forms_render_the_same(client, alice_client):
    for url in ("/accounts/signup/", "/accounts/login/", "/screening/"):
        _same_both_ways(client, "get", url)
    _same_both_ways(client, "post", "/accounts/signup/", {"username": "", "password1": "x", "password2": "y"})
    _same_both_ways(client, "post", "/screening/", {"age": "-4"})
    for url in ("/accounts/settings/", "/reminders/", "/accounts/password/change/", "/accounts/delete/"):
        _same_both_ways(alice_client, "get", url)
    _same_both_ways(alice_client, "post", "/accounts/settings/", {"time_zone": "Mars/Olympus"})


def test_plan_forms_render_the_same_in_every_phase(alice, alice_client):
    today = timezone.localdate()
    plan = make_plan(alice, start_date=today - timedelta(days=6))
    make_log(plan, today - timedelta(days=1), pain_worst=3, notes='sore <after> "stairs"')
    html = _same_both_ways(alice_client, "get", "/rehab/")
    assert 'id="today-log"' in html
    for url in (f"/rehab/log/{today - timedelta(days=1)}/", "/rehab/plan/settings/", "/rehab/share/"):
        _same_both_ways(alice_client, "get", url)
    _same_both_ways(alice_client, "post", f"/rehab/log/{today}/", {"pain_worst": "12", "notes": "x" * 3000})
    # the check, due and taken; then the return phase's session questions and build-back's rows
    plan.start_date = today - timedelta(days=13)
    plan.save()
    _same_both_ways(alice_client, "get", "/rehab/check/")
    _same_both_ways(alice_client, "post", "/rehab/check/", {"daily_pain": "11"})
    make_check(plan, today)
    plan.start_date = today - timedelta(days=40)
    plan.save()
    for url in ("/rehab/", f"/rehab/log/{today}/", "/rehab/target/"):
        _same_both_ways(alice_client, "get", url)
    _same_both_ways(alice_client, "post", "/rehab/target/", {"minutes": "-1"})


def test_esc_escapes_as_conditional_escape_does():
    from django.utils.functional import lazy
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    lazy_safe = lazy(lambda: mark_safe("<b>ok</b>"), str)()
    plain = ["a <b> & \"c\" 'd'", "&", "<", ">", '"', "'", "plain words", "", "pain_worst_3"]
    for value in [*plain, mark_safe("<i>x</i>"), gettext_lazy("Done"), lazy_safe, 3, 2.5, None]:
        assert twins.esc(value) == conditional_escape(value)


def test_lazy_texts_are_translated_for_the_active_language_each_time():
    from django.utils.translation import gettext_lazy, override

    word = gettext_lazy("Yes")
    with override("en"):
        assert twins.translated(word) == "Yes" == twins.translated(word)
    with (
        mock.patch("kit.twins.get_language", return_value="xx"),
        mock.patch.object(type(word), "__str__", return_value="Ja"),
    ):
        assert twins.translated(word) == "Ja"  # another language: translated again, not remembered
    with override("en"):
        assert twins.translated(word) == "Yes"


# --- Unbound field groups are remembered --------------------------------------------------------


@pytest.fixture
def fresh_groups():
    with mock.patch.dict(twins._GROUPS, clear=True):
        yield twins._GROUPS


def _written(bound):
    """The group written now, bypassing the memory."""
    return twins._write_field_group(bound).strip()


class SharedWidgets(forms.Form):
    """The site's choice fields (their choices shared between copies) beside plain inputs."""

    pain = site_forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(11)], coerce=int, widget=site_forms.PainScale, help_text="0 to 10"
    )
    pick = site_forms.ChoiceField(choices=[("", "—"), ("a", "A & <b>")], required=False, label="Pick <one>")
    many = site_forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=site_forms.CheckboxSelectMultiple, required=False
    )
    minutes = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agree = forms.BooleanField(required=False)


def test_an_unbound_group_comes_from_memory_and_matches_its_template(fresh_groups):
    initial = {"pain": 3, "many": ["b"], "minutes": 20, "agree": True}
    first = {b.name: b.as_field_group() for b in SharedWidgets(initial=initial)}
    assert len(fresh_groups) == len(first)
    with mock.patch.object(twins, "_write_field_group", side_effect=AssertionError("written again")):
        again = {b.name: b.as_field_group() for b in SharedWidgets(initial=initial)}
    assert again == first
    for bound in SharedWidgets(initial=initial):
        assert first[bound.name] == slow(bound.as_field_group) == _written(bound), bound.name


def test_choices_copied_with_every_form_are_not_remembered(fresh_groups):
    for bound in EveryWidget():  # Django's own choice fields: new choices with each form
        bound.as_field_group()
    names = {key[4] for key in fresh_groups}
    assert names and not names & {"many", "grouped", "one", "pick", "zone", "level"}


def test_what_changes_a_group_changes_the_remembered_one(fresh_groups):
    from django.utils.translation import override

    plain = EveryWidget()["text"].as_field_group()
    relabelled = EveryWidget()
    relabelled.fields["text"].label = "Other <label>"
    assert "Other &lt;label&gt;" in relabelled["text"].as_field_group()
    assert EveryWidget(initial={"text": "Bo"})["text"].as_field_group() != plain  # another value
    assert 'id="x_text"' in EveryWidget(auto_id="x_%s")["text"].as_field_group()  # other ids
    assert "pre-text" in EveryWidget(prefix="pre")["text"].as_field_group()
    attrs = EveryWidget()
    attrs.fields["text"].widget.attrs["placeholder"] = "e.g. Ann"
    assert 'placeholder="e.g. Ann"' in attrs["text"].as_field_group()
    shared = SharedWidgets()["pick"].as_field_group()
    rechosen = SharedWidgets()
    rechosen.fields["pick"].choices = [("", "—"), ("a", "Apricot")]  # new choices: a new list
    assert "Apricot" in rechosen["pick"].as_field_group()
    assert SharedWidgets()["pick"].as_field_group() == shared
    assert SharedWidgets(initial={"pain": 2})["pain"].as_field_group() != SharedWidgets()["pain"].as_field_group()
    with override("de"):
        EveryWidget()["text"].as_field_group()
    assert EveryWidget()["text"].as_field_group() == plain


def test_values_that_are_equal_but_written_differently_have_their_own_groups(fresh_groups):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    class When(forms.Form):
        at = forms.DateTimeField(required=False)
        count = forms.CharField(required=False)

    noon = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    with timezone.override(ZoneInfo("UTC")):
        assert "2026-12-04 12:00:00" in When(initial={"at": noon})["at"].as_field_group()
    with timezone.override(ZoneInfo("Europe/Paris")):  # the same instant, an equal datetime
        assert "2026-12-04 13:00:00" in When(initial={"at": noon})["at"].as_field_group()
    assert 'value="1"' in When(initial={"count": 1})["count"].as_field_group()
    assert 'value="True"' in When(initial={"count": True})["count"].as_field_group()


def test_typed_text_is_written_for_its_owner_and_not_kept(fresh_groups):
    html = SharedWidgets(initial={"notes": "my knee <hurts>"})["notes"].as_field_group()
    assert "my knee &lt;hurts&gt;</textarea>" in html
    assert not fresh_groups
    SharedWidgets(initial={"pick": "a"})["pick"].as_field_group()  # a choice's value is kept
    assert len(fresh_groups) == 1


def test_bound_forms_and_errors_added_by_hand_are_never_remembered(fresh_groups):
    bound = EveryWidget(BAD)
    bound.is_valid()
    for field in bound:
        field.as_field_group()
    assert not fresh_groups
    unbound = EveryWidget()
    unbound.cleaned_data = {}  # as a view that adds an error to an unbound form must
    unbound.add_error("text", "Something is wrong")
    html = unbound["text"].as_field_group()
    assert "Something is wrong" in html and not fresh_groups
    assert "Something is wrong" not in EveryWidget()["text"].as_field_group()


def test_the_group_memory_is_bounded(fresh_groups):
    with mock.patch.object(twins, "_GROUPS_MAX", 3):
        for n in range(10):
            EveryWidget(initial={"text": f"n{n}"})["text"].as_field_group()
        assert len(fresh_groups) <= 3
