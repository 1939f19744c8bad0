"""One form per screening step, built from the questions in `rules.py`."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from kit import forms as site_forms
from kit.twins import ChoiceButtons

from . import flow, rules

ANSWER_CHOICES = [(rules.YES, _("Yes")), (rules.NO, _("No")), (rules.UNSURE, _("Not sure"))]
PLEASE_ANSWER = _("Please answer this question.")
AGE_RANGE = _("Please enter your age in whole years, from 1 to 120.")


def _field_for(question: rules.Question) -> forms.Field:
    common = {"label": question.text, "required": False, "help_text": question.why}
    if question.kind == "age":
        return forms.IntegerField(
            min_value=rules.MIN_AGE,
            max_value=rules.MAX_AGE,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "age-input"}),
            error_messages={"invalid": AGE_RANGE, "min_value": AGE_RANGE, "max_value": AGE_RANGE},
            **common,
        )
    if question.kind == "activity":
        return site_forms.ChoiceField(
            choices=rules.ACTIVITIES,
            widget=ChoiceButtons,
            error_messages={"invalid_choice": PLEASE_ANSWER},
            **common,
        )
    return site_forms.ChoiceField(
        choices=ANSWER_CHOICES,
        widget=ChoiceButtons,
        error_messages={"invalid_choice": PLEASE_ANSWER},
        **common,
    )


class PageForm(forms.Form):
    """The questions of one page. A question shown must be answered while it can still change
    the outcome (`flow.submit` decides); follow-ups only when asked.

    `earlier` holds the answers already given on other pages, so a follow-up's condition and
    what can still matter are decided from this page's own data together with those.
    """

    def __init__(self, page: flow.Page, *args, earlier: Mapping[str, object] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.earlier = dict(earlier or {})
        self.questions = page.questions
        self.submission: flow.Submission | None = None
        for question in self.questions:
            self.fields[question.id] = _field_for(question)

    def question_rows(self):
        """(question, bound field, is follow-up) for the template."""
        for question in self.questions:
            yield question, self[question.id], question.condition is not None and question.step == self.page.step.id

    def fill_unanswered_with_no(self) -> None:
        """The "none of these" shortcut: every question left blank counts as a no."""
        data = self.data.copy()
        for question in self.questions:
            if question.kind == "yesno" and not data.get(question.id):
                data[question.id] = rules.NO
        self.data = data

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        answers = {**self.earlier, **{k: v for k, v in cleaned.items() if v not in (None, "")}}
        # Only what could still change the outcome must be answered; other blanks are stored as
        # not asked, or (urgent pages, once urgent_today is fixed) asked again on a short check
        # page. A field with its own error is not in `answers`, so it stays open.
        self.submission = flow.submit(self.page, answers)
        required = set(self.submission.required)
        for question in self.questions:
            if question.id in self.errors:
                continue
            if cleaned.get(question.id) in (None, "") and question.id in required:
                self.add_error(question.id, PLEASE_ANSWER)
        return cleaned

    def answers(self) -> dict[str, object]:
        """This page's answers, leaving out follow-ups whose condition does not hold."""
        merged = {**self.earlier, **{k: v for k, v in self.cleaned_data.items() if v not in (None, "")}}
        return {q.id: merged[q.id] for q in self.questions if q.id in merged and rules.is_asked(q.id, merged)}
