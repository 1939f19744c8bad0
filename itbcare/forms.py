"""Form rendering and widgets shared by every app: one field layout with labels, help and errors tied
to inputs, and the tappable choice widgets (so neither app borrows from the other's forms)."""

from __future__ import annotations

import copy
from html import escape as _escape

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def esc(value) -> str:
    """`conditional_escape` without its lazy-text wrapper (a log page escapes ~1,500 values):
    safe markup as it is, anything else `str()` and escaped as Django escapes."""
    if isinstance(value, Promise):  # lazy text: translated first (it may be lazy safe markup)
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    text = str(value)
    # Most values (ids, names, numbers, plain words) hold nothing to escape: five `in` tests are
    # cheaper than `html.escape`'s five replacements.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return _escape(text)
    return text


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
        choices = _flat(self.choices)
        if choices is None:
            return self.choices_html(self.get_context(name, value, attrs)["widget"])
        attrs = self.build_attrs(self.attrs, attrs)
        ident = attrs.get("id")
        wanted = self.format_value(value)
        esc_name = esc(name)
        parts = ['<div class="choices"', f' id="{esc(ident)}"' if ident else "", ">"]
        found = False
        for index, (option, label) in enumerate(choices):
            option = str(option)
            checked = not found and option in wanted
            found |= checked
            own = f"{ident}_{index}" if ident else ""
            parts.append(
                f'<label class="choice" for="{esc(own)}"><input type="{self.input_type}" name="{esc_name}" '
                f'value="{esc(option)}"{_option_attrs(attrs, own)}{" checked" if checked else ""}>'
                f"<span>{esc(label)}</span></label>"
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
        (f' {name}="{esc(own)}"' if own else "")
        if name == "id"
        else (f" {name}" if item is True else f' {name}="{esc(item)}"')
        for name, item in attrs.items()
        if item is not False
    )


