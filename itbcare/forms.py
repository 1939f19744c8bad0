"""Form rendering and widgets shared by every app: one field layout with labels, help and errors tied
to inputs, and the tappable choice widgets (so neither app borrows from the other's forms)."""

from __future__ import annotations

import copy

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


class SiteFormRenderer(TemplatesSetting):
    """The site's form layout (`includes/form.html`, `includes/field.html`).

    The templates every page renders most (the field group, the plain inputs, the textarea, the
    checkbox lists, the error list) are written in Python here (issue 13: a log form rendered
    ~30 templates, a third of its page's time). Each has a template that says the same, the
    source of truth for its markup; `tests/test_widgets.py` renders both for every field of the
    site's forms and asserts the output identical. Any other template renders as usual.
    """

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"

    def render(self, template_name, context, request=None):
        fast = _IN_PYTHON.get(template_name)
        if fast is not None and request is None:
            return mark_safe(fast(context).strip())  # as Django's renderers strip a template's output
        return super().render(template_name, context, request)


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


class _SharedWidgetChoices:
    """A choice widget whose copies share its choices (see `SharedChoices`)."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied


class ChoiceButtons(_SharedWidgetChoices, forms.RadioSelect):
    """Radio buttons drawn as large tap targets (the real inputs stay for keyboards and no-JS).

    Rendered in Python (issue 13): a log form has ~70 options, and the template engine's cost per
    option was most of the form's. `template_name` keeps the same markup as a template, which the
    tests render to prove the two identical.
    """

    template_name = "widgets/choice_buttons.html"

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return self.options_html(name, value, attrs)

    def options_html(self, name, value, attrs=None) -> SafeString:
        """The options straight from the choices, as `optgroups` and the template would write
        them (ids `<id>_<index>`, `checked` last, the first match only); grouped choices take
        the general path."""
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return self.choices_html(self.get_context(name, value, attrs)["widget"])
        attrs = self.build_attrs(self.attrs, attrs)
        ident = attrs.get("id")
        wanted = self.format_value(value)
        esc_name = escape(name)
        parts = ['<div class="choices"', f' id="{escape(ident)}"' if ident else "", ">"]
        found = False
        for index, (option, label) in enumerate(choices):
            option = str(option)
            checked = not found and option in wanted
            found |= checked
            own = f"{ident}_{index}" if ident else ""
            rendered = "".join(
                (f' {name}="{escape(own)}"' if own else "")
                if name == "id"
                else (f" {name}" if item is True else f' {name}="{escape(item)}"')
                for name, item in attrs.items()
                if item is not False and (name != "id" or own)
            )
            parts.append(
                f'<label class="choice" for="{escape(own)}"><input type="{self.input_type}" name="{esc_name}" '
                f'value="{escape(option)}"{rendered}{" checked" if checked else ""}>'
                f"<span>{conditional_escape(label)}</span></label>"
            )
        parts.append("</div>")
        return mark_safe("".join(parts))

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


def _flat(choices) -> list | None:
    """The choices as a list when none is a group (else None: the general path)."""
    found = list(choices)
    return None if any(isinstance(label, (list, tuple)) for _value, label in found) else found


def _option_attrs(attrs: dict, own: str) -> str:
    """An option's attributes as `create_option` makes them: the widget's, the id suffixed."""
    return "".join(
        (f' {name}="{escape(own)}"' if own else "")
        if name == "id"
        else (f" {name}" if item is True else f' {name}="{escape(item)}"')
        for name, item in attrs.items()
        if item is not False
    )


class Select(_SharedWidgetChoices, forms.Select):
    """Django's select, its options written straight from the choices (no option dicts, no
    template per option); grouped choices take the general path. Identical to select.html."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = _flat(self.choices)
        if choices is None:
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        wanted = self.format_value(value)
        parts = [f'<select name="{escape(name)}"{_attrs_s(attrs)}>']
        found = False
        for option, label in choices:
            option = "" if option is None else str(option)
            selected = not found and option in wanted
            found |= selected
            parts.append(
                f'\n  <option value="{escape(option)}"{" selected" if selected else ""}>{conditional_escape(label)}</option>\n'
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class CheckboxSelectMultiple(_SharedWidgetChoices, forms.CheckboxSelectMultiple):
    """Django's checkbox list, written straight from the choices; identical to its templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = _flat(self.choices)
        if choices is None:
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        ident = attrs.get("id")
        wanted = self.format_value(value)
        esc_name = escape(name)
        parts = ["<div", f' id="{escape(ident)}"' if ident else ""]
        if attrs.get("class"):
            parts.append(f' class="{escape(attrs["class"])}"')
        parts.append(">")
        for index, (option, label) in enumerate(choices):
            option = str(option)
            own = f"{ident}_{index}" if ident else ""
            checked = " checked" if option in wanted else ""
            tag = f'<input type="checkbox" name="{esc_name}" value="{escape(option)}"{_option_attrs(attrs, own)}{checked}>'
            label_for = f' for="{escape(own)}"' if own else ""
            parts.append(f"<div>\n    <label{label_for}>{tag}\n {conditional_escape(label)}</label>\n\n</div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))


class SharedChoices:
    """A choice field whose form copies share its choices (never changed in place here).

    Every form deep-copies its fields; for a choice field that walks every choice, and a log
    page's ~100 choices made that about a millisecond (issue 13). Assigning new choices to a
    form's field still works: it replaces the list, it does not change it.
    """

    def __deepcopy__(self, memo):
        memo[id(self._choices)] = self._choices
        return super().__deepcopy__(memo)


class ChoiceField(SharedChoices, forms.ChoiceField):
    widget = Select


class TypedChoiceField(SharedChoices, forms.TypedChoiceField):
    widget = Select


class MultipleChoiceField(SharedChoices, forms.MultipleChoiceField):
    pass


class PainScale(ChoiceButtons):
    """Eleven tappable choices, 0 to 10, with words at both ends (not only a slider)."""

    template_name = "widgets/pain_scale.html"

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = self.options_html(name, value, attrs)
        return format_html(
            '<div class="pain-scale">\n  {}\n\n  <p class="pain-ends"><span>{}</span><span>{}</span></p>\n</div>',
            choices,
            _("0 = no pain"),
            _("10 = worst imaginable"),
        )


# --- The templates written in Python (see SiteFormRenderer) -----------------------------------


def _value(value) -> str:
    # `{{ value|stringformat:'s' }}`: str() then escaped
    return conditional_escape(str(value))


def _input(widget: dict) -> SafeString:
    """django/forms/widgets/input.html (and its trailing newline)."""
    value = "" if widget["value"] is None else format_html(' value="{}"', _value(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>\n', widget["type"], widget["name"], value, _attrs_s(widget["attrs"])
    )


def _attrs_s(attrs: dict) -> SafeString:
    """django/forms/widgets/attrs.html: values through `stringformat:'s'`."""
    return mark_safe(
        "".join(
            f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_value(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def _included_input(context) -> SafeString:
    """text.html, number.html, checkbox.html, …: `{% include "…/input.html" %}` and a newline."""
    return mark_safe(_input(context["widget"]) + "\n")


def _textarea(context) -> SafeString:
    widget = context["widget"]
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>\n',
        widget["name"],
        _attrs_s(widget["attrs"]),
        widget["value"] or "",
    )


def _option(option: dict) -> SafeString:
    """input_option.html (checkbox_option.html and radio_option.html add a newline each)."""
    if not option["wrap_label"]:
        return mark_safe(_input(option) + "\n\n")
    ident = format_html(' for="{}"', option["attrs"]["id"]) if option["attrs"].get("id") else ""
    return format_html("<label{}>{} {}</label>\n\n", ident, _input(option), option["label"])


def _multiple_input(context) -> SafeString:
    """multiple_input.html (checkbox_select.html and radio.html add a newline)."""
    widget = context["widget"]
    ident = widget["attrs"].get("id")
    parts = ["<div", format_html(' id="{}"', ident) if ident else ""]
    if widget["attrs"].get("class"):
        parts.append(format_html(' class="{}"', widget["attrs"]["class"]))
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(format_html("\n  <div><label>{}</label>", group))
        for option in options:
            parts.append(format_html("<div>\n    {}</div>", _option(option)))
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n\n")
    return mark_safe("".join(parts))


def _error_list(context) -> SafeString:
    """django/forms/errors/list/ul.html, as default.html includes it."""
    errors = context["errors"]
    if not errors:
        return mark_safe("")
    ident = format_html(' id="{}_error"', errors.field_id) if getattr(errors, "field_id", None) else ""
    items = format_html_join("", "<li>{}</li>", ((error,) for error in errors))
    return format_html('<ul class="{}"{}>{}</ul>', context["error_class"], ident, items)


def _field_group(context) -> SafeString:
    """includes/field.html."""
    field = context["field"]
    errors = field.errors
    error_class = " field-error" if errors else ""
    errors_html = str(errors) if errors else ""
    help_html = (
        format_html('<div class="help" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    if field.widget_type == "checkbox":
        return format_html(
            '\n<div class="field{}">\n  <div class="check-row">{}<label for="{}">{}</label></div>\n  {}\n  {}\n</div>\n\n',
            error_class, field, field.id_for_label, field.label, help_html, errors_html,
        )  # fmt: skip
    if field.use_fieldset:
        described = field.aria_describedby
        return format_html(
            '\n<fieldset class="field{}"{}>\n  {}\n  {}\n  {}\n  {}\n</fieldset>\n\n',
            error_class,
            format_html(' aria-describedby="{}"', described) if described else "",
            format_html("<legend>{}</legend>", field.label) if field.label else "",
            help_html, errors_html, field,
        )  # fmt: skip
    return format_html(
        '\n<div class="field{}">\n  {}\n  {}\n  {}\n  {}\n</div>\n\n',
        error_class,
        format_html('<label for="{}">{}</label>', field.id_for_label, field.label) if field.label else "",
        help_html, errors_html, field,
    )  # fmt: skip


def _form(context) -> SafeString:
    """includes/form.html."""
    parts = []
    if context["errors"]:
        parts.append(format_html('<div class="errorlist-summary" role="alert">{}</div>', context["errors"]))
    parts.append("\n")
    parts.extend(field.as_field_group() for field, _errors in context["fields"])
    parts.append("\n")
    parts.extend(str(field) for field in context["hidden_fields"])
    parts.append("\n")
    return mark_safe("".join(parts))


def _select(context) -> SafeString:
    """django/forms/widgets/select.html, each option through select_option.html."""
    widget = context["widget"]
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs_s(widget["attrs"]))]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(format_html('\n  <optgroup label="{}">', group))
        for option in options:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    _value(option["value"]),
                    _attrs_s(option["attrs"]),
                    option["label"],
                )
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return mark_safe("".join(parts))


def _compact_select(context) -> SafeString:
    """widgets/compact_select.html: one line per option (a time-zone list has ~400)."""
    widget = context["widget"]
    parts = [f'<select name="{escape(widget["name"])}"{_attrs_s(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n<optgroup label="{conditional_escape(group)}">')
        parts.extend(
            f'\n<option value="{_value(option["value"])}"{" selected" if option["selected"] else ""}>'
            f"{conditional_escape(option['label'])}</option>"
            for option in options
        )
        if group:
            parts.append("\n</optgroup>")
    parts.append("\n</select>\n")
    return mark_safe("".join(parts))


_WIDGETS = "django/forms/widgets/"
_IN_PYTHON = {
    **{
        f"{_WIDGETS}{name}.html": _included_input
        for name in "text number email password url date time datetime hidden checkbox search tel".split()
    },
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}checkbox_select.html": _multiple_input,
    f"{_WIDGETS}radio.html": _multiple_input,
    f"{_WIDGETS}select.html": _select,
    "widgets/compact_select.html": _compact_select,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
    "includes/field.html": _field_group,
    "includes/form.html": _form,
}
