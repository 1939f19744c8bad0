from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from kit.urls import safe_next
from screening.emergency_numbers import country_from_accept_language

from . import throttle
from .forms import (
    DeleteAccountForm,
    LimitedPasswordResetForm,
    LoginForm,
    ReportNameForm,
    SignupForm,
    ThrottledPasswordChangeForm,
    TimeZoneForm,
    zone_for_country,
)
from .models import User
from .services import account_delete, end_sessions, other_sessions


def _safe_next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), "")


def _zone_guess(request: HttpRequest) -> str:
    """Before the browser says (or without JavaScript): the zone of the browser language's
    region where that region has only one ("de-DE" → Europe/Berlin), else the site's default."""
    country = country_from_accept_language(request.headers.get("Accept-Language"))
    return zone_for_country(country) or settings.TIME_ZONE


def _throttled(response: HttpResponse, form) -> HttpResponse:
    """A form refused by a throttle or a mail limit answers 429 with Retry-After (same page)."""
    return throttle.mark_throttled(response, form.throttled_for) if form.throttled_for else response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST if request.method == "POST" else None, initial={"time_zone": _zone_guess(request)})
    if request.method == "POST" and form.is_valid():
        # Emails and the calendar feed speak the language the person signed up in.
        form.instance.language = (
            translation.get_language() if translation.get_language() in dict(settings.LANGUAGES) else ""
        )
        user = form.save()
        # Sends user_logged_in, which attaches this browser's anonymous screens to the account.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.get_username()})
        response = HttpResponseRedirect(_safe_next(request) or reverse(settings.LOGIN_REDIRECT_URL))
        throttle.remember_device(response, user)
        return response
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


class LoginView(auth_views.LoginView):
    """Django's sign-in page; a browser that signs in gets a device cookie (`accounts.throttle`),
    and a throttled attempt answers 429 with the wait in words."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.remember_device(response, form.get_user())
        return response

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)


#: On the answer that signs a person out of this browser: the browser deletes what this site kept
#: on the device (the offline copies of pages, the offline queue, the service worker), so that
#: the next person on a shared device finds nothing of theirs. static/js/offline.js asks first
#: when entries saved offline are still waiting to be sent.
CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """The old password is checked under the sign-in throttle; a new password ends every other
    session of the person (Django already refuses them; this deletes them)."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        end_sessions(user=form.user, keep=self.request.session.session_key)
        return response

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LimitedPasswordResetForm

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A password set from a reset link ends every session of the person."""

    def form_valid(self, form):
        response = super().form_valid(form)
        end_sessions(user=form.user)
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch: Django's `set_language` (the language cookie, then back to
    `next`), and for a signed-in person their account language too, which their emails and
    calendar feed use."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. Your time zone is now %(tz)s.") % {"tz": form.instance.time_zone})
        return redirect("accounts:settings")
    context = {
        "form": form,
        "other_sessions": other_sessions(user=request.user, current=request.session.session_key),
    }
    return render(request, "accounts/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_name(request: HttpRequest) -> HttpResponse:
    """The name or initials on the clinician report: a section of Account settings posts here; the
    page of its own shows the form again with its message when the input is refused."""
    form = ReportNameForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        name = form.instance.report_name
        if name:
            messages.success(request, _("Saved. Your reports now show “%(name)s”.") % {"name": name})
        else:
            messages.success(request, _("Saved. Your reports show no name."))
        return redirect(reverse("accounts:settings") + "#report-name")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/report_name.html", {"form": form}, status=status)


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every other session of the person; this browser stays signed in (with a new session
    key, so nothing learnt about the old one is worth anything)."""
    request.session.cycle_key()
    ended = end_sessions(user=request.user, keep=request.session.session_key)
    messages.success(
        request,
        ngettext(
            "Signed out on %(count)d other browser or device. You are still signed in here.",
            "Signed out on %(count)d other browsers or devices. You are still signed in here.",
            ended,
        )
        % {"count": ended},
    )
    return redirect(reverse("accounts:settings") + "#sessions-heading")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and all your data have been deleted."))
        response = redirect("home")
        throttle.forget_device(response)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return _throttled(render(request, "accounts/delete.html", {"form": form}), form)
