"""The knee check: one page at a time, then the result. Works without JavaScript; htmx swaps pages.

Answers in progress live in the session (in the database, so any worker can serve the next
page). Nothing clinical is decided here: `rules.triage` decides and `flow.Flow` says which pages
follow; the views only carry answers.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from . import flow, rules, urgent_care, versions
from .context_processors import emergency_call_for
from .forms import ANSWER_CHOICES, PageForm
from .models import Screening
from .services import ANSWERS_KEY, DEFERRED_KEY, DONE_KEY, OWNED_KEY, screening_finish


def _visible(request: HttpRequest, pk) -> Screening:
    """The person's own screen, or this browser's anonymous one; anything else is 404."""
    owned = request.session.get(OWNED_KEY, [])
    return get_object_or_404(Screening.objects.visible_to(request.user, owned), pk=pk)


def _page_url(page_id: str) -> str:
    if page_id == flow.PAGE_SPECS[0].id:
        return reverse("screening:start")
    return reverse("screening:step", args=[page_id])


def _render(request: HttpRequest, template: str, context: dict, *, url: str | None = None) -> HttpResponse:
    """Full page normally; only the swappable `screen` region for htmx, with the URL to show."""
    if request.htmx:
        response = render(request, f"{template}#screen", context)
        return push_url(response, url or request.get_full_path())
    return render(request, template, context)


def _in_progress(request: HttpRequest) -> tuple[dict, list[str], list[str]]:
    """The screen in progress: answers, pages done, questions deferred to the check pages.

    Anything a rules version no longer knows (a retired id, an invalid value, a session from
    before an upgrade) is dropped rather than trusted: that question is simply asked again.
    """
    stored = request.session.get(ANSWERS_KEY, {})
    answers = {qid: value for qid, value in stored.items() if rules.is_valid_answer(qid, value)}
    done = [p for p in request.session.get(DONE_KEY, []) if isinstance(p, str)]
    deferred = [q for q in request.session.get(DEFERRED_KEY, []) if q in rules.QUESTIONS_BY_ID]
    return answers, done, deferred


def _clear_progress(request: HttpRequest) -> None:
    for key in (ANSWERS_KEY, DONE_KEY, DEFERRED_KEY):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, page_id: str = "about") -> HttpResponse:
    if page_id not in flow.PAGE_IDS:
        raise Http404("No such page")
    answers, done, deferred = _in_progress(request)
    current = flow.Flow.build(answers, done, deferred, current=page_id)
    page = current.current
    if page is None:
        return redirect(_page_url(current.first_open.id))
    if current.is_ahead(page):
        return redirect(_page_url(current.first_open.id))

    earlier = {k: v for k, v in answers.items() if k not in page.question_ids}
    if request.method == "POST":
        form = PageForm(page, request.POST, earlier=earlier)
        if page.none_of_these and "none_of_these" in request.POST:
            form.fill_unanswered_with_no()
        if form.is_valid():
            submission = form.submission
            answers = {**earlier, **form.answers()}
            done = [p for p in done if p != page.id] + [page.id]
            deferred = flow.deferred_after(page, deferred, submission)
            request.session[ANSWERS_KEY] = answers
            request.session[DONE_KEY] = done
            request.session[DEFERRED_KEY] = deferred
            # The same answers as the form's: its rank is reused, so no second triage here.
            following = flow.Flow.build(answers, done, deferred, rank=submission.rank).after(page)
            if following is None:
                screening = screening_finish(user=request.user, answers=answers)
                if not request.user.is_authenticated:
                    request.session[OWNED_KEY] = [*request.session.get(OWNED_KEY, []), str(screening.pk)]
                _clear_progress(request)
                return redirect("screening:result", pk=screening.pk)
            return redirect(_page_url(following.id))
    else:
        form = PageForm(page, initial={k: v for k, v in answers.items() if k not in earlier}, earlier=earlier)

    previous = current.previous
    context = {
        "form": form,
        "page": page,
        "step": page.step,
        "number": current.number,
        "total": current.total,
        "previous_url": _page_url(previous.id) if previous else None,
        "action": _page_url(page.id),
        "page_title": _("%(title)s · Knee check, step %(number)s of %(total)s")
        % {"title": page.heading, "number": current.number, "total": current.total},
    }
    return _render(request, "screening/step.html", context, url=_page_url(page.id))


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    _clear_progress(request)
    return redirect("screening:start")


@require_GET
def result(request: HttpRequest, pk) -> HttpResponse:
    screening = _visible(request, pk)
    outcome = rules.OUTCOME_BY_CODE[screening.outcome]
    words = versions.wording(screening.version)
    call = same_day = None
    if outcome.urgency <= rules.Outcome.URGENT_TODAY.urgency:
        call = emergency_call_for(request)
    if outcome is rules.Outcome.URGENT_TODAY:
        # The main action is same-day care in the person's country; the emergency number is a
        # smaller link inside the sentence that says when to use it.
        same_day = urgent_care.line_for(call["country"])
    context = {
        "screening": screening,
        "outcome": outcome,
        "reasons": [words.reason(r) for r in screening.reasons],
        "page_title": _("%(heading)s · Knee check result") % {"heading": outcome.heading},
        "call": call,
        "same_day": same_day,
        "same_day_care": rules.SAME_DAY_CARE,
        "generic_same_day": urgent_care.GENERIC_ACTION,
    }
    return _render(request, "screening/result.html", context)


@require_GET
def summary(request: HttpRequest, pk) -> HttpResponse:
    screening = _visible(request, pk)
    # In the order that version asked them, in its own words (PostgreSQL's jsonb does not keep
    # the order keys were stored in; a retired question such as walking_or_groin_pain still reads).
    words = versions.wording(screening.version)
    rows = [(text, _answer_label(qid, value)) for qid, text, value in words.rows(screening.answers)]
    context = {
        "screening": screening,
        "outcome": rules.OUTCOME_BY_CODE[screening.outcome],
        "reasons": [words.reason(r) for r in screening.reasons],
        "rows": rows,
    }
    return render(request, "screening/summary.html", context)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    screenings = list(Screening.objects.for_user(request.user).only("id", "taken_at", "outcome"))
    for screening in screenings:
        screening.heading = rules.OUTCOME_BY_CODE[screening.outcome].heading
    return render(request, "screening/history.html", {"screenings": screenings})


def _answer_label(qid: str, value) -> str:
    if qid == "age":
        return str(value)
    if qid == "activity":
        return str(dict(rules.ACTIVITIES).get(value, value))
    return str(dict(ANSWER_CHOICES).get(value, value))
