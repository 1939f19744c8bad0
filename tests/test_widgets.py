"""The choice widgets render in Python (issue 13: no template per option) with exactly the markup
their templates write: every choice widget of the log and check forms, unbound, bound, with a
value and with errors."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django import forms
from django.forms.widgets import Widget

from kit import forms as site_forms
from kit import twins
from kit.twins import ChoiceButtons
from rehab.forms import CheckForm, LogForm
from rehab.progression import compute

DATA = {"pain_worst": "3", "swelling": "local", "nsaid": "yes", "session_done": "no", "rested": "yes"}


def forms_to_check():
    state = compute(start_date=date(2026, 11, 1), logs=(), checks=(), screens=(), today=date(2026, 11, 20))
    yield LogForm(None, ask_rested=True, ask_session=True)
    yield LogForm(DATA, ask_rested=True, ask_session=True)
    yield LogForm({"pain_worst": "11"}, ask_rested=False, ask_session=True)
    yield CheckForm(None, initial={"date": state.today}, state=state, start_date=date(2026, 11, 1))


@pytest.mark.parametrize("form", list(forms_to_check()), ids=["log-new", "log-bound", "log-errors", "check"])
def test_choice_widgets_render_what_their_templates_write(form):
    if form.is_bound:
        form.is_valid()
    seen = 0
    for bound in form:
        widget = bound.field.widget
        if not isinstance(widget, ChoiceButtons):
            continue
        seen += 1
        value = bound.value()
        attrs = bound.build_widget_attrs({"id": bound.auto_id})
        fast = widget.render(bound.html_name, value, attrs)
        slow = Widget.render(widget, bound.html_name, value, attrs)  # the template
        assert fast == slow, bound.name
        assert 'class="choice"' in fast
    assert seen >= 2


class SiteWidgets(forms.Form):
    """The site's choice widgets with awkward words, flat and grouped, typed and not."""

    flat = site_forms.ChoiceField(choices=[("", "—"), ("a", 'A & <"b">'), ("c", "C")], required=False)
    typed = site_forms.TypedChoiceField(choices=[(n, str(n)) for n in range(11)], coerce=int)
    grouped = site_forms.ChoiceField(choices=[("Hips", [("clam", "Clam <1>")]), ("x", "X")])
    many = site_forms.MultipleChoiceField(
        choices=[("a", "A <1>"), ("b", "B & 2"), ("c", "C")],
        widget=site_forms.CheckboxSelectMultiple(attrs={"class": "boxes", "data-x": True}),
        required=False,
    )
    many_grouped = site_forms.MultipleChoiceField(
        choices=[("Hips", [("clam", "Clam")]), ("b", "B")], widget=site_forms.CheckboxSelectMultiple
    )
    buttons = site_forms.TypedChoiceField(choices=[(True, "Yes"), (False, "No")], widget=ChoiceButtons, coerce=bool)


SITE_DATA = [
    None,
    {"flat": "a", "typed": "3", "grouped": "clam", "many": ["a", "c"], "many_grouped": ["b"], "buttons": "False"},
    {"flat": "zzz", "typed": "11", "many": ["nope"], "buttons": "maybe"},
]


@pytest.mark.parametrize("data", SITE_DATA, ids=["unbound", "valid", "invalid"])
def test_the_site_choice_widgets_render_what_their_templates_write(data):
    form = SiteWidgets(data, initial={"typed": 5, "many": ["b"]})
    if form.is_bound:
        form.is_valid()
    for bound in form:
        widget = bound.field.widget
        value = bound.value()
        attrs = bound.build_widget_attrs({"id": bound.auto_id})
        fast = widget.render(bound.html_name, value, attrs)
        with mock.patch.dict(twins._IN_PYTHON, clear=True):
            slow = Widget.render(widget, bound.html_name, value, attrs)  # the template alone
        assert fast == slow, bound.name


def test_form_copies_share_their_choices_but_may_replace_them():
    one, two = SiteWidgets(), SiteWidgets()
    assert one.fields["typed"].choices is two.fields["typed"].choices
    one.fields["flat"].choices = [("z", "Z")]
    assert [value for value, _label in two.fields["flat"].choices] == ["", "a", "c"]
    assert 'value="z"' in str(one["flat"]) and 'value="z"' not in str(two["flat"])


def test_widget_copies_share_choices_until_one_form_replaces_them():
    one, two = SiteWidgets(), SiteWidgets()
    assert one.fields["many"].widget.choices is two.fields["many"].widget.choices
    assert one.fields["many"].widget.attrs is not two.fields["many"].widget.attrs
    one.fields["many"].choices = [("z", "Z")]
    one.fields["many"].widget.attrs["data-y"] = "1"
    assert 'value="z"' in str(one["many"]) and 'value="z"' not in str(two["many"])
    assert "data-y" not in str(two["many"])


class Remembered(forms.Form):
    pain = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(11)], coerce=int, widget=site_forms.PainScale)
    pick = site_forms.ChoiceField(choices=[("a", "Apple"), ("b", "Banana")], required=False)


def test_choice_markup_follows_the_value_the_ids_and_the_binding():
    first = str(Remembered(initial={"pain": 3})["pain"])
    again = Remembered(initial={"pain": 3})  # a new copy of the form: the same markup
    assert str(again["pain"]) == first
    assert 'value="3" required id="id_pain_3" checked' in first
    other = str(Remembered(initial={"pain": 4})["pain"])
    assert 'value="4" required id="id_pain_4" checked' in other and 'value="3" required id="id_pain_3">' in other
    assert str(Remembered(initial={"pain": 3}, auto_id="x_%s")["pain"]) != first  # other ids
    assert Remembered({"pain": "3"})["pain"].as_widget() == first  # bound to the same value


def test_new_choices_are_never_served_old_markup():
    form = Remembered()
    before = str(form["pick"])
    changed = Remembered()
    changed.fields["pick"].choices = [("a", "Apricot"), ("b", "Banana")]  # new choices: a new list
    after = str(changed["pick"])
    assert "Apple" in before and "Apricot" in after and "Apple" not in after
    assert str(Remembered()["pick"]) == before
