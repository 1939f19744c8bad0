"""Reminders' part of the account settings page: `{% calendar_section %}` (the private calendar
link and the email reminder), so that `accounts` knows nothing of reminders."""

from django import template

from reminders.services import feed_link

register = template.Library()


@register.inclusion_tag("reminders/calendar_section.html", takes_context=True)
def calendar_section(context) -> dict:
    user = context["request"].user
    return {"link": feed_link(user=user), "user": user, "csrf_token": context["csrf_token"]}