class Select(_SharedWidgetChoices, forms.Select):
    """Django's select, its options written straight from the choices (no option dicts, no
    template per option); grouped choices take the general path. Identical to select.html."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = _flat(self.choices)
        if choices is None:
            return forms.Select.render(self, name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        wanted = self.format_value(value)
        parts = [f'<select name="{esc(name)}"{_attrs_s(attrs)}>']
        found = False
        for option, label in choices:
            option = "" if option is None else str(option)
            selected = not found and option in wanted
            found |= selected
            parts.append(f'\n  <option value="{esc(option)}"{" selected" if selected else ""}>{esc(label)}</option>\n')
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class CheckboxSelectMultiple(_SharedWidgetChoices, forms.CheckboxSelectMultiple):
    """Django's checkbox list, written straight from the choices; identical to its templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = _flat(self.choices)
        if choices is None:
            return forms.CheckboxSelectMultiple.render(self, name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        ident = attrs.get("id")
        wanted = self.format_value(value)
        esc_name = esc(name)
        parts = ["<div", f' id="{esc(ident)}"' if ident else ""]
        if attrs.get("class"):
            parts.append(f' class="{esc(attrs["class"])}"')
        parts.append(">")
        for index, (option, label) in enumerate(choices):
            option = str(option)
            own = f"{ident}_{index}" if ident else ""
            checked = " checked" if option in wanted else ""
            tag = f'<input type="checkbox" name="{esc_name}" value="{esc(option)}"{_option_attrs(attrs, own)}{checked}>'
            label_for = f' for="{esc(own)}"' if own else ""
            parts.append(f"<div>\n    <label{label_for}>{tag}\n {esc(label)}</label>\n\n</div>")
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
    return esc(str(value))


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (and its trailing newline)."""
    value = "" if widget["value"] is None else f' value="{_value(widget["value"])}"'
    return f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"{value}{_attrs_s(widget["attrs"])}>\n'


def _attrs_s(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: values through `stringformat:'s'`."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{_value(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _included_input(context) -> str:
    """text.html, number.html, checkbox.html, …: `{% include "…/input.html" %}` and a newline."""
    return _input(context["widget"]) + "\n"


def _textarea(context) -> str:
    widget = context["widget"]
    return (
        f'<textarea name="{esc(widget["name"])}"{_attrs_s(widget["attrs"])}>\n{esc(widget["value"] or "")}</textarea>\n'
    )


def _option(option: dict) -> str:
    """input_option.html (checkbox_option.html and radio_option.html add a newline each)."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n"
    ident = f' for="{esc(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{ident}>{_input(option)} {esc(option['label'])}</label>\n\n"


def _multiple_input(context) -> str:
    """multiple_input.html (checkbox_select.html and radio.html add a newline)."""
    widget = context["widget"]
    ident = widget["attrs"].get("id")
    parts = ["<div", f' id="{esc(ident)}"' if ident else ""]
    if widget["attrs"].get("class"):
        parts.append(f' class="{esc(widget["attrs"]["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{esc(group)}</label>")
        parts.extend(f"<div>\n    {_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n\n")
    return "".join(parts)


def _error_list(context) -> str:
    """django/forms/errors/list/ul.html, as default.html includes it."""
    errors = context["errors"]
    if not errors:
        return ""
    ident = f' id="{esc(errors.field_id)}_error"' if getattr(errors, "field_id", None) else ""
    items = "".join(f"<li>{esc(error)}</li>" for error in errors)
    return f'<ul class="{esc(context["error_class"])}"{ident}>{items}</ul>'


def _field_group(context) -> str:
    """includes/field.html."""
    field = context["field"]
    errors = field.errors
    error_class = " field-error" if errors else ""
    errors_html = str(errors) if errors else ""
    help_text = field.help_text
    help_html = f'<div class="help" id="{esc(field.auto_id)}_helptext">{esc(help_text)}</div>' if help_text else ""
    label = field.label
    widget = field.field.widget
    if field.widget_type == "checkbox":
        return (
            f'\n<div class="field{error_class}">\n  <div class="check-row">{field}<label for="{esc(field.id_for_label)}">'
            f"{esc(label)}</label></div>\n  {help_html}\n  {errors_html}\n</div>\n\n"
        )
    if widget.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{esc(described)}"' if described else ""
        legend = f"<legend>{esc(label)}</legend>" if label else ""
        return (
            f'\n<fieldset class="field{error_class}"{described}>\n  {legend}\n  {help_html}\n  {errors_html}\n'
            f"  {field}\n</fieldset>\n\n"
        )
    label_html = f'<label for="{esc(field.id_for_label)}">{esc(label)}</label>' if label else ""
    return f'\n<div class="field{error_class}">\n  {label_html}\n  {help_html}\n  {errors_html}\n  {field}\n</div>\n\n'


def _form(context) -> str:
    """includes/form.html."""
    parts = []
    if context["errors"]:
        parts.append(f'<div class="errorlist-summary" role="alert">{esc(context["errors"])}</div>')
    parts.append("\n")
    parts.extend(field.as_field_group() for field, _errors in context["fields"])
    parts.append("\n")
    parts.extend(str(field) for field in context["hidden_fields"])
    parts.append("\n")
    return "".join(parts)


def _select_markup(widget: dict, indent: str, option) -> str:
    """A select's markup from its template context: `option(option_dict)` writes each option."""
    parts = [f'<select name="{esc(widget["name"])}"{_attrs_s(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n{indent}<optgroup label="{esc(group)}">')
        parts.extend(option(each) for each in options)
        if group:
            parts.append(f"\n{indent}</optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _select(context) -> str:
    """django/forms/widgets/select.html, each option through select_option.html."""
    return _select_markup(
        context["widget"],
        "  ",
        lambda o: f'\n  <option value="{_value(o["value"])}"{_attrs_s(o["attrs"])}>{esc(o["label"])}</option>\n',
    )


def _compact_select(context) -> str:
    """widgets/compact_select.html: one line per option (a time-zone list has ~400)."""
    return _select_markup(
        context["widget"],
        "",
        lambda o: (
            f'\n<option value="{_value(o["value"])}"{" selected" if o["selected"] else ""}>{esc(o["label"])}</option>'
        ),
    )


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
