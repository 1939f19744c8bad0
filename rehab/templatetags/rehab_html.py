from django import template

from rehab import html

register = template.Library()


@register.simple_tag(takes_context=True)
def exercise_items(context, items, optional=False):
    """The exercise list's items (`rehab/partials/exercise_item.html` each), written in Python."""
    return html.exercise_items(
        items,
        day=context["exercise_day"],
        return_to=context["return_to"],
        csrf_token=str(context.get("csrf_token", "")),
        in_return=bool(context.get("exercise_in_return")),
        optional=optional,
    )


@register.simple_tag
def timeline_chart(chart):
    return html.timeline_chart(chart)


@register.simple_tag
def timeline_grid(cells, **words):
    return html.timeline_grid(cells, **words)
