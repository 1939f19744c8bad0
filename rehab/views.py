"""The plan's pages. Thin: parse the request, call a form / service / selector, render.

Every view works on the signed-in person's own plan only; none takes another person's id.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kit.offline import offline_copy
from kit.urls import cached_reverse, safe_next
from screening.models import Screening

from . import charts, explain, exports, guide, outcomes, replay, selectors, services
from .buildback import DEFAULT_BUILD_DAYS, l8_minutes
from .explain import build_advice, build_session_rules, describe_all, offer_build
from .forms import (
    ACTIVITIES_PREFIX,
    ActivityForm,
    BuildLogForm,
    CheckForm,
    LogForm,
    PsfsNamesForm,
    PsfsRateForm,
    StartPlanForm,
    StartTargetForm,
    TargetForm,
    activity_formset,
    target_initial,
)
from .ladders import ACTIVITIES, SESSION_RULES, level_minutes, session_text
from .models import Exercise, Plan, log_form_initial
from .progression import ACTIVE, BUILD, PLAN_DAYS, REST, RETURN
from .schedule import OPTIONAL
from .selectors import PlanPage, user_today
from .timing import timing


def _or_404(page: PlanPage | None) -> PlanPage:
    if page is None:
        raise Http404("No plan yet")
    return page


def _exercise_context(page: PlanPage, day: date, return_to: str) -> dict:
    """The exercises due on `day` and whether each is done, plus that week's adherence."""
    info = page.state.day_of(day)
    due = info.exercises_due if info else ()
    library = page.library
    done = page.done_on(day)
    number = page.state.week_bounds(day)[2]
    week = next((w for w in page.state.adherence(page.done, day, day) if w.number == number), None)
    optional = [] if page.state.status != ACTIVE else [(library[s], s in done) for s in OPTIONAL if s in library]
    return {
        "exercise_day": day,
        "exercises": [(library[slug], slug in done) for slug in due if slug in library],
        "optional_exercises": optional,
        "week": week,
        "return_to": return_to,
        "exercise_in_return": bool(info and info.phase == RETURN),
    }


REST_REMINDER = explain.REST_REMINDER


def _day(value: date) -> str:
    return date_format(value, _("l j F Y"))


# --- Dashboard ------------------------------------------------------------------------------


@login_required
@require_GET
@offline_copy
def today(request: HttpRequest) -> HttpResponse:
    page = selectors.today_page(request.user, user_today())
    if page is None:
        latest = Screening.objects.for_user(request.user).only("outcome", "taken_at").first()
        return render(request, "rehab/no_plan.html", {"latest": latest})
    return _render_today(request, page)


def _render_today(
    request: HttpRequest,
    page: PlanPage,
    *,
    form: LogForm | None = None,
    formset=None,
    announce: str = "",
    fragment: bool = False,
) -> HttpResponse:
    """Today's page (or, for htmx, its `#today-page` region) from the page already loaded.

    `form` is the quick log as posted (invalid: errors by the fields, everything typed kept);
    without one it is the day's log form with the saved answers, or nothing chosen.
    """
    state, plan = page.state, page.plan
    day = state.today
    log = page.logs.get(day)
    info = state.days[-1] if state.days else None
    if form is None and info is not None:
        form, formset, _bound = _log_forms(None, plan=plan, info=info, log=log)
    elif form is None:  # before the plan's first day
        form = LogForm(initial=log_form_initial(log), ask_rested=False, ask_session=False)
    exercises = _exercise_context(page, day, cached_reverse("rehab:today"))
    week = exercises["week"]
    context = {
        "plan": plan,
        "state": state,
        "progress": min(max(state.day, 0), PLAN_DAYS),
        "log": log,
        "today": day,
        "form": form,
        "formset": formset,
        "announce": announce,
        "log_url": cached_reverse("rehab:log", day),
        "more_open": form.holds_any(LogForm.MORE_DETAILS),
        "signs_open": form.holds_any(LogForm.WARNING_SIGNS),
        "day_heading": explain.day_heading(state),
        "status_line": explain.status_line(state, plan.activity),
        "today_messages": (
            messages_today := explain.today_messages(
                state,
                plan.activity,
                rested_today=log.rested if log else None,
                logs=page.logs,
                build_days=plan.build_days,
            )
        ),
        # The flare message names the next session (date and level) once: the card doesn't repeat it.
        "flare_today": any(message.flare for message in messages_today),
        "hold": explain.hold(state, logs=state.logged_dates, checks=page.checks),
        "streak": explain.logging_streak(state, week_first=week.first if week else day),
        "session": session_text(plan.activity, state.level) if state.level else None,
        "session_rules": SESSION_RULES,
        "in_rest": state.phase == REST,
        "in_return": state.phase == RETURN,
        "in_build": state.phase == BUILD,
        "today_info": info,
        **exercises,
        **_build_today_context(page, day),
        "outcome": page.outcome(),
    }
    template = "rehab/today.html#today-page" if fragment else "rehab/today.html"
    return render(request, template, context)


