"""Markup written in Python: the one home of every Python twin of a template.

The rule: a piece of markup is written in Python only where the bench shows that it saves at least
1 ms on the bench person's page. Such a twin keeps its template, named `*.spec.html`: the source
of truth for its markup, which no page renders in production; and an equality test renders both
and asserts them identical. Everything else renders from its template.

The twins (and their tests): the form renderer's field group and plain inputs
(`tests/test_form_rendering.py`); the choice buttons and 0-10 scale, the selects and the checkbox
lists of the site's choice fields (`tests/test_widgets.py`; the last two mirror Django's own
templates); the exercise list's items (`tests/rehab/test_exercise_html.py`); the timeline's chart
and grid (`tests/rehab/test_timeline_html.py`). Each measured 1 ms or more on the bench person's
today, log or timeline page (switched off alone, in-process, 2026-12-07); the form layout, textarea,
error lists, Django's own selects and radio and checkbox lists, and the time-zone list measured
less, or are on no bench page, and render from their templates.

Two memories help the form twins, both safe to lose and bounded: lazy texts translated once per
language (`translated`), and an unbound field group's markup by everything it is made from
(`_group_key`). With them gone the bench pages lost 1-2.5 ms; see the README's figures.

Part of the shared kit: it imports no app. What a twin prints comes in as its arguments.
"""

from __future__ import annotations

import copy
from datetime import datetime
from html import escape as _escape

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

#: Lazy texts (labels, help texts, choices) already translated: (lazy function, its arguments,
#: language) -> text. A pure function's results, safe to lose; bounded by the texts in the code.
_TRANSLATED: dict = {}


def translated(value: Promise):
    """`str(value)` for lazy text, remembered per language (a log page translates ~100 labels)."""
    try:
        key = (type(value), value._args, tuple(value._kw.items()), get_language())
        return _TRANSLATED[key]
    except KeyError:
        if len(_TRANSLATED) > 5000:  # lazy texts made at run time with changing arguments
            _TRANSLATED.clear()
        text = _TRANSLATED[key] = str(value)
        return text
    except (AttributeError, TypeError):  # not a plain lazy call (or unhashable arguments)
        return str(value)


