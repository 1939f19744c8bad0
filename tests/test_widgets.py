"""The choice widgets render in Python (issue 13: no template per option) with exactly the markup
their templates write: every choice widget of the log and check forms, unbound, bound, with a
value and with errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.forms.widgets import Widget

from itbcare.forms import ChoiceButtons
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