# --- Starting a plan ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if Plan.objects.filter(user=request.user).exists():
        messages.info(request, _("You already have a plan. Here it is."))
        return redirect("rehab:today")
    latest = Screening.objects.for_user(request.user).first()
    if latest is None or not latest.result.plan_allowed:
        return render(request, "rehab/start_refused.html", {"latest": latest}, status=200)
    day = user_today()
    initial = {"start_date": day, "activity": latest.answers.get("activity", "running")}
    data = request.POST if request.method == "POST" else None
    form = StartPlanForm(data, initial=initial, today=day)
    chosen = data.get("activity") if data is not None and data.get("activity") in dict(ACTIVITIES) else None
    target_form = StartTargetForm(
        data, initial={"build_days": list(DEFAULT_BUILD_DAYS)}, plan_activity=chosen or initial["activity"]
    )
    if request.method == "POST" and form.is_valid() and target_form.is_valid():
        services.plan_start(
            user=request.user,
            screening=latest,
            **form.cleaned_data,
            targets=target_form.rows(),
            build_days=target_form.cleaned_data["build_days"],
        )
        messages.success(request, _("Your 30-day plan has started. Here is what to do today."))
        return redirect("rehab:today")
    return render(request, "rehab/start.html", {"form": form, "target_form": target_form, "screening": latest})


