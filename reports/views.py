"""The clinician report, its PDF, share links and the FHIR export. Thin views."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehab.models import Plan

from . import fhir, pdf, services
from . import report as builder
from .forms import DEFAULT_SECTIONS, ReportOptionsForm, ShareLinkForm
from .models import ShareLink


def _options(request: HttpRequest) -> tuple[ReportOptionsForm, dict]:
    if not request.GET:
        form = ReportOptionsForm(initial={"sections": DEFAULT_SECTIONS})
        return form, {"sections": DEFAULT_SECTIONS}
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        return form, {"sections": DEFAULT_SECTIONS}
    return form, {k: form.cleaned_data[k] for k in ("sections", "date_from", "date_to")}


def _report_or_404(user, **options) -> dict:
    data = builder.build(user, **options)
    if data is None:
        raise Http404("No plan yet")
    return data


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    form, options = _options(request)
    data = _report_or_404(request.user, **options)
    context = {"report": data, "form": form, "pdf_available": pdf.available(), "query": request.GET.urlencode()}
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    form, options = _options(request)
    data = _report_or_404(request.user, **options)
    html = render_to_string("reports/report_pdf.html", {"report": data, "static_base": pdf.BASE_URL}, request)
    try:
        body = pdf.render(html)
    except pdf.PdfUnavailable:
        return render(request, "reports/pdf_unavailable.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="itbcare-report.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest) -> HttpResponse:
    plan = get_object_or_404(Plan, user=request.user)
    new_url = None
    if request.method == "POST":
        form = ShareLinkForm(request.POST)
        if form.is_valid():
            _link, token = services.create_share_link(
                plan=plan, days=form.cleaned_data["days"], include_notes=form.cleaned_data["include_notes"]
            )
            new_url = request.build_absolute_uri(f"/s/{token}/")
            form = ShareLinkForm()
    else:
        form = ShareLinkForm()
    links = ShareLink.objects.filter(plan=plan)
    return render(
        request,
        "reports/share.html",
        {"form": form, "links": links, "new_url": new_url, "now": timezone.now()},
        status=400 if request.method == "POST" and new_url is None else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=pk, plan__user=request.user)
    services.revoke(link=link)
    return redirect("reports:share")


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    link = services.open_link(token=token)
    if link is None:
        raise Http404("No such link")
    owner = link.plan.user
    with timezone.override(owner.time_zone or "UTC"):
        data = builder.build(owner, notes=link.include_notes)
    if data is None:
        raise Http404("No such link")
    response = render(request, "reports/shared.html", {"report": data, "link": link})
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_fhir(request: HttpRequest) -> HttpResponse:
    body = json.dumps(fhir.bundle(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Content-Disposition"] = 'attachment; filename="itbcare-fhir.json"'
    return response
