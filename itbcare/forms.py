"""Form rendering and widgets shared by every app: one field layout with labels, help and errors tied
to inputs, and the tappable choice widgets (so neither app borrows from the other's forms)."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons drawn as large tap targets (the real inputs stay for keyboards and no-JS)."""

    template_name = "widgets/choice_buttons.html"


class PainScale(ChoiceButtons):
    """Eleven tappable choices, 0 to 10, with words at both ends (not only a slider)."""

    template_name = "widgets/pain_scale.html"
