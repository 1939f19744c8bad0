"""The import pages: upload, the job (progress, then the preview, then what was imported), the
confirmation, and the usual week from the imported history. Every job and preview is looked up
with its owner: anyone else gets a 404."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import load_handler
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from rehab import services, snapshots
from rehab.forms import TargetForm, session_noun, target_initial
from rehab.ladders import ACTIVITIES
from rehab.models import TARGET_KM_MAX, TARGET_MINUTES, ActivityEntry, Plan, Target
from rehab.progression import BUILD
from screening.models import Screening

from . import charts, limits, preview
from .forms import PainBeganForm, UploadForm
from .messages import SKIPS, problem_text
from .models import ImportJob, ImportUpload
from .uploads import LimitedUploadHandler
from .usual import KNEE_ORDER, MAX_WEEKS, Entry, usual_week

State = ImportJob.State


def _plan_or_404(request: HttpRequest) -> Plan:
    plan = Plan.objects.filter(user=request.user).first()
    if plan is None:
        raise Http404("No plan yet")
    return plan


def _job_or_404(request: HttpRequest, job_id, *, with_result: bool = True) -> ImportJob:
    jobs = ImportJob.objects.filter(user=request.user)
    if not with_result:
        jobs = jobs.defer("result")
    return get_object_or_404(jobs, pk=job_id)


# --- Upload ----------------------------------------------------------------------------------


@csrf_exempt  # checked below, once the size-limiting upload handler is in place
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    # Upload handlers can only be changed before the body is read, and the CSRF check reads it.
    request.upload_handlers = [LimitedUploadHandler(request)] + [
        load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS
    ]
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    plan = _plan_or_404(request)
    form = UploadForm()
    if request.method == "POST":
        try:
            files = request.FILES
        except TooManyFilesSent:
            files = None
        form = UploadForm(request.POST, files)
        if files is None:
            form.is_valid()
            form.add_error(
                None,
                _("Please upload up to %(count)s files at a time, or your Strava export as one .zip.")
                % {"count": limits.MAX_FILES},
            )
        elif request.import_cut_off:
            form.is_valid()
            form.add_error(
                "files",
                _("Together these files are larger than %(mb)s MB (from %(name)s on). Please upload fewer at a time.")
                % {"mb": limits.MAX_UPLOAD_BYTES // limits.MiB, "name": request.import_cut_off[0]},
            )
        elif form.is_valid():
            job = _queue(request.user, form.cleaned_data["files"])
            if job is None:
                form.add_error(None, _("An import of yours is still being read: please wait for it to finish."))
            else:
                return redirect("imports:job", job_id=job.pk)
    recent = ImportJob.objects.filter(user=request.user).defer("result")[:5]
    return render(request, "imports/upload.html", {"form": form, "plan": plan, "recent": recent})


def _queue(user, files) -> ImportJob | None:
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(user=user)
            for position, uploaded in enumerate(files):
                uploaded.seek(0)
                ImportUpload.objects.create(job=job, position=position, name=uploaded.name[:255], data=uploaded.read())
    except IntegrityError:  # one import being read per person (a database constraint)
        return None
    return job


# --- The job: progress, preview, result ----------------------------------------------------


@login_required
@require_GET
def job(request: HttpRequest, job_id) -> HttpResponse:
    polling = request.htmx and request.GET.get("part") == "progress"
    found = _job_or_404(request, job_id, with_result=not polling)
    if polling:
        if not found.running:
            return HttpResponseClientRefresh()  # the preview is ready: the whole page changes
        return render(request, "imports/job.html#progress", {"job": found})
    plan = _plan_or_404(request)
    context: dict = {"job": found, "plan": plan}
    if found.state == State.READY:
        today = timezone.localdate()
        context["preview"] = preview.build(plan, found.result, today=today)
    if found.state in (State.READY, State.DONE, State.FAILED) and found.result:
        context["problems"] = [(p["file"], problem_text(p)) for p in found.result.get("problems", ())]
        context["ignored"] = found.result.get("ignored", 0)
    if found.state == State.FAILED:
        context["error"] = problem_text({"code": found.error})
    if found.state == State.DONE:
        summary = found.summary or {}
        context["skipped"] = [(str(SKIPS[code]), n) for code, n in summary.get("skipped", {}).items() if code in SKIPS]
        usual = _usual(plan, _pain_began_default(plan, request.user))
        context.update(usual=usual, offer_lines=_offer_lines(_offer(usual, plan)))
    return render(request, "imports/job.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, job_id) -> HttpResponse:
    found = _job_or_404(request, job_id)
    plan = _plan_or_404(request)
    if found.state != State.READY:
        return redirect("imports:job", job_id=found.pk)
    today = timezone.localdate()
    rows = preview.rows_of(found.result)
    same_day_ok = set(request.POST.getlist("include")) & {row.external_id for row in rows}
    with transaction.atomic():
        # A second click (or tab) finds the job done and writes nothing; the entries' unique
        # (plan, external id) would refuse it anyway.
        if not ImportJob.objects.select_for_update().filter(pk=found.pk, state=State.READY).exists():
            return redirect("imports:job", job_id=found.pk)
        outcome = services.import_activities(plan=plan, rows=rows, today=today, same_day_ok=same_day_ok)
        skipped: dict[str, int] = {}
        for code in outcome.decision.skips.values():
            if code is not None:
                skipped[code] = skipped.get(code, 0) + 1
        written = len(outcome.decision.written())
        problems = (found.result or {}).get("problems", [])
        ImportJob.objects.filter(pk=found.pk).update(
            state=State.DONE,
            summary={"written": written, "skipped": skipped},
            result={"activities": [], "problems": problems, "ignored": (found.result or {}).get("ignored", 0)},
            finished_at=timezone.now(),
        )
    messages.success(request, _("Imported %(count)s activities.") % {"count": written})
    return redirect("imports:job", job_id=found.pk)


@login_required
@require_POST
def discard(request: HttpRequest, job_id) -> HttpResponse:
    found = _job_or_404(request, job_id, with_result=False)
    found.delete()
    messages.success(request, _("The import was discarded: nothing from it was saved."))
    return redirect("imports:upload")


# --- The usual week ----------------------------------------------------------------------------


def _pain_began_default(plan: Plan, user) -> date:
    """The first knee check's date (the person's time zone), or the plan start if later or none."""
    first = Screening.objects.filter(user=user).aggregate(first=Min("taken_at"))["first"]
    if first is None:
        return plan.start_date
    return min(timezone.localtime(first).date(), plan.start_date)


def _usual(plan: Plan, pain_began: date):
    since = pain_began - timedelta(days=7 * MAX_WEEKS + 30)
    imported = ActivityEntry.objects.filter(plan=plan).exclude(external_id="")
    first = imported.aggregate(first=Min("date"))["first"]
    entries = [
        Entry(day=day, kind=kind, minutes=minutes, km=km)
        for day, kind, minutes, km in imported.filter(date__gte=since, date__lt=pain_began).values_list(
            "date", "kind", "duration_min", "distance_km"
        )
    ]
    return usual_week(entries, pain_began=pain_began, activity=plan.activity, first_history=first)


def _offer(usual, plan: Plan) -> dict[str, tuple[int, object]]:
    """{kind: (minutes, km)} the target form is filled with (within the form's limits)."""
    if not usual.enough:
        return {}
    offer = {}
    for kind in usual.kinds():
        minutes = usual.minutes[kind]
        if minutes < TARGET_MINUTES[0]:
            continue
        km = usual.km.get(kind)
        offer[kind] = (
            min(minutes, TARGET_MINUTES[1]),
            km if km is not None and km <= TARGET_KM_MAX and kind != "gym" else None,
        )
    return offer


def _offer_lines(offer) -> list[tuple[str, int, object]]:
    labels = dict(ACTIVITIES)
    return [(str(labels[kind]).lower(), minutes, km) for kind, (minutes, km) in offer.items()]


def _spike_text(spike, activity: str) -> str:
    """load.md L2 in the weeks before the pain, in plain words and without blame."""
    values = {
        "day": date_format(spike.day, _("l j F")),
        "noun": session_noun(activity),
        "minutes": spike.minutes,
        "longest": spike.longest,
    }
    if spike.after_break:
        first = _("On %(day)s your %(noun)s lasted %(minutes)s minutes, with none in the 30 days before it.") % values
    else:
        first = (
            _(
                "On %(day)s your %(noun)s lasted %(minutes)s minutes: more than 10%% longer than your longest in the "
                "30 days before (%(longest)s minutes)."
            )
            % values
        )
    return (
        first
        + " "
        + _(
            "Sessions much longer than usual are linked with running injuries like this one. It happens to careful "
            "people too, and it isn't something you did wrong. Build-back grows in small steps from here."
        )
    )


def _table(usual) -> dict:
    """The chart's numbers as table rows: minutes (and km) per knee kind, per week."""
    kinds = usual.kinds() or [k for k in KNEE_ORDER if any(week.minutes.get(k) for week in usual.weeks)]
    labels = dict(ACTIVITIES)

    def cell(minutes: int, km) -> str:
        if not minutes:
            return "0"
        return f"{minutes} min" + (f" · {km} km" if km else "")

    rows = [
        {
            "dates": f"{date_format(week.start, _('j M'))}–{date_format(week.end, _('j M'))}",
            "cells": [cell(week.minutes.get(kind, 0), week.km.get(kind)) for kind in kinds],
            "total": week.knee_minutes,
        }
        for week in usual.weeks
    ]
    usual_row = None
    if usual.weeks:
        usual_row = {
            "cells": [cell(usual.minutes.get(kind, 0), usual.km.get(kind)) for kind in kinds],
            "total": sum(usual.minutes.values()),
        }
    return {"kind_labels": [labels[kind] for kind in kinds], "week_rows": rows, "usual_row": usual_row}


@login_required
@require_http_methods(["GET", "POST"])
def usual_week_page(request: HttpRequest) -> HttpResponse:
    plan = _plan_or_404(request)
    today = timezone.localdate()
    default = _pain_began_default(plan, request.user)
    when_form = PainBeganForm(request.GET or None, start_date=plan.start_date, initial={"pain_began": default})
    pain_began = when_form.cleaned_data["pain_began"] if request.GET and when_form.is_valid() else default
    usual = _usual(plan, pain_began)
    offer = _offer(usual, plan)
    state = snapshots.state_of(plan, today)
    targets = {target.activity: target for target in Target.objects.filter(plan=plan)}
    initial = target_initial(targets, plan.build_days)
    for kind, (minutes, km) in offer.items():
        initial[f"target_{kind}_minutes"] = minutes
        initial[f"target_{kind}_km"] = km
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        plan_activity=plan.activity,
        locked=state.phase == BUILD,
    )
    if request.method == "POST" and form.is_valid():
        services.target_save(plan=plan, rows=form.rows(), build_days=form.cleaned_data["build_days"], today=today)
        messages.success(request, _("Saved your usual week. Your build-back is recalculated from it."))
        return redirect("rehab:build")
    context = {
        "plan": plan,
        "state": state,
        "usual": usual,
        "offer": offer,
        "offer_lines": _offer_lines(offer),
        "spikes": [_spike_text(spike, plan.activity) for spike in usual.spikes],
        **_table(usual),
        "chart": charts.usual_chart(usual, plan.activity),
        "when_form": when_form,
        "form": form,
        "locked": state.phase == BUILD,
        "action": reverse("imports:usual_week")
        + (f"?pain_began={pain_began.isoformat()}" if pain_began != default else ""),
    }
    return render(request, "imports/usual_week.html", context)