def esc(value) -> str:
    """`conditional_escape` without its lazy-text wrapper (a log page escapes ~1,500 values):
    safe markup as it is, anything else `str()` and escaped as Django escapes."""
    if isinstance(value, Promise):  # lazy text: translated first (it may be lazy safe markup)
        value = translated(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    text = str(value)
    # Most values (ids, names, numbers, plain words) hold nothing to escape: five `in` tests are
    # cheaper than `html.escape`'s five replacements.
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return _escape(text)
    return text


class SiteFormRenderer(TemplatesSetting):
    """The site's form layout (`includes/form.html`, `includes/field.spec.html`).

    The templates every plan page renders most, the field group and the plain inputs, are written
    in Python here (a log form rendered ~30 of them); any other template renders as usual.
    """

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.spec.html"

    def render(self, template_name, context, request=None):
        fast = _IN_PYTHON.get(template_name)
        if fast is not None and request is None:
            return mark_safe(fast(context).strip())  # as Django's renderers strip a template's output
        return super().render(template_name, context, request)


class _SharedWidgetChoices:
    """A choice widget whose copies share its choices (see `SharedChoices`)."""

    def __deepcopy__(self, memo):
        copied = copy.copy(self)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied


class ChoiceButtons(_SharedWidgetChoices, forms.RadioSelect):
    """Radio buttons drawn as large tap targets (the real inputs stay for keyboards and no-JS).

    Rendered in Python: a log form has ~70 options, and the template engine's cost per option was
    most of the form's. `template_name` is its spec.
    """

    template_name = "widgets/choice_buttons.spec.html"

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = _flat(self.choices)
        if choices is None:  # grouped choices (none on the site): Django's own path, the spec
            return super().render(name, value, attrs, renderer)
        return self.dressed(self.options_html(choices, name, value, attrs))

    def dressed(self, options: SafeString) -> SafeString:
        return options

    def options_html(self, choices: list, name, value, attrs=None) -> SafeString:
        """The options straight from the choices, as `optgroups` and the template would write
        them (ids `<id>_<index>`, `checked` last, the first match only)."""
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


class PainScale(ChoiceButtons):
    """Eleven tappable choices, 0 to 10, with words at both ends (not only a slider)."""

    template_name = "widgets/pain_scale.spec.html"
    #: The words under both ends (a subclass names its own: a function score's 0 is "unable").
    ends = (gettext_lazy("0 = no pain"), gettext_lazy("10 = worst imaginable"))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["ends"] = self.ends
        return context

    def dressed(self, choices: SafeString) -> SafeString:
        return format_html(
            '<div class="pain-scale">\n  {}\n\n  <p class="pain-ends"><span>{}</span><span>{}</span></p>\n</div>',
            choices,
            *self.ends,
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


def _remembered(store: dict, limit: int, key, choices, write):
    """`write()`, remembered in `store` under `key` (at most `limit` entries; all dropped when
    full). The entry keeps `choices`, whose id is in the key: a reused id cannot match."""
    found = store.get(key)
    if found is not None and found[0] is choices:
        return found[1]
    html = write()
    if len(store) >= limit:
        store.clear()
    store[key] = (choices, html)
    return html


#: Unbound field groups' markup: `_group_key(field)` -> (the widget's choices, the markup).
#: A pure function's results, safe to lose; bounded.
_GROUPS: dict = {}
_GROUPS_MAX = 2000


def _frozen(value):
    """`value` as a dict key that tells apart what renders differently: lists (a multiple
    choice's initial) as tuples, each value with its type (1, 1.0 and True are equal keys but
    not the same text), a datetime with its offset (the same instant is another time of day in
    another zone); TypeError when it cannot be a key."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, datetime):
        return (datetime, value.isoformat())
    hash(value)
    return (type(value), value)


def _group_key(field) -> tuple | None:
    """Everything an unbound field group's markup is made from, or None when it is not made from
    what can be a key (a bound form, whose data and errors vary, or errors added by hand; choices
    copied with every form; typed text; an unhashable attribute).

    The form's class, prefix and id format; the field's name, class, template, label, help
    text, required, disabled, localize and hidden-initial; the widget's class and every
    attribute it holds (its `attrs`, and its choices by identity: never changed in place, and
    the entry keeps the list it was made from); the form's `use_required_attribute`; the value
    (the initial); the language of lazy texts. Typed text is never a key: a person's notes or
    address are written for them and not kept.
    """
    form = field.form
    if form.is_bound or form._errors:  # data, or errors added by hand
        return None
    f = field.field
    widget = f.widget
    choosing = "_choices" in widget.__dict__
    if choosing and not getattr(f, "shares_choices", False):
        return None  # its choices are copied with every form: a new key each time
    value = field.value()
    if isinstance(value, str) and value and not choosing:
        return None  # typed text (notes, an address): rarely the same twice, and kept out of memory
    label, help_text = f.label, f.help_text
    try:
        own = tuple(
            (attr, id(item) if attr == "_choices" else _frozen(item))
            for attr, item in widget.__dict__.items()
            if attr != "attrs"
        )
        return (
            type(form),
            form.prefix,
            form.auto_id,
            form.use_required_attribute,
            field.name,
            field.template_name,
            type(f),
            translated(label) if isinstance(label, Promise) else label,
            translated(help_text) if isinstance(help_text, Promise) else help_text,
            f.required,
            f.disabled,
            f.localize,
            f.show_hidden_initial,
            type(widget),
            tuple((attr, _frozen(item)) for attr, item in widget.attrs.items()),
            own,
            _frozen(value),
            get_language(),
        )
    except TypeError:
        return None


def _field_group(context) -> str:
    """includes/field.spec.html; an unbound field's markup remembered (`_group_key`): a log page's
    groups are the same for every copy of its form with the same initial values."""
    field = context["field"]
    key = _group_key(field)
    if key is None:
        return _write_field_group(field)
    choices = getattr(field.field.widget, "_choices", None)
    return _remembered(_GROUPS, _GROUPS_MAX, key, choices, lambda: _write_field_group(field))


def _write_field_group(field) -> str:
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


_WIDGETS = "django/forms/widgets/"
_IN_PYTHON = {
    **{
        f"{_WIDGETS}{name}.html": _included_input
        for name in "text number email password url date time datetime hidden checkbox search tel".split()
    },
    SiteFormRenderer.field_template_name: _field_group,
}


# --- The exercise list and the timeline ---------------------------------------------------------


#: Stands for an exercise's slug in the URLs `exercise_items` is given.
SLUG = "slug-placeholder"


def exercise_items(
    items,
    *,
    detail_url: str,
    toggle_url: str,
    return_to: str,
    csrf_token: str,
    in_return: bool,
    optional: bool = False,
    hx_target: str = "#exercises",
) -> SafeString:
    """`rehab/partials/exercise_item.spec.html` for each `(exercise, done)`, one after the other.
    `detail_url` and `toggle_url` hold `SLUG` where each exercise's slug goes."""
    detail = detail_url
    toggle = esc(toggle_url)
    data = "data-exercise-optional" if optional else "data-exercise"
    token = esc(csrf_token)
    target = esc(hx_target)
    back = esc(return_to)
    words = {
        "done": esc(_("Done")),
        "undo": esc(_("Undo")),
        "mark": esc(_("Mark done")),
    }
    parts = []
    for exercise, done in items:
        slug = esc(exercise.slug)
        name = esc(_(exercise.name))  # the catalogue's words, translated as the template does
        dose = esc(_(exercise.dosage_return if in_return and exercise.dosage_return else exercise.dosage))
        action = toggle.replace(SLUG, slug)
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
            f'  <span class="exercise-name"><a href="{esc(detail.replace(SLUG, exercise.slug))}">{name}</a> '
            f'<span class="muted exercise-dose">{dose}</span></span>\n\n'
            f'  <form method="post" action="{action}" class="toggle-form"\n'
            f'      data-hx-post="{action}" data-hx-target="{target}" data-hx-swap="outerHTML">\n'
            f'  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
            f'  <input type="hidden" name="next" value="{back}#exercise-{slug}">\n'
            f"  \n{state}"
            "  \n</form>\n\n</li>"
        )
    return mark_safe("\n".join(parts))


# --- The timeline: the chart's SVG, the grid of days, the table's rows -------------------------


def _n(number) -> str:
    """A number as an SVG attribute wants it (never localized: a decimal comma breaks SVG)."""
    return str(number)


def timeline_chart(chart) -> SafeString:
    """`rehab/partials/timeline_chart.spec.html`."""
    x0, x1, bottom = _n(chart.x0), _n(chart.x1), _n(chart.bottom_edge)
    title = esc(
        _(
            "Line chart of your worst daily pain, morning pain and pain during sessions, 0 to 10, by plan day, "
            "with a line at 3 and the checks and plan changes marked. The same numbers are in the table below."
        )
    )
    out = [
        f'<svg class="chart" width="100%" height="{_n(chart.height)}" role="img" aria-labelledby="chart-title">\n',
        f'    <title id="chart-title">{title}</title>\n    ',
    ]
    for y, value in chart.y_ticks:
        out.append(
            f'<line class="grid" x1="{x0}%" x2="{x1}%" y1="{_n(y)}" y2="{_n(y)}"></line>'
            f'<text class="y-label" x="0" y="{_n(y)}" dominant-baseline="middle">{esc(value)}</text>\n    '
        )
    out.append(f'<line class="axis" x1="{x0}%" x2="{x1}%" y1="{bottom}" y2="{bottom}"></line>\n    ')
    label_y = _n(chart.label_y)
    out.extend(
        f'<text class="x-label" x="{_n(x)}%" y="{label_y}" text-anchor="middle">{esc(label)}</text>'
        for x, label in chart.x_ticks
    )
    stop = _n(chart.stop_y)
    out.append(
        f'\n    <line class="stop-line" x1="{x0}%" x2="{x1}%" y1="{stop}" y2="{stop}"></line>\n'
        f'    <text class="stop-label" x="{x1}%" y="{_n(chart.stop_label_y)}" text-anchor="end">'
        f"{esc(_('stop above 3'))}</text>\n    "
    )
    top = _n(chart.top)
    out.extend(
        f'<line class="marker-line" x1="{_n(x)}%" x2="{_n(x)}%" y1="{top}" y2="{bottom}"></line>'
        for x in chart.marker_lines
    )
    out.append("\n    ")
    out.extend(
        f'<text class="marker marker-{esc(m.kind)}" x="{_n(m.x)}%" y="{_n(m.y)}" text-anchor="middle" '
        f'dominant-baseline="middle">{esc(m.glyph)}</text>'
        for m in chart.markers
    )
    out.append("\n    ")
    for series in chart.series:
        name = esc(series.name)
        out.append("\n    ")
        out.extend(
            f'<line class="line-{name}" x1="{_n(a)}%" y1="{_n(b)}" x2="{_n(c)}%" y2="{_n(d)}"></line>'
            for a, b, c, d in series.segments
        )
        out.append("\n    ")
        if series.name == "morning":
            out.extend(
                f'<rect class="dot-morning" x="{_n(x)}%" y="{_n(y)}" width="7" height="7" '
                f'transform="translate(-3.5 -3.5)"></rect>'
                for x, y in series.points
            )
            out.append("\n    ")  # the template's line break before its `else`
        else:
            out.extend(
                f'<circle class="dot-{name}" cx="{_n(x)}%" cy="{_n(y)}" r="3.5"></circle>' for x, y in series.points
            )
        out.append("\n    ")
    out.append("\n  </svg>")
    return mark_safe("".join(out))


def timeline_grid(cells, *, to_come: str, log_label: str, edit_label: str, note_label: str) -> SafeString:
    """`rehab/partials/timeline_grid.spec.html`."""
    to_come, log_label, edit_label, note_label = map(esc, (to_come, log_label, edit_label, note_label))
    out = ['<ol class="timeline-grid">\n  ']
    for cell in cells:
        classes = "timeline-day"
        if cell.phase:
            classes += f" phase-{esc(cell.phase)}"
        current = ""
        if cell.is_today:
            classes += " is-today"
            current = ' aria-current="date"'
        markers = f' <span class="marker-key" aria-hidden="true">{esc(cell.markers)}</span>' if cell.markers else ""
        out.append(
            f'\n  <li class="{classes}"{current}>\n'
            f'    <strong>{esc(cell.title)}</strong>{markers}<br><span class="muted">{esc(cell.date_label)}</span>\n    '
        )
        if cell.future:
            out.append(f'<br><span class="muted">{to_come}</span>')
        else:
            out.append("\n    ")
            for number, line in enumerate(cell.lines, start=1):
                dot = (
                    f'<span class="pain-dot {esc(cell.pain_class)}" aria-hidden="true"></span> '
                    if number == 2 and cell.logged
                    else ""
                )
                out.append(f"<br>{dot}{esc(line)}")
            out.append("\n    ")
            if cell.note:
                out.append(f'<br><span class="note-mark"><span aria-hidden="true">✎</span> {note_label}</span>')
            out.append(
                f'\n    <br><a href="{esc(cell.url)}">{edit_label if cell.logged else log_label}'
                f'<span class="visually-hidden"> {esc(cell.date_long)}</span></a>\n    '
            )
        out.append("\n  </li>\n  ")
    out.append("\n</ol>")
    return mark_safe("".join(out))
