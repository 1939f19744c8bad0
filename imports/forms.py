from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import limits

NO_FILES = _("Please choose one or more files: GPX, TCX or FIT (also .gz), or your Strava export (.zip).")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); empty files are kept, so that
    the import can name them ("The file is empty.")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".gpx,.tcx,.fit,.gz,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise forms.ValidationError(NO_FILES, code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Activity files or a Strava export"),
        # Lazy, so that it is filled in the language of each request, not of the first import.
        help_text=lazy(
            lambda: (
                gettext(
                    "GPX, TCX or FIT files (also .gz), up to %(count)s at a time, or the .zip of a Strava bulk export; "
                    "%(mb)s MB at most in all."
                )
                % {"count": limits.MAX_FILES, "mb": limits.MAX_UPLOAD_BYTES // limits.MiB}
            ),
            str,
        )(),
        error_messages={"required": NO_FILES},
    )


class PainBeganForm(forms.Form):
    """When the pain began (a GET form on the usual-week page): the first knee check's date by
    default; at most a year before the plan start, never after it."""

    pain_began = forms.DateField(
        label=_("When did the knee pain begin?"),
        help_text=_("Your usual week is taken from the 4 to 8 weeks before this day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date such as 2026-03-01.")},
    )

    def __init__(self, *args, start_date: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.start_date = start_date
        self.fields["pain_began"].widget.attrs.update(
            min=(start_date - timedelta(days=365)).isoformat(), max=start_date.isoformat()
        )

    def clean_pain_began(self) -> date:
        value = self.cleaned_data["pain_began"]
        if value > self.start_date:
            raise forms.ValidationError(_("Please choose a day on or before your plan started."))
        if value < self.start_date - timedelta(days=365):
            raise forms.ValidationError(_("Please choose a day within the year before your plan started."))
        return value
