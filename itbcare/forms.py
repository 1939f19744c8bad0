"""Form rendering and widgets shared by every app: one field layout with labels, help and errors tied
to inputs, and the tappable choice widgets (so neither app borrows from the other's forms)."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


class SiteFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def _attrs(attrs: dict) -> SafeString:
    """HTML attributes as Django's widget templates write them: True bare, False left out."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons drawn as large tap targets (the real inputs stay for keyboards and no-JS).

    Rendered in Python (issue 13): a log form has ~70 options, and the template engine's cost per
    option was most of the form's. `template_name` keeps the same markup as a template, which the
    tests render to prove the two identical.
    """

    template_name = "widgets/choice_buttons.html"

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return self.choices_html(self.get_context(name, value, attrs)["widget"])

    @staticmethod
    def choices_html(widget: dict) -> SafeString:
        options = format_html_join(
            "",
            '<label class="choice" for="{}"><input type="{}" name="{}" value="{}"{}><span>{}</span></label>',
            (
                (
                    option["attrs"].get("id", ""),
                    option["type"],
                    option["name"],
                    option["value"],
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        ident = format_html(' id="{}"', widget["attrs"]["id"]) if widget["attrs"].get("id") else ""
        return format_html('<div class="choices"{}>{}</div>', ident, options)


class PainScale(ChoiceButtons):
    """Eleven tappable choices, 0 to 10, with words at both ends (not only a slider)."""

    template_name = "widgets/pain_scale.html"

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = self.choices_html(self.get_context(name, value, attrs)["widget"])
        return format_html(
            '<div class="pain-scale">\n  {}\n\n  <p class="pain-ends"><span>{}</span><span>{}</span></p>\n</div>',
            choices,
            _("0 = no pain"),
            _("10 = worst imaginable"),
        )
