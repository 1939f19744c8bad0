from __future__ import annotations

import importlib.resources
import unicodedata
import zoneinfo
from functools import cache
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, UserCreationForm
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from screening.emergency_numbers import AMBULANCE

from . import mail_limits, throttle
from .countries import COUNTRY_NAMES
from .models import User
from .privacy import PRIVACY_VERSION


def _zone_tab() -> list[tuple[str, str]]:
    """(country, zone) for every canonical zone in tzdata's zone.tab: about 400 zones a person
    would pick, instead of the ~600 names (aliases such as "US/Eastern" included) tzdata knows."""
    text = (importlib.resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return [(row[0], row[2], row[3] if len(row) > 3 else "") for row in rows]


def _zone_label(zone: str) -> str:
    """ "America/Argentina/Buenos_Aires" → "Buenos Aires (Argentina)"; "Europe/London" → "London"."""
    parts = zone.replace("_", " ").split("/")[1:]
    return f"{parts[-1]} ({', '.join(parts[:-1])})" if len(parts) > 1 else parts[0]


@cache
def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    """The zones grouped by region (`<optgroup>`), each listed by its city, then UTC."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for _country, zone, _comment in _zone_tab():
        groups.setdefault(zone.split("/")[0], []).append((zone, _zone_label(zone)))
    grouped = [(region, sorted(zones, key=lambda z: z[1])) for region, zones in sorted(groups.items())]
    return [("UTC", "UTC"), *grouped]


def zone_for_country(country: str) -> str | None:
    """The time zone of a country that has one, or one for "most of" it ("GB" → "Europe/London",
    "DE" → "Europe/Berlin"), else None ("US", "AU": better the default than a wrong guess)."""
    rows = [(zone, comment) for code, zone, comment in _zone_tab() if code == country]
    most = [zone for zone, comment in rows if comment.startswith("most of")]
    return rows[0][0] if len(rows) == 1 else (most[0] if len(most) == 1 else None)


@cache
def _all_zones() -> frozenset[str]:
    """Every IANA name tzdata knows; read once (`available_timezones` walks the files each call)."""
    return frozenset(zoneinfo.available_timezones())


class CompactSelect(forms.Select):
    """A select whose options are written in one template, one line per group: hundreds of options
    without a sub-template each (and without Django's blank lines between them; the settings page
    stays under the crawl's 30 KB)."""

    template_name = "widgets/compact_select.html"


class TimeZoneField(forms.ChoiceField):
    """A grouped list of the canonical zones; any real IANA name is accepted too (a browser may
    report an alias such as "Asia/Calcutta", and older accounts may hold one)."""

    widget = CompactSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Your time zone"))
        kwargs.setdefault("help_text", _("Your days start and end at midnight here."))
        super().__init__(choices=time_zone_choices, **kwargs)

    def valid_value(self, value) -> bool:
        return value in _all_zones()

    def keep(self, zone: str | None) -> None:
        """List `zone` too when it is a real name outside the grouped list, so that a form showing
        it does not silently select another zone."""
        known = {value for _group, zones in time_zone_choices()[1:] for value, _label in zones} | {"UTC"}
        if zone and zone not in known and self.valid_value(zone):
            self.choices = [(zone, zone.replace("_", " ")), *time_zone_choices()]


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset your password if you forget it."),
    )
    time_zone = TimeZoneField(
        widget=CompactSelect(attrs={"data-guess-time-zone": ""}),
        help_text=_("Your days start and end at midnight here. It also sets the emergency number we show."),
    )
    health_consent = forms.BooleanField(
        label=_("I agree that ITB Care stores the health information I enter (screening answers, pain logs)."),
        help_text=_("Required to keep your plan. You can download or delete everything at any time."),
        error_messages={"required": _("Please agree to storing your health information to create an account.")},
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "time_zone")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Our own words, not Django's defaults (which list every validator's rule in HTML).
        self.fields["username"].help_text = _("Letters, numbers and @ . + - _ only. Nobody else sees it.")
        self.fields["password1"].help_text = _(
            "At least 8 characters, not only numbers, not a common password and not like your username."
        )
        self.fields["password2"].label = _("Password again")
        self.fields["password2"].help_text = _("Type it once more, to be sure.")
        self.fields["time_zone"].keep(self.data.get("time_zone") or self.initial.get("time_zone"))

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.health_consent_version = PRIVACY_VERSION
        user.health_consent_at = timezone.now()
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    """Django's log-in form, with the username's length really validated (Django only sets the
    widget's maxlength) and the throttle's wait said in words (`accounts.throttle`)."""

    #: Seconds this client must wait before its next try (0: not throttled); the view answers 429.
    throttled_for = 0

    def get_invalid_login_error(self) -> forms.ValidationError:
        wait = getattr(self.request, "login_throttled", 0)
        if wait:
            self.throttled_for = wait
            return forms.ValidationError(throttle.wait_message(wait), code="throttled")
        return super().get_invalid_login_error()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        limit = User._meta.get_field(User.USERNAME_FIELD).max_length
        if len(username) > limit:
            raise forms.ValidationError(
                _("Usernames are at most %(limit)s characters.") % {"limit": limit}, code="max_length"
            )
        return username


