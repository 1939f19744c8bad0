from __future__ import annotations

import importlib.resources
import zoneinfo
from functools import cache

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User
from .privacy import PRIVACY_VERSION


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your time zone"))
        kwargs.setdefault("help_text", _("Days in your plan start and end at midnight in this time zone."))
        super().__init__(choices=time_zone_choices, **kwargs)


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset your password if you forget it."),
    )
    time_zone = TimeZoneField(widget=forms.Select(attrs={"data-guess-time-zone": ""}))
    health_consent = forms.BooleanField(
        label=_("I agree that ITB Care stores the health information I enter (screening answers, pain logs)."),
        help_text=_("Required to keep your plan. You can download or delete everything at any time."),
        error_messages={"required": _("Please agree to storing your health information to create an account.")},
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "time_zone")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.health_consent_version = PRIVACY_VERSION
        user.health_consent_at = timezone.now()
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    """Django's log-in form, with the username's length really validated: Django only sets the
    widget's maxlength, and a huge name would reach the login throttle's 255-character column."""

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        limit = User._meta.get_field(User.USERNAME_FIELD).max_length
        if len(username) > limit:
            raise forms.ValidationError(
                _("Usernames are at most %(limit)s characters.") % {"limit": limit}, code="max_length"
            )
        return username


def country_choices() -> list[tuple[str, str]]:
    """("", "From my time zone") then every ISO 3166 country by name (tzdata's iso3166.tab)."""
    text = (importlib.resources.files("tzdata.zoneinfo") / "iso3166.tab").read_text(encoding="utf-8")
    rows = [line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#")]
    return [("", _("From my time zone")), *sorted(((code, name.strip()) for code, name in rows), key=lambda r: r[1])]


class TimeZoneForm(forms.ModelForm):
    time_zone = TimeZoneField()
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        required=False,
        help_text=_("We use it to show the right emergency number."),
    )

    class Meta:
        model = User
        fields = ("time_zone", "country")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."), code="password_incorrect")
        return password
