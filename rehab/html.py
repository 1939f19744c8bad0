"""Markup written in Python where a page repeats it: the exercise list (issue 13).

Each function has a template that says the same (its source of truth for the markup, used
where one item is rendered alone); the tests render both and assert them identical. In a list,
the template engine's cost per item (two includes, two URL look-ups, a CSRF field) was a third
of today's page.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_SLUG = "slug-placeholder"


def exercise_items(
    items,
    *,
    day: date,
    return_to: str,
    csrf_token: str,
    in_return: bool,
    optional: bool = False,
    hx_target: str = "#exercises",
) -> SafeString:
    """`rehab/partials/exercise_item.html` for each `(exercise, done)`, one after the other."""
    detail = reverse("rehab:exercise", args=[_SLUG])
    toggle = escape(reverse("rehab:exercise_done", args=[day, _SLUG]))
    data = "data-exercise-optional" if optional else "data-exercise"
    token = escape(csrf_token)
    target = escape(hx_target)
    back = escape(return_to)
    words = {
        "done": escape(_("Done")),
        "undo": escape(_("Undo")),
        "mark": escape(_("Mark done")),
    }
    parts = []
    for exercise, done in items:
        slug = escape(exercise.slug)
        name = escape(exercise.name)
        dose = escape(exercise.dosage_return if in_return and exercise.dosage_return else exercise.dosage)
        action = toggle.replace(_SLUG, slug)
        if done:
            state = (
                '  <input type="hidden" name="done" value="0">\n'
                f'  <span class="done-status"><span aria-hidden="true">✓</span> {words["done"]}</span>\n'
                f'  <button type="submit" class="button button-secondary undo-button">{words["undo"]}'
                f'<span class="visually-hidden">: {name}</span></button>\n'
            )
        else:
            state = (
                '  <input type="hidden" name="done" value="1">\n'
                f'  <button type="submit" class="button button-secondary done-button">{words["mark"]}'
                f'<span class="visually-hidden">: {name}</span></button>\n'
            )
        parts.append(
            f'<li class="exercise-item" id="exercise-{slug}" {data}="{slug}" data-done="{"true" if done else "false"}">\n'
            f'  <span class="exercise-name"><a href="{escape(detail.replace(_SLUG, exercise.slug))}">{name}</a> '
            f'<span class="muted exercise-dose">{dose}</span></span>\n\n'
            f'  <form method="post" action="{action}" class="toggle-form"\n'
            f'      data-hx-post="{action}" data-hx-target="{target}" data-hx-swap="outerHTML">\n'
            f'  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
            f'  <input type="hidden" name="next" value="{back}#exercise-{slug}">\n'
            f"  \n{state}"
            "  \n</form>\n\n</li>"
        )
    return mark_safe("\n".join(parts))