def country_choices() -> list[tuple[str, str]]:
    """("", "From my time zone") then, by name (tzdata's iso3166.tab), the countries whose
    ambulance number we know: for any other country the answer is 112, as "From my time zone"."""
    text = (importlib.resources.files("tzdata.zoneinfo") / "iso3166.tab").read_text(encoding="utf-8")
    rows = [line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#")]
    names = {code: gettext(COUNTRY_NAMES.get(code, name.strip())) for code, name in rows if code in AMBULANCE}
    known = sorted(names.items(), key=lambda row: _sort_key(row[1]))  # in the reader's language
    return [("", _("From my time zone")), *known]


def _sort_key(name: str) -> str:
    """Alphabetical as a reader expects it: accents sort with their letter ("Á" with "A")."""
    return "".join(c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c))


class TimeZoneForm(forms.ModelForm):
    time_zone = TimeZoneField()
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        required=False,
        widget=CompactSelect,
        help_text=_("We use it to show the right emergency number. Not listed? Keep “From my time zone”: we show 112."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=lambda: [("", _("Your browser's language")), *settings.LANGUAGES],
        required=False,
        widget=CompactSelect,
        help_text=_("Also for your emails and calendar."),
    )

    class Meta:
        model = User
        fields = ("time_zone", "country", "language")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].keep(self.instance.time_zone)


class ReportNameForm(forms.ModelForm):
    """The optional name or initials at the top of the clinician report."""

    class Meta:
        model = User
        fields = ("report_name",)
        labels = {"report_name": _("Your name or initials on reports")}


def _throttled_password_check(form, user: User, password: str, wrong: str) -> None:
    """The password asked again on a signed-in form, under the sign-in throttle: a wrong one
    counts as a failed sign-in, and while this client must wait nothing is checked."""
    try:
        right = throttle.check_password(form.request, user, password)
    except throttle.Throttled as refused:
        form.throttled_for = refused.wait
        raise forms.ValidationError(throttle.wait_message(refused.wait), code="throttled") from None
    if not right:
        raise forms.ValidationError(wrong, code="password_incorrect")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )

    throttled_for = 0

    def __init__(self, user: User, *args, request, **kwargs) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    @sensitive_variables("password")
    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        _throttled_password_check(self, self.user, password, _("That password is not right."))
        return password


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked under the sign-in throttle."""

    throttled_for = 0

    def __init__(self, user: User, *args, request, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        _throttled_password_check(self, self.user, old_password, self.error_messages["password_incorrect"])
        return old_password


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's password reset, with mail limits (`accounts.mail_limits`, kind "password_reset"):
    per address, counted for every request whether or not an account uses the address, so its
    message says nothing about accounts; per account, where a mail over the limit is skipped
    silently (the page says what it always says)."""

    throttled_for = 0

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        refusal = mail_limits.count("password_reset", address=email)
        if refusal is not None:
            self.throttled_for = refusal.retry_after
            raise forms.ValidationError(refusal.message(), code="throttled")
        return email

    def get_users(self, email):
        for user in super().get_users(email):
            if mail_limits.count("password_reset", user=user) is None:
                yield user

    def save(self, *args, **kwargs):
        """The link in the mail is on `SITE_URL`, never on the Host or port the request came in by."""
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        return super().save(*args, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        """In the account's language (else the language of the page that asked)."""
        language = context["user"].language or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
