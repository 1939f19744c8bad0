from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kit import dates as kit_dates
from kit import forms as site_forms

from .models import SHARE_DAYS

SECTIONS = (
    ("plan", _("Plan")),
    ("screenings", _("Knee checks (screening)")),
    ("chart", _("Pain chart and the logged days")),
    ("checks", _("Progress checks")),
    ("events", _("What changed the plan")),
    ("adherence", _("Exercises, rest and painkillers")),
    ("activity", _("Activity and build-back")),
    ("notes", _("My notes")),
)
DEFAULT_SECTIONS = [key for key, _label in SECTIONS if key != "notes"]


class ReportOptionsForm(forms.Form):
    sections = site_forms.MultipleChoiceField(
        label=_("Include"), choices=SECTIONS, widget=site_forms.CheckboxSelectMultiple, required=False
    )
    date_from = kit_dates.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = kit_dates.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        return data


class ShareLinkForm(forms.Form):
    days = site_forms.TypedChoiceField(
        label=_("The link works for"),
        # Lazy labels: in the language of each request, not of the first import.
        choices=[
            (d, _("1 day") if d == 1 else lazy(lambda d=d: gettext("%(n)s days") % {"n": d}, str)()) for d in SHARE_DAYS
        ],
        coerce=int,
        widget=forms.RadioSelect,
        initial=7,
    )
    include_notes = forms.BooleanField(label=_("Include my notes"), required=False)