@login_required
@require_GET
@offline_copy
def plan(request: HttpRequest) -> HttpResponse:
    """The whole plan in one page: the ladders, the check, the rules and why. Readable before a
    plan starts (the generic ladders); with a plan, its own ladder is marked from the engine."""
    page = selectors.outcome_page(request.user)
    state = page.state if page else None
    activity = page.plan.activity if page else None
    labels = {name: str(field.label) for name, field in CheckForm.base_fields.items()}
    context = {
        "plan": page.plan if page else None,
        "state": state,
        "ladders": guide.ladders(activity, state),
        "check_items": guide.check_items(labels),
        "numbers": guide.shape(),
        "rest_rules": guide.rest_rules(),
        "session_rules": guide.session_rules(),
        "pain_rules": guide.pain_rules(),
        "eject_rules": guide.eject_rules(),
        "in_return": bool(state and state.phase == RETURN),
        "day_heading": explain.day_heading(state) if state else "",
        "phases": charts.phase_spans(state) if state else (),
        "offer_build": explain.offer_build(state, has_goal=page.goal is not None) if state else None,
        "outcome": page.outcome() if page else None,
    }
    return render(request, "rehab/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest) -> HttpResponse:
    """Change the plan's activity (its ladder); everything derived follows on the next page."""
    plan = get_object_or_404(Plan, user=request.user)
    form = ActivityForm(request.POST if request.method == "POST" else None, initial={"activity": plan.activity})
    if request.method == "POST" and form.is_valid() and form.cleaned_data["activity"] != plan.activity:
        # load.md §2: while building back toward a goal, the activity can't change.
        if _or_404(selectors.plan_page(request.user)).state.phase == BUILD:
            form.add_error(
                "activity",
                _("You are building back toward your usual week of %(activity)s, so the activity can't change now.")
                % {"activity": plan.get_activity_display().lower()},
            )
    if request.method == "POST" and form.is_valid():
        services.plan_set_activity(plan=plan, activity=form.cleaned_data["activity"])
        messages.success(
            request,
            _("Saved. Your sessions now follow the %(activity)s ladder.")
            % {"activity": plan.get_activity_display().lower()},
        )
        return redirect("rehab:today")
    return render(request, "rehab/plan_settings.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest) -> HttpResponse:
    plan = get_object_or_404(Plan, user=request.user)
    if request.method == "POST":
        services.plan_delete(plan=plan)
        messages.success(request, _("Your plan and its logs were deleted. You can take the knee check again."))
        return redirect("screening:start")
    return render(request, "rehab/plan_delete.html", {"plan": plan})


# --- Daily log ------------------------------------------------------------------------------


@login_required
@require_GET
def log_today(request: HttpRequest) -> HttpResponse:
    return redirect("rehab:log", day=user_today().isoformat())


@login_required
@require_http_methods(["GET", "POST"])
def log_day(request: HttpRequest, day: date) -> HttpResponse:
    """A day's log (`/rehab/log/<day>/`, plan.md). Today's quick log posts here too (`from=today`,
    plan.md 2026.2), and its own view answers it. A log sent from a phone's offline queue is
    answered by `_log_replay`."""
    if replay.is_replay(request):
        return _log_replay(request, day)
    if request.method == "POST" and request.POST.get("from") == "today" and day == user_today():
        return quick_log(request)
    # The day's log (with its activity entries), its exercise list and, for a held plan, the
    # checks: one query.
    page = _or_404(selectors.log_page(request.user, day))
    if (refused := _refusal(page, day)) is not None:
        return _refused(request, page, refused)
    return _log_form(request, page, day)


def _log_replay(request: HttpRequest, day: date) -> HttpResponse:
    """A day's log (the quick log or the log page's form) saved on a phone while offline and
    sent now: applied at most once, never over a later entry from another device (rehab/replay.py)."""
    if (foreign := replay.not_theirs(request)) is not None:
        return foreign
    try:
        write = replay.parse(request)
    except ValueError:
        return replay.refused(request, _("It was not sent in full. Please enter it again."))
    page = selectors.log_page(request.user, day)
    if page is None:
        return replay.refused(request, _("You have no plan to log it in."), str(write.key))
    if (stored := services.written(page.plan, write.key)) is not None:
        return replay.answer(request, stored)
    if (refused := _refusal(page, day)) is not None:
        return replay.refused(request, refused, str(write.key))
    existing = page.logs.get(day)
    form, formset, with_activities = _log_forms(request.POST, plan=page.plan, info=page.state.day_of(day), log=existing)
    if not _valid(form, formset, with_activities):
        return replay.invalid(request, day, write, form)
    written = services.log_replay(
        plan=page.plan,
        day=day,
        data=form.cleaned_data,
        write=write,
        activities=formset.entries() if with_activities else None,
        previous=existing.activities if existing else (),
        today=page.state.today,
    )
    return replay.answer(request, written)


def _log_form(request: HttpRequest, page: PlanPage, day: date) -> HttpResponse:
    """The log page's form: saved when valid (what the save changed said once, on the next page),
    else the page again with the errors by the fields and everything typed kept."""
    state, plan = page.state, page.plan
    info = state.day_of(day)
    data = request.POST if request.method == "POST" else None
    form, formset, with_activities = _log_forms(data, plan=plan, info=info, log=page.logs.get(day))
    if data is not None and _valid(form, formset, with_activities):
        saved = _save_log(page, day, form, formset, with_activities)
        if day != state.today:  # today's page says what fired today itself (once)
            events = saved.state.events_on(day)
            for sentence in describe_all(
                saved.state, events, plan.activity, logs={day: saved.row}, flare_words=True, build_days=plan.build_days
            ):
                if sentence:
                    messages.info(request, sentence)
            if saved.row.rested is False and info.phase == REST:
                messages.info(request, REST_REMINDER)
        messages.success(request, _("Saved your log for %(day)s.") % {"day": _day(day)})
        return redirect("rehab:today" if day == state.today else "rehab:timeline")
    context = {
        "form": form,
        "formset": formset,
        "log_url": cached_reverse("rehab:log", day),
        "plan": plan,
        "state": state,
        "info": info,
        "in_build": info.phase == BUILD,
        # The rarer fields fold away unless they hold something (or an error), so a common day
        # fits two phone screens; the activity rows stay open in build-back and on session days.
        "more_open": form.holds_notable(LogForm.LOG_PAGE_MORE),
        "signs_open": form.holds_notable(LogForm.WARNING_SIGNS),
        "activities_shown": info.phase == BUILD,
        "activities_open": bool(formset.total_error_count() or formset.initial_form_count()),
        "when": day,
        "existing": page.logs.get(day),
        "is_today": day == state.today,
        "session": session_text(plan.activity, info.level) if info.session_day and info.level else None,
        "previous_url": cached_reverse("rehab:log", day - timedelta(days=1)),
        "next_url": cached_reverse("rehab:log", day + timedelta(days=1)),
        **_exercise_context(page, day, request.path),
    }
    return render(request, "rehab/log.html", context)


@login_required
@require_POST
def quick_log(request: HttpRequest) -> HttpResponse:
    """Today's log from today's page (plan.md 2026.2), saved as the log page saves it. Without
    JavaScript a redirect to today's page; with htmx today's region again, rendered from the row
    and the state the save returned (no second read, no second replay)."""
    day = user_today()
    page = _or_404(selectors.today_page(request.user, day))
    if (refused := _refusal(page, day)) is not None:  # before the plan's first day
        return _refused(request, page, refused)
    form, formset, with_activities = _log_forms(
        request.POST, plan=page.plan, info=page.state.day_of(day), log=page.logs.get(day)
    )
    if not _valid(form, formset, with_activities):  # today's page again, the errors by the fields
        return _render_today(request, page, form=form, formset=formset, fragment=bool(request.htmx))
    saved = _save_log(page, day, form, formset, with_activities)
    if not request.htmx:
        return HttpResponseRedirect(reverse("rehab:today") + "#today-log")
    announce = _("Saved today's log: worst pain %(pain)s out of 10.") % {"pain": saved.row.pain_worst}
    after = selectors.after_log_saved(page, day, saved.row, saved.state)
    return _render_today(request, after, announce=announce, fragment=True)


def _refusal(page: PlanPage, day: date) -> str | None:
    """Why `day` can't be logged (before the plan's start, or not yet happened), or None."""
    if day < page.plan.start_date:
        return _("Your plan started on %(start)s, so you can't log a day before it.") % {
            "start": _day(page.plan.start_date)
        }
    if day > page.state.today:
        return _("%(day)s hasn't happened yet: you can log today or earlier days.") % {"day": _day(day)}
    return None


def _refused(request: HttpRequest, page: PlanPage, message: str) -> HttpResponse:
    return render(request, "rehab/log_refused.html", {"message": message, "state": page.state, "plan": page.plan})


def _valid(form, formset, with_activities: bool) -> bool:
    return form.is_valid() and (not with_activities or formset.is_valid())


def _save_log(page: PlanPage, day: date, form, formset, with_activities: bool) -> services.Saved:
    """The one save of a day's log, for the log page and the quick log: the entries replace the
    saved ones only when the form posted them (a 2026.1 client keeps them)."""
    existing = page.logs.get(day)
    return services.log_save(
        plan=page.plan,
        day=day,
        data=form.cleaned_data,
        activities=formset.entries() if with_activities else None,
        previous=existing.activities if existing else (),
        today=page.state.today,
    )


def _log_forms(data, *, plan: Plan, info, log):
    """The day's log form and its activity formset (load.md §1), bound to `data` if posted.

    A POST without `activities-TOTAL_FORMS` (a 2026.1 client) leaves the saved entries alone: the
    formset is then unbound and only the log form is checked. In `build` the log form asks
    "session done" every day and checks the answer against the entries.
    """
    saved = log.activities if log else ()
    with_activities = data is not None and f"{ACTIVITIES_PREFIX}-TOTAL_FORMS" in data
    suggested = None
    if info.phase == RETURN and info.session_day and info.level:
        suggested = level_minutes(plan.activity, info.level)
    minutes_so_far = None
    if data is not None and info.date == user_today():  # today: no more minutes than the day has had
        now = timezone.localtime()
        minutes_so_far = now.hour * 60 + now.minute
    formset = activity_formset(
        data if with_activities else None, entries=saved, suggested=suggested, minutes_so_far=minutes_so_far
    )
    initial = log_form_initial(log)
    if info.phase == BUILD and info.status == ACTIVE:
        main_logged = None
        if data is not None:
            if with_activities:
                entries = formset.entries() if formset.is_valid() else None
            else:
                entries = saved
            main_logged = None if entries is None else any(e.kind == plan.activity for e in entries)
        form = BuildLogForm(data, initial=initial, activity=plan.activity, main_logged=main_logged)
    else:
        form = LogForm(data, initial=initial, ask_rested=info.phase == REST, ask_session=info.session_day)
    return form, formset, with_activities


# --- The progress check ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    page = _or_404(selectors.plan_page(request.user))
    state = page.state
    if not state.check_due:
        return render(request, "rehab/check_not_due.html", {"state": state, "plan": page.plan})
    form = CheckForm(
        request.POST if request.method == "POST" else None,
        initial={"date": state.today},
        state=state,
        start_date=page.plan.start_date,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.check_save(plan=page.plan, data=form.cleaned_data, today=state.today)
        if saved.row.date != state.today:  # today's page says what a check of today decided (once)
            after = saved.state  # the save's own replay: no second one here
            for sentence in describe_all(after, after.events_on(saved.row.date), page.plan.activity):
                messages.info(request, sentence)
        return redirect("rehab:today")
    return render(request, "rehab/check.html", {"form": form, "state": state, "plan": page.plan})


# --- Exercises ------------------------------------------------------------------------------


@login_required
@require_POST
def exercise_done(request: HttpRequest, day: date, slug: str) -> HttpResponse:
    """Tick (done=1) or untick (done=0) an exercise for a date; htmx swaps the list in place."""
    when = day
    page = _or_404(selectors.exercise_page(request.user, when, slug))
    if not page.plan.start_date <= when <= page.state.today:
        raise Http404("Outside the plan")
    exercise = page.library.get(slug)
    if exercise is None:
        raise Http404("No such exercise")
    done = request.POST.get("done") == "1"
    if replay.is_replay(request):  # a tick saved on a phone while offline, sent now
        if (foreign := replay.not_theirs(request)) is not None:
            return foreign
        try:
            write = replay.parse(request)
        except ValueError:
            return replay.refused(request, _("It was not sent in full. Please tick it again."))
        return replay.answer(
            request, services.tick_replay(plan=page.plan, day=when, exercise=exercise, done=done, write=write)
        )
    services.exercise_toggle(plan=page.plan, day=when, exercise=exercise, done=done)
    page = page.ticked(when, slug, done=done)
    # Back to the page it was ticked on, at the exercise itself (not the top of the page).
    back = safe_next(request, request.POST.get("next"), reverse("rehab:today")).split("#")[0]
    if request.htmx:
        announce = _announce(exercise, done)
        if request.htmx.target == _anchor(slug):  # the exercise's own page
            context = {**_mark_context(page, exercise, when), "announce": announce}
            return render(request, "rehab/partials/exercise_mark.html", context)
        context = {**_exercise_context(page, when, back), "state": page.state, "announce": announce}
        return render(request, "rehab/partials/exercises.html", context)
    return HttpResponseRedirect(f"{back}#{_anchor(slug)}")


def _anchor(slug: str) -> str:
    """The id of an exercise's element on every page that ticks it."""
    return f"exercise-{slug}"


def _mark_context(page: PlanPage, exercise: Exercise, day: date) -> dict:
    """The exercise page's "Mark done" block for `day`."""
    info = page.state.day_of(day)
    return {
        "exercise": exercise,
        "exercise_day": day,
        "done": exercise.slug in page.done_on(day),
        "due": bool(info and exercise.slug in info.exercises_due),
        "return_to": reverse("rehab:exercise", args=[exercise.slug]),
        "mark_target": "#" + _anchor(exercise.slug),
    }


def _announce(exercise: Exercise, done: bool) -> str:
    if done:
        return _("%(name)s marked done.") % {"name": _(exercise.name)}
    return _("%(name)s marked not done.") % {"name": _(exercise.name)}


@login_required
@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    return render(request, "rehab/exercise_list.html", {"exercises": list(Exercise.objects.all())})


@login_required
@require_GET
@offline_copy
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An exercise's page; with an active plan, "Mark done" for today, and a hold timer or a rep
    counter (JavaScript) for the dosage of the plan's phase."""
    day = user_today()
    page = selectors.exercise_page(request.user, day, slug, today=day)
    mark = None
    in_return = False
    if page is None:
        exercise = get_object_or_404(Exercise, slug=slug)
    else:
        exercise = page.library.get(slug)
        if exercise is None:
            raise Http404("No such exercise")
        in_return = page.state.phase == RETURN
        if page.state.status == ACTIVE:
            mark = _mark_context(page, exercise, day)
    dosage = exercise.dosage_return if in_return and exercise.dosage_return else exercise.dosage
    context = {"exercise": exercise, "mark": mark, "timing": timing(dosage)}
    return render(request, "rehab/exercise_detail.html", context)


# --- Timeline and export --------------------------------------------------------------------


@login_required
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    """One window of days (the plan's days, or a month at a time with `?month=YYYY-MM`); with
    `?history=all` the whole history as one table instead."""
    if request.GET.get("history") == "all":
        page = _or_404(selectors.history_page(request.user))
        whole = charts.Window(first=page.plan.start_date, last=charts.plan_end(page), label="")
        rows = charts.pain_chart(page, whole).rows
        return render(request, "rehab/timeline.html", {**_timeline_context(page), "history": True, "rows": rows})
    page = _or_404(selectors.plan_page(request.user))
    window = charts.timeline_window(page, request.GET.get("month"))
    page = selectors.timeline_page(page, window.first, window.last)  # the window's rows, in one query
    context = {
        **_timeline_context(page),
        "window": window,
        "cells": charts.timeline_cells(page, window),
        "chart": (chart := charts.pain_chart(page, window)),
        "rows": chart.rows,
        "weeks": page.state.adherence(page.done, window.first, window.last),
        "activity_days": charts.activity_days(page, window),
        "build_rows": charts.build_chart(page.state, goal=None).rows if page.state.weeks else (),
        # Words repeated in every cell, translated once.
        "to_come": _("to come"),
        "log_label": _("log"),
        "edit_label": _("edit"),
        "note_label": _("note"),
    }
    return render(request, "rehab/timeline.html", context)


def _timeline_context(page: PlanPage) -> dict:
    state = page.state
    return {
        "plan": page.plan,
        "state": state,
        "rest_kept": state.rest_days_kept,
        "rest_logged": state.rest_days_logged,
        "day_heading": explain.day_heading(state),
        "phases": charts.phase_spans(state),
        "offer_build": explain.offer_build(state, has_goal=page.goal is not None),
        "outcome": page.outcome(),
    }


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    response = exports.json_response(request.user, pretty=request.GET.get("pretty") == "1")
    response["Content-Disposition"] = 'attachment; filename="itbcare-export.json"'
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    return exports.csv_response(request.user)


# --- Build-back (load.md 2026.2): the usual week, the weeks and today's line ---------------------


def _build_today_context(page: PlanPage, day: date) -> dict:
    """Today's build-back line and load advice (templates/rehab/partials/build_today.html), and
    the way into build-back when the plan is done without a usual week (load.md §3)."""
    state = page.state
    info = state.day_of(day)
    build = state.build
    l8 = l8_minutes(page.plan.activity)
    return {
        "build": build,
        "build_easy_minutes": state.session_minutes,
        "build_advice": build_advice(state),
        "build_session_day": bool(build and build.week_start <= day and state.session_due),
        # A counted session today (the engine's own: a run logged, or "session done" ticked).
        "build_done_today": bool(build and info is not None and info.session is not None),
        "build_session_rules": build_session_rules(build.build_days) if build else (),
        # load.md §3: S = L8 × min(3, #build days), spread over the build days: say why a
        # session is shorter than the level 8 just passed.
        "build_l8_minutes": l8,
        "build_shorter": bool(state.session_minutes and l8 and state.session_minutes < l8),
        "offer_build": offer_build(state, has_goal=page.goal is not None),
    }


@login_required
@require_http_methods(["GET", "POST"])
def target(request: HttpRequest) -> HttpResponse:
    """The usual week before the pain ("where you once were") and the build days (load.md §2)."""
    page = _or_404(selectors.target_page(request.user))
    plan, state = page.plan, page.state
    targets = page.targets
    locked = state.phase == BUILD  # the goal can't be cleared while building back toward it
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        initial=target_initial(targets, plan.build_days),
        plan_activity=plan.activity,
        locked=locked,
    )
    if request.method == "POST" and form.is_valid():
        services.target_save(plan=plan, rows=form.rows(), build_days=form.cleaned_data["build_days"], today=state.today)
        messages.success(request, _("Saved your usual week. Your build-back is recalculated from it."))
        return redirect("rehab:build")
    context = {"form": form, "plan": plan, "state": state, "locked": locked, "has_goal": plan.activity in targets}
    return render(request, "rehab/target.html", context)


@login_required
@require_GET
def build(request: HttpRequest) -> HttpResponse:
    """The build-back weeks: a table and the load-vs-pain chart (load.md §5). The weeks and the
    chart are the state's; today's messages read today's log; every target row is listed."""
    page = _or_404(selectors.build_page(request.user, user_today()))
    plan, state = page.plan, page.state
    targets = page.targets
    chart = charts.build_chart(state, goal=page.goal.minutes if page.goal else None)
    context = {
        "plan": plan,
        "state": state,
        "build": state.build,
        "targets": list(targets.values()),
        "goal": page.goal,
        "chart": chart,
        "rows": chart.rows,
        "build_advice": build_advice(state),
        "today_messages": [
            words
            for words in describe_all(
                state,
                state.events_on(state.today),
                plan.activity,
                logs=page.logs,
                flare_words=True,
                build_days=plan.build_days,
            )
            if words
        ],
    }
    return render(request, "rehab/build.html", context)


# --- The function score (PSFS, rehab/change.py and rehab/outcomes.py) ---------------------------


@login_required
@require_http_methods(["GET", "POST"])
def psfs(request: HttpRequest) -> HttpResponse:
    """Today's function score: each named activity rated 0–10 (today's ratings again to change
    them), what the scores mean so far and the table of every rating. Without named activities,
    the naming page first."""
    page = _or_404(selectors.outcome_page(request.user))
    rated = page.psfs.rated
    if not rated:
        return redirect("rehab:psfs_names")
    day = page.state.today
    given = page.psfs.scores.get(day, {})
    form = PsfsRateForm(
        request.POST if request.method == "POST" else None,
        activities=rated,
        initial={f"score_{item.id}": given[item.id] for item in rated if item.id in given},
    )
    if request.method == "POST" and form.is_valid():
        services.psfs_rate(plan=page.plan, day=day, scores=form.scores())
        messages.success(request, _("Saved your function score for %(day)s.") % {"day": _day(day)})
        return redirect("rehab:today")
    context = {
        "plan": page.plan,
        "state": page.state,
        "form": form,
        "today": day,
        "outcome": page.outcome(),
        "table": outcomes.psfs_table(page.psfs),
    }
    return render(request, "rehab/psfs.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def psfs_names(request: HttpRequest) -> HttpResponse:
    """Name (or rename, or stop rating) up to three activities the knee makes hard."""
    page = _or_404(selectors.outcome_page(request.user))
    rated = page.psfs.rated
    form = PsfsNamesForm(
        request.POST if request.method == "POST" else None,
        initial={f"name_{item.position}": item.name for item in rated},
    )
    if request.method == "POST" and form.is_valid():
        services.psfs_name(plan=page.plan, names=form.names(), today=page.state.today)
        messages.success(request, _("Saved your activities. Now rate how well you can do each one today."))
        return redirect("rehab:psfs")
    context = {"plan": page.plan, "state": page.state, "form": form, "renaming": bool(rated)}
    return render(request, "rehab/psfs_names.html", context)
