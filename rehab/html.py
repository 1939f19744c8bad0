"""Markup written in Python where a page repeats it: the exercise list (issue 13).

Each function has a template that says the same (its source of truth for the markup, used
where one item is rendered alone); the tests render both and assert them identical. In a list,
the template engine's cost per item (two includes, two URL look-ups, a CSRF field) was a third
of today's page.
"""

from __future__ import annotations

from datetime import date

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from itbcare.forms import esc
from itbcare.urlcache import cached_reverse

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
    detail = cached_reverse("rehab:exercise", _SLUG)
    toggle = esc(cached_reverse("rehab:exercise_done", day, _SLUG))
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
        name = esc(exercise.name)
        dose = esc(exercise.dosage_return if in_return and exercise.dosage_return else exercise.dosage)
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
            f'  <span class="exercise-name"><a href="{esc(detail.replace(_SLUG, exercise.slug))}">{name}</a> '
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
    """`rehab/partials/timeline_chart.html`."""
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
    """`rehab/partials/timeline_grid.html`."""
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
