"""Reminders' part of the account settings page: `{% calendar_section %}` (the private calendar
link), so that `accounts` knows nothing of reminders."""

from django import template
from django.urls import reverse

from reminders.services import absolute, feed_link

register = template.Library()


@register.inclusion_tag("reminders/calendar_section.html", takes_context=True)
def calendar_section(context) -> dict:
    link = feed_link(user=context["request"].user)
    url = absolute(reverse("reminders:feed", kwargs={"token": link.token}))
    return {
        "calendar_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "csrf_token": context["csrf_token"],
    }
