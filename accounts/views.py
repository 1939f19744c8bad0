from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kit.urls import safe_next
from screening.emergency_numbers import country_from_accept_language

from .forms import DeleteAccountForm, SignupForm, TimeZoneForm, zone_for_country
from .services import account_delete


def _safe_next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), "")


def _zone_guess(request: HttpRequest) -> str:
    """Before the browser says (or without JavaScript): the zone of the browser language's
    region where that region has only one ("de-DE" → Europe/Berlin), else the site's default."""
    country = country_from_accept_language(request.headers.get("Accept-Language"))
    return zone_for_country(country) or settings.TIME_ZONE


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST if request.method == "POST" else None, initial={"time_zone": _zone_guess(request)})
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Sends user_logged_in, which attaches this browser's anonymous screens to the account.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": user.get_username()})
        return HttpResponseRedirect(_safe_next(request) or reverse(settings.LOGIN_REDIRECT_URL))
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved. Your time zone is now %(tz)s.") % {"tz": form.instance.time_zone})
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and all your data have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
