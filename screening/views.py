"""The knee check: one page per step, then the result. Works without JavaScript; htmx swaps steps.

Answers in progress live in the session (in the database, so any worker can serve the next
step). Nothing clinical is decided here: `rules.triage` decides, the views only carry answers.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url

from . import rules
from .context_processors import emergency_call_for
from .forms import ANSWER_CHOICES, StepForm
from .models import Screening
from .services import (
    ANSWERS_KEY,
    DONE_KEY,
    OWNED_KEY,
    first_open_step,
    next_step_after,
    progress,
    screening_finish,
)


def _visible(request: HttpRequest, pk) -> Screening:
    """The person's own screen, or this browser's anonymous one; anything else is 404."""
    owned = request.session.get(OWNED_KEY, [])
    return get_object_or_404(Screening.objects.visible_to(request.user, owned), pk=pk)


def _step_url(step_id: str) -> str:
    if step_id == rules.STEPS[0].id:
        return reverse("screening:start")
    return reverse("screening:step", args=[step_id])


def _render(request: HttpRequest, template: str, context: dict, *, url: str | None = None) -> HttpResponse:
    """Full page normally; only the swappable `screen` region for htmx, with the URL to show."""
    if request.htmx:
        response = render(request, f"{template}#screen", context)
        return push_url(response, url or request.get_full_path())
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step_id: str = "about") -> HttpResponse:
    current = rules.STEPS_BY_ID.get(step_id)
    if current is None:
        raise Http404("No such step")
    answers: dict = request.session.get(ANSWERS_KEY, {})
    done: list[str] = request.session.get(DONE_KEY, [])
    shown = rules.steps_that_matter(answers, done)
    if current not in shown:
        return redirect(_step_url(first_open_step(answers, done).id))
    earlier_open = first_open_step(answers, done)
    if shown.index(current) > shown.index(earlier_open):
        return redirect(_step_url(earlier_open.id))

    earlier = {k: v for k, v in answers.items() if rules.QUESTIONS_BY_ID[k].step != current.id}
    if request.method == "POST":
        form = StepForm(current, request.POST, earlier=earlier)
        if current.id == "urgent" and "none_of_these" in request.POST:
            form.fill_unanswered_with_no()
        if form.is_valid():
            answers = {**earlier, **form.answers()}
            done = [s for s in done if s != current.id] + [current.id]
            request.session[ANSWERS_KEY] = answers
            request.session[DONE_KEY] = done
            following = next_step_after(current, answers, done)
            if following is None:
                screening = screening_finish(user=request.user, answers=answers)
                if not request.user.is_authenticated:
                    request.session[OWNED_KEY] = [*request.session.get(OWNED_KEY, []), str(screening.pk)]
                request.session.pop(ANSWERS_KEY, None)
                request.session.pop(DONE_KEY, None)
                return redirect("screening:result", pk=screening.pk)
            return redirect(_step_url(following.id))
    else:
        form = StepForm(current, initial={k: v for k, v in answers.items() if k not in earlier}, earlier=earlier)

    index = shown.index(current)
    number, total = progress(current, answers, done)
    context = {
        "form": form,
        "step": current,
        "number": number,
        "total": total,
        "previous_url": _step_url(shown[index - 1].id) if index else None,
        "action": _step_url(current.id),
        "page_title": _("%(title)s · Knee check, step %(number)s of %(total)s")
        % {"title": current.title, "number": number, "total": total},
    }
    return _render(request, "screening/step.html", context, url=_step_url(current.id))


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(ANSWERS_KEY, None)
    request.session.pop(DONE_KEY, None)
    return redirect("screening:start")


@require_GET
def result(request: HttpRequest, pk) -> HttpResponse:
    screening = _visible(request, pk)
    outcome = rules.OUTCOME_BY_CODE[screening.outcome]
    context = {
        "screening": screening,
        "outcome": outcome,
        "reasons": [rules.reason_text(r) for r in screening.reasons],
        "page_title": _("%(heading)s · Knee check result") % {"heading": outcome.heading},
        "call": emergency_call_for(request) if outcome.urgency <= rules.Outcome.URGENT_TODAY.urgency else None,
    }
    return _render(request, "screening/result.html", context)


@require_GET
def summary(request: HttpRequest, pk) -> HttpResponse:
    screening = _visible(request, pk)
    # In question order (PostgreSQL's jsonb does not keep the order keys were stored in).
    rows = [
        (question.text, _answer_label(question.id, screening.answers[question.id]))
        for question in rules.QUESTIONS
        if question.id in screening.answers
    ]
    context = {
        "screening": screening,
        "outcome": rules.OUTCOME_BY_CODE[screening.outcome],
        "reasons": [rules.reason_text(r) for r in screening.reasons],
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
    question = rules.QUESTIONS_BY_ID[qid]
    if question.kind == "age":
        return str(value)
    if question.kind == "activity":
        return str(dict(rules.ACTIVITIES).get(value, value))
    return str(dict(ANSWER_CHOICES).get(value, value))
