from __future__ import annotations

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _


class ReminderSettingsForm(forms.Form):
    email_on = forms.BooleanField(label=_("Email me a reminder each day I haven't logged yet"), required=False)
    remind_at = forms.TimeField(
        label=_("Time of day"),
        initial=time(20, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In your own time zone."),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("We send a link to confirm it before any reminder goes out."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("email_on") and not data.get("email"):
            self.add_error("email", _("Enter the address the reminders should go to."))
        return data
