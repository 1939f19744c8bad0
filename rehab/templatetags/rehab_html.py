"""The Python twins of the exercise list and the timeline (`kit.twins`), fed from the page."""

from django import template

from kit import twins
from kit.urls import cached_reverse

register = template.Library()


def exercise_list(items, *, day, return_to: str, csrf_token: str, in_return: bool, optional: bool = False):
    """The exercise list's items for `day` (`rehab/partials/exercise_item.spec.html` each)."""
    return twins.exercise_items(
        items,
        detail_url=cached_reverse("rehab:exercise", twins.SLUG),
        toggle_url=cached_reverse("rehab:exercise_done", day, twins.SLUG),
        return_to=return_to,
        csrf_token=csrf_token,
        in_return=in_return,
        optional=optional,
    )


@register.simple_tag(takes_context=True)
def exercise_items(context, items, optional=False):
    return exercise_list(
        items,
        day=context["exercise_day"],
        return_to=context["return_to"],
        csrf_token=str(context.get("csrf_token", "")),
        in_return=bool(context.get("exercise_in_return")),
        optional=optional,
    )


@register.simple_tag
def timeline_chart(chart):
    return twins.timeline_chart(chart)


@register.simple_tag
def timeline_grid(cells, **words):
    return twins.timeline_grid(cells, **words)
