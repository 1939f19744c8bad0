"""Forms for the plan: start, daily log, check. Validation lives here; the engine decides the rest."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kit import forms as site_forms
from kit.twins import ChoiceButtons, PainScale
from screening.rules import DAILY_RED_FLAGS

from .buildback import DEFAULT_BUILD_DAYS, Activity
from .ladders import ACTIVITIES
from .models import (
    ACTIVITY_DURATION_MAX,
    ACTIVITY_KM_MAX,
    CROSS_TRAINING_MAX,
    KM_MIN,
    NO_DISTANCE_KINDS,
    NOTES_MAX,
    PSFS_NAME_MAX,
    TARGET_KM_MAX,
    TARGET_MINUTES,
    ActivityKind,
    Swelling,
)
from .progression import PlanState

MAX_START_DAYS_BACK = 60
PLEASE_ANSWER = _("Please answer this question.")

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
PAIN_CHOICES = [(str(n), str(n)) for n in range(11)]

#: The daily red-flag list, worded for a daily check (values are screening ids: a contract).
_DAILY_WORDING = {
    "hot_swollen_fever": _("The knee is hot, red and swollen, and I have a fever or chills or feel unwell"),
    "chest_or_breathing": _("New chest pain, sudden breathlessness or coughing up blood"),
    "foot_cold_or_numb": _("The foot has turned cold, pale or blue, or gone numb or weak"),
    "calf_swelling": _("One calf or thigh is painful, swollen, warm or red"),
    "locked_knee": _("The knee is locked: I can't fully straighten it"),
    "catching_giving_way": _("The knee catches, locks for a moment, clicks painfully or gives way"),
    "night_or_rest_pain": _("The pain wakes me at night or stays when I rest"),
    "numbness_shin_foot": _("Numbness, tingling or burning down the outside of the shin or on top of the foot"),
}
RED_FLAG_CHOICES = [(flag, _DAILY_WORDING[flag]) for flag in DAILY_RED_FLAGS]


def pain_field(label, *, required: bool = True, help_text: str = "") -> site_forms.TypedChoiceField:
    return site_forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        required=required,
        empty_value=None,
        widget=PainScale,
        help_text=help_text,
        error_messages={
            "required": _("Please choose a number from 0 to 10."),
            "invalid_choice": _("Please choose a number from 0 to 10."),
        },
    )


def yes_no_field(label, *, required: bool = True, help_text: str = "") -> site_forms.TypedChoiceField:
    return site_forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        required=required,
        empty_value=None,
        widget=ChoiceButtons,
        help_text=help_text,
        error_messages={"required": PLEASE_ANSWER, "invalid_choice": PLEASE_ANSWER},
    )


def _day(value: date) -> str:
    return date_format(value, _("j F Y"))


class StartPlanForm(forms.Form):
    start_date = forms.DateField(
        label=_("When did you stop (or when will you stop) the activity that brings on the pain?"),
        help_text=format_lazy(
            _("Today, or up to {days} days ago if you already started resting."), days=MAX_START_DAYS_BACK
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date like 2026-11-27.")},
    )
    activity = site_forms.ChoiceField(
        label=_("Which activity do you want to return to?"),
        choices=ACTIVITIES,
        widget=ChoiceButtons,
        error_messages={"required": PLEASE_ANSWER, "invalid_choice": PLEASE_ANSWER},
    )

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["start_date"].widget.attrs.update(
            min=(today - timedelta(days=MAX_START_DAYS_BACK)).isoformat(), max=today.isoformat()
        )

    def clean_start_date(self) -> date:
        value = self.cleaned_data["start_date"]
        if value > self.today:
            raise forms.ValidationError(_("The start date can't be in the future. Start today instead."))
        earliest = self.today - timedelta(days=MAX_START_DAYS_BACK)
        if value < earliest:
            raise forms.ValidationError(
                _("The start date can be at most %(days)s days ago (%(day)s).")
                % {"days": MAX_START_DAYS_BACK, "day": _day(earliest)}
            )
        return value


class ActivityForm(forms.Form):
    activity = site_forms.ChoiceField(
        label=_("Which activity do you want to return to?"),
        help_text=_("The graded-return sessions follow this activity's ladder."),
        choices=ACTIVITIES,
        widget=ChoiceButtons,
        error_messages={"required": PLEASE_ANSWER, "invalid_choice": PLEASE_ANSWER},
    )


class LogForm(forms.Form):
    """The daily log. Which questions are asked depends on the plan's phase on that date."""

    #: The quick log's "More details" and "Warning signs" sections, folded unless they hold something.
    MORE_DETAILS = ("pain_morning", "cross_training_minutes", "swelling", "nsaid", "notes")
    WARNING_SIGNS = ("new_symptoms",)
    #: The full log page's folded "More details" (morning pain stays in view there).
    LOG_PAGE_MORE = ("cross_training_minutes", "swelling", "nsaid", "notes")

    def holds_any(self, names) -> bool:
        """Whether any of these fields has an error or a value (its folded section opens)."""
        return any(self[name].errors or self[name].value() for name in names if name in self.fields)

    def holds_notable(self, names) -> bool:
        """Whether any of these fields has an error or an answer worth seeing: not "none", "no"
        or 0 (the full log page's folded sections open for those)."""
        quiet = (None, "", "none", "no", False, 0, "0", [], ())
        return any(self[name].errors or self[name].value() not in quiet for name in names if name in self.fields)

    pain_worst = pain_field(_("Worst outside-knee pain in the last 24 hours"))
    pain_morning = pain_field(_("Pain when you got up this morning"), required=False, help_text=_("Optional."))
    rested = yes_no_field(
        _("Did you rest from the activity that brings on the pain today?"),
        help_text=_("Running, cycling or whatever brings on the outside-knee pain."),
        required=False,  # plan.md 2026.2: pain_worst alone saves a day; unanswered counts as not kept
    )
    cross_training_minutes = forms.IntegerField(
        label=_("Minutes of other exercise that didn't hurt (swimming, pool running…)"),
        required=False,
        min_value=0,
        max_value=CROSS_TRAINING_MAX,
        help_text=_("Optional. 0 to 600 minutes."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Please enter whole minutes, from 0 to 600."),
            "min_value": _("Please enter whole minutes, from 0 to 600."),
            "max_value": _("Please enter whole minutes, from 0 to 600."),
        },
    )
    session_done = yes_no_field(_("Did you do today's session?"))
    pain_during = pain_field(_("Worst outside-knee pain during the session"), required=False)
    stopped_early = yes_no_field(_("Did you stop early because of pain or a limp?"), required=False)
    swelling = site_forms.ChoiceField(
        label=_("Swelling"),
        choices=Swelling.choices,
        required=False,  # unanswered = unknown (null), read as none by the rules (plan.md 2026.2)
        widget=ChoiceButtons,
        error_messages={"required": PLEASE_ANSWER, "invalid_choice": PLEASE_ANSWER},
    )
    nsaid = yes_no_field(
        _("Did you take anti-inflammatory painkillers (such as ibuprofen) today?"), required=False
    )  # unanswered = unknown (null), read as no by the rules (plan.md 2026.2)
    new_symptoms = site_forms.MultipleChoiceField(
        label=_("Any of these new today? Tick all that apply."),
        choices=RED_FLAG_CHOICES,
        required=False,
        widget=site_forms.CheckboxSelectMultiple,
        help_text=_("These are warning signs: ticking one pauses the plan and tells you where to get help."),
        error_messages={"invalid_choice": _("Please tick only the signs listed.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional, up to 2000 characters."),
    )

    def __init__(self, *args, ask_rested: bool, ask_session: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ask_rested, self.ask_session = ask_rested, ask_session
        if not ask_rested:
            del self.fields["rested"]
        if not ask_session:
            for name in ("session_done", "pain_during", "stopped_early"):
                del self.fields[name]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.ask_session:
            if cleaned.get("session_done"):
                for name in ("pain_during", "stopped_early"):
                    if cleaned.get(name) is None and name not in self.errors:
                        self.add_error(name, PLEASE_ANSWER)
            else:
                cleaned["pain_during"] = cleaned["stopped_early"] = None
        return cleaned


class CheckForm(forms.Form):
    """The progress check (`/rehab/check/`); field names are the contract ids."""

    date = forms.DateField(
        label=_("Date you did the check"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Please enter a date like 2026-11-27.")},
    )
    check_new_symptoms = site_forms.MultipleChoiceField(
        label=_("Any of these new this week? Tick all that apply."),
        choices=RED_FLAG_CHOICES,
        required=False,
        widget=site_forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Please tick only the signs listed.")},
    )
    check_daily_pain = pain_field(_("Worst pain with everyday activity this week, going down stairs included"))
    check_walk_30 = yes_no_field(_("Can you walk briskly for 30 minutes without pain?"))
    check_squat_pain = pain_field(
        _("Pain during 10 slow single-leg squats on that leg"),
        help_text=_("Stand on the sore leg, hold a support, bend the knee a little and stand up again, 10 times."),
    )
    check_hop_pain = pain_field(
        _("Pain during 30 seconds of gentle hopping on that leg"),
        help_text=_("Small, gentle hops. Stop at once if it hurts a lot."),
    )

    def __init__(self, *args, state: PlanState, start_date: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.state, self.start_date = state, start_date

    def clean_date(self) -> date:
        value = self.cleaned_data["date"]
        due = self.state.check_due_date
        if value > self.state.today:
            raise forms.ValidationError(_("The check's date can't be in the future."))
        if value < self.start_date:
            raise forms.ValidationError(
                _("The check's date can't be before your plan started (%(day)s).") % {"day": _day(self.start_date)}
            )
        if due is not None and value < due:
            raise forms.ValidationError(_("The check is due on %(day)s, not before.") % {"day": _day(due)})
        return value


# --- Build-back (load.md 2026.2): activity entries, the build-phase log, the usual week ----------

ACTIVITIES_PREFIX = "activities"
MAX_ACTIVITIES = 10
DAY_MINUTES = 1440
BLANK_ROWS = 2  # without JavaScript: the saved rows plus this many empty ones (at most 10 in all)
RPE_CHOICES = [("", _("Not rated"))] + [(str(n), str(n)) for n in range(11)]
KIND_CHOICES = [("", _("Choose an activity"))] + list(ActivityKind.choices)
ACTIVITY_MINUTES_ERROR = format_lazy(_("Please enter whole minutes, from 1 to {most}."), most=ACTIVITY_DURATION_MAX)
ACTIVITY_KM_ERROR = _("Please enter kilometres from 0.1 to 300.0, with at most one decimal place.")
NO_DISTANCE_ERROR = _("Leave the distance empty for gym or pool running: only the minutes count.")
KIND_MISSING = _("Please choose which activity this was.")
MINUTES_MISSING = _("Please enter how many minutes it lasted.")
DAY_TOTAL_ERROR = format_lazy(
    _("A day has {minutes} minutes: together your activities can't be longer than that."), minutes=DAY_MINUTES
)
TOO_MANY_ROWS = format_lazy(_("Please log at most {count} activities a day."), count=MAX_ACTIVITIES)


class ActivityEntryForm(forms.Form):
    """One activity of the day (load.md §1): kind, minutes, optional km and session effort.

    Every field is optional here so that a blank row is simply ignored; a row with anything in it
    needs its kind and minutes."""

    kind = site_forms.ChoiceField(
        label=_("Activity"),
        choices=KIND_CHOICES,
        required=False,
        error_messages={"invalid_choice": KIND_MISSING},
    )
    duration_min = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        min_value=1,
        max_value=ACTIVITY_DURATION_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": ACTIVITY_MINUTES_ERROR,
            "min_value": ACTIVITY_MINUTES_ERROR,
            "max_value": ACTIVITY_MINUTES_ERROR,
        },
    )
    distance_km = forms.DecimalField(
        label=_("Distance in km (optional)"),
        required=False,
        min_value=KM_MIN,
        max_value=ACTIVITY_KM_MAX,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
        error_messages={
            "invalid": ACTIVITY_KM_ERROR,
            "min_value": ACTIVITY_KM_ERROR,
            "max_value": ACTIVITY_KM_ERROR,
            "max_digits": ACTIVITY_KM_ERROR,
            "max_decimal_places": ACTIVITY_KM_ERROR,
            "max_whole_digits": ACTIVITY_KM_ERROR,
        },
    )
    rpe = site_forms.TypedChoiceField(
        label=_("How hard was the whole session? 0–10 (optional)"),
        choices=RPE_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Please choose a number from 0 to 10.")},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        self.blank = not self.errors and all(cleaned.get(name) in (None, "") for name in self.fields)
        if self.blank:
            return {}
        kind = cleaned.get("kind")
        if not kind and "kind" not in self.errors:
            self.add_error("kind", KIND_MISSING)
        if cleaned.get("duration_min") is None and "duration_min" not in self.errors:
            self.add_error("duration_min", MINUTES_MISSING)
        if kind in NO_DISTANCE_KINDS and cleaned.get("distance_km") is not None:
            self.add_error("distance_km", NO_DISTANCE_ERROR)
        return cleaned


UNLIKELY_PACE = _(
    "%(km)s km in %(minutes)s minutes would beat the world record. Please check the distance and the minutes, "
    "or tick “These numbers are right” below."
)
UNLIKELY_DAY = _(
    "Together your activities come to %(total)s minutes, more than today has had so far (%(elapsed)s). Please "
    "check the minutes, or tick “These numbers are right” below."
)
CONFIRM_FIELD = f"{ACTIVITIES_PREFIX}-confirm"


class BaseActivityFormSet(forms.BaseFormSet):
    """The day's activity entries: blank rows ignored, at most 10 rows, ≤ 1440 minutes in all.

    Unlikely entries (rehab.plausible: a pace beyond the world record, or more minutes than today
    has had so far) are asked about next to the field and saved once "These numbers are right" is
    ticked (`activities-confirm`); nothing typed is lost."""

    @property
    def fold_from(self) -> int:
        """Rows from this index on fold behind "Add another activity": the saved rows and one
        empty row stay in view."""
        return self.initial_form_count() + 1

    @property
    def fold_open(self) -> bool:
        """The folded rows open when one of them holds something typed, or an error."""
        return any(form.errors or (form.is_bound and form.has_changed()) for form in self.forms[self.fold_from :])

    #: Minutes since midnight when the log is today's (the "day so far" check); None otherwise.
    minutes_so_far: int | None = None
    confirm_needed: bool = False

    @property
    def confirmed(self) -> bool:
        return self.is_bound and self.data.get(CONFIRM_FIELD) == "yes"

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        total = 0
        for form in self.forms:
            if getattr(form, "blank", True):
                continue
            total += form.cleaned_data["duration_min"]
            if total > DAY_MINUTES:
                form.add_error("duration_min", DAY_TOTAL_ERROR)
                return
        if not self.confirmed:
            self.ask_unlikely()

    def ask_unlikely(self) -> None:
        from .plausible import unlikely_entries

        filled = [
            (i, form.cleaned_data["kind"], form.cleaned_data["duration_min"], form.cleaned_data.get("distance_km"))
            for i, form in enumerate(self.forms)
            if not getattr(form, "blank", True)
        ]
        total = sum(minutes for _i, _kind, minutes, _km in filled)
        for found in unlikely_entries(filled, self.minutes_so_far):
            form = self.forms[found.row]
            if found.reason == "pace":
                _i, _kind, minutes, km = next(row for row in filled if row[0] == found.row)
                message = UNLIKELY_PACE % {"km": km, "minutes": minutes}
            else:
                hours, mins = divmod(self.minutes_so_far or 0, 60)
                message = UNLIKELY_DAY % {"total": total, "elapsed": f"{hours}:{mins:02d}"}
            form.add_error(found.field, message)
            self.confirm_needed = True

    def entries(self) -> list[Activity]:
        """The filled rows, in order, as the engine's entries (call after `is_valid()`)."""
        return [
            Activity(
                kind=form.cleaned_data["kind"],
                duration_min=form.cleaned_data["duration_min"],
                distance_km=form.cleaned_data.get("distance_km"),
                rpe=form.cleaned_data.get("rpe"),
            )
            for form in self.forms
            if not getattr(form, "blank", True)
        ]


_ActivityFormSet = forms.formset_factory(
    ActivityEntryForm,
    formset=BaseActivityFormSet,
    extra=0,
    max_num=MAX_ACTIVITIES,
    absolute_max=MAX_ACTIVITIES,
    validate_max=True,
)


def activity_formset(
    data=None, *, entries=(), suggested: int | None = None, minutes_so_far: int | None = None
) -> BaseActivityFormSet:
    """The formset (prefix `activities`, a contract) for a day's saved `entries`, with blank rows
    after them. `suggested`: the ladder's minutes on a `return` session day, shown as a hint in the
    first blank row, never filled in (an entry is only ever what the person typed)."""
    initial = [
        {"kind": e.kind, "duration_min": e.duration_min, "distance_km": e.distance_km, "rpe": e.rpe} for e in entries
    ]
    formset = _ActivityFormSet(
        data,
        initial=initial,
        prefix=ACTIVITIES_PREFIX,
        form_kwargs={"empty_permitted": False, "use_required_attribute": False},
    )
    formset.extra = max(0, min(BLANK_ROWS, MAX_ACTIVITIES - len(initial)))
    formset.error_messages = {**formset.error_messages, "too_many_forms": TOO_MANY_ROWS}
    formset.suggested = suggested
    formset.minutes_so_far = minutes_so_far
    if suggested and data is None and len(formset.forms) > len(initial):
        formset.forms[len(initial)].fields["duration_min"].widget.attrs["placeholder"] = str(suggested)
    return formset


def session_noun(activity: str) -> str:
    return str(_SESSION_NOUN.get(activity, _SESSION_NOUN["other"]))


_SESSION_NOUN = {
    "running": _("run"),
    "cycling": _("ride"),
    "hiking": _("hike"),
    "gym": _("gym session"),
    "other": _("session"),
}


class BuildLogForm(LogForm):
    """The daily log in `build` (load.md §1): "session done" is asked every day and, when left
    unanswered, is yes iff the log holds an entry of the plan's activity; an answer that
    contradicts the entries is refused. Yes still needs the session pain and "stopped early"."""

    def __init__(self, *args, activity: str, main_logged: bool | None, **kwargs) -> None:
        super().__init__(*args, ask_rested=False, ask_session=True, **kwargs)
        self.activity, self.main_logged = activity, main_logged
        self.fields["session_done"].required = False
        self.fields["session_done"].help_text = format_lazy(
            _("Left unanswered, it counts as yes if you add a {noun} below."), noun=session_noun(activity)
        )

    def clean(self) -> dict:
        cleaned = self.cleaned_data
        done = cleaned.get("session_done")
        noun = session_noun(self.activity)
        if "session_done" not in self.errors and self.main_logged is not None:
            if done is None:
                cleaned["session_done"] = self.main_logged
            elif done and not self.main_logged:
                self.add_error(
                    "session_done",
                    _("Add the %(noun)s you did below, or answer no to this question.") % {"noun": noun},
                )
            elif not done and self.main_logged:
                self.add_error(
                    "session_done",
                    _("You added a %(noun)s below: answer yes here, or remove it.") % {"noun": noun},
                )
        return super().clean()


# --- The usual week ("where you once were", load.md §2) -----------------------------------------

TARGET_MINUTES_ERROR = format_lazy(
    _("Please enter whole minutes a week, from {low} to {high}."), low=TARGET_MINUTES[0], high=TARGET_MINUTES[1]
)
TARGET_KM_ERROR = _("Please enter kilometres a week from 0.1 to 500.0, with at most one decimal place.")
KM_ALONE_ERROR = _(
    "Please add the minutes too: the plan counts minutes. For example 40 km at about 6 minutes per km is about "
    "240 minutes."
)
BUILD_DAYS_ERROR = _("Please tick 2 to 6 days.")
GOAL_LOCKED_ERROR = _("You are building back toward this goal, so it can't be removed now. You can change the number.")
WEEKDAY_CHOICES = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
BUILD_DAYS_RANGE = (2, 6)


def target_minutes_name(activity: str) -> str:
    return f"target_{activity}_minutes"


def target_km_name(activity: str) -> str:
    return f"target_{activity}_km"


class TargetForm(forms.Form):
    """The usual week per activity and the build days; field names are load.md's contract ids.

    `locked`: the plan is building back, so the plan activity's minutes can't be cleared."""

    build_days = site_forms.MultipleChoiceField(
        label=_("Which days can you train on?"),
        help_text=_("Tick 2 to 6 days. Build-back suggests sessions on these days; the rest are for recovery."),
        choices=WEEKDAY_CHOICES,
        widget=site_forms.CheckboxSelectMultiple,
        error_messages={"required": BUILD_DAYS_ERROR, "invalid_choice": BUILD_DAYS_ERROR},
    )

    def __init__(self, *args, plan_activity: str, locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan_activity, self.locked = plan_activity, locked
        fields = {}
        order = [plan_activity] + [code for code, _label in ACTIVITIES if code != plan_activity]
        labels = dict(ACTIVITIES)
        for code in order:
            main = code == plan_activity
            fields[target_minutes_name(code)] = forms.IntegerField(
                label=format_lazy(_("{activity}: minutes a week"), activity=labels[code]),
                help_text=(
                    _("Your usual week before the pain. This one sets your build-back goal.")
                    if main
                    else _("Optional: shown on your build-back chart, never decides.")
                ),
                required=main and locked,
                min_value=TARGET_MINUTES[0],
                max_value=TARGET_MINUTES[1],
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "required": GOAL_LOCKED_ERROR,
                    "invalid": TARGET_MINUTES_ERROR,
                    "min_value": TARGET_MINUTES_ERROR,
                    "max_value": TARGET_MINUTES_ERROR,
                },
            )
            if code != "gym":
                fields[target_km_name(code)] = forms.DecimalField(
                    label=format_lazy(_("{activity}: km a week (optional)"), activity=labels[code]),
                    required=False,
                    min_value=KM_MIN,
                    max_value=TARGET_KM_MAX,
                    max_digits=4,
                    decimal_places=1,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
                    error_messages={
                        key: TARGET_KM_ERROR
                        for key in (
                            "invalid",
                            "min_value",
                            "max_value",
                            "max_digits",
                            "max_decimal_places",
                            "max_whole_digits",
                        )
                    },
                )
        build_days = self.fields.pop("build_days")
        self.fields.update(fields)
        self.fields["build_days"] = build_days

    def clean_build_days(self) -> list[str]:
        days = self.cleaned_data["build_days"]
        if not BUILD_DAYS_RANGE[0] <= len(days) <= BUILD_DAYS_RANGE[1]:
            raise forms.ValidationError(BUILD_DAYS_ERROR)
        return [code for code, _label in WEEKDAY_CHOICES if code in days]

    def clean(self) -> dict:
        cleaned = super().clean()
        for code, _label in ACTIVITIES:
            minutes, km = target_minutes_name(code), target_km_name(code)
            if cleaned.get(km) is not None and cleaned.get(minutes) is None and minutes not in self.errors:
                self.add_error(minutes, KM_ALONE_ERROR)
        return cleaned

    def rows(self) -> dict[str, tuple[int, Decimal | None]]:
        """{activity: (minutes, km)} for the rows filled in (call after `is_valid()`)."""
        found = {}
        for code, _label in ACTIVITIES:
            minutes = self.cleaned_data.get(target_minutes_name(code))
            if minutes is not None:
                found[code] = (minutes, self.cleaned_data.get(target_km_name(code)))
        return found

    def activity_fields(self):
        """(minutes field, km field or None) per activity, the plan's own first (for the template)."""
        for name in self.fields:
            if name.endswith("_minutes"):
                km = name.removesuffix("_minutes") + "_km"
                yield self[name], (self[km] if km in self.fields else None)


def target_initial(targets, build_days) -> dict:
    """The target form's values from the saved rows and the plan's build days."""
    initial: dict[str, object] = {"build_days": list(build_days)}
    for code, row in targets.items():
        initial[target_minutes_name(code)] = row.minutes
        initial[target_km_name(code)] = row.km
    return initial


class StartTargetForm(TargetForm):
    """The same usual-week fields on `/rehab/start/` (load.md §2), all optional there: nothing
    filled in means no goal yet; build days left unticked are the default ones."""

    def __init__(self, *args, plan_activity: str, **kwargs) -> None:
        super().__init__(*args, plan_activity=plan_activity, locked=False, **kwargs)
        self.fields["build_days"].required = False

    def clean_build_days(self) -> list[str]:
        if not self.cleaned_data.get("build_days"):
            return list(DEFAULT_BUILD_DAYS)
        return super().clean_build_days()


# --- The function score (PSFS, rehab/change.py) -------------------------------------------------


class FunctionScale(PainScale):
    """The pain scale's eleven tappable choices, with the function score's words at the ends."""

    ends = (_("0 = unable to do it"), _("10 = as well as before the problem"))


class PsfsNamesForm(forms.Form):
    """Up to three activities the knee makes hard, in the person's own words."""

    name_1 = forms.CharField(
        label=_("Activity 1"),
        max_length=PSFS_NAME_MAX,
        required=False,
        help_text=_('For example "run 10 km", "walk down stairs" or "cycle to work".'),
    )
    name_2 = forms.CharField(label=_("Activity 2 (optional)"), max_length=PSFS_NAME_MAX, required=False)
    name_3 = forms.CharField(label=_("Activity 3 (optional)"), max_length=PSFS_NAME_MAX, required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(f"name_{n}") for n in range(1, 4)):
            self.add_error("name_1", _("Please name at least one activity your knee makes hard."))
        return cleaned

    def names(self) -> dict[int, str]:
        return {n: self.cleaned_data.get(f"name_{n}") or "" for n in range(1, 4)}


class PsfsRateForm(forms.Form):
    """One 0–10 rating for each activity still rated (`score_<activity id>`)."""

    def __init__(self, data=None, *, activities, initial=None):
        super().__init__(data, initial=initial)
        self.activities = tuple(activities)
        for activity in self.activities:
            self.fields[f"score_{activity.id}"] = site_forms.TypedChoiceField(
                # The activity's name is the fieldset's legend (templates/rehab/psfs.html): a
                # person's own words never stand in a field's label (nor in the field memory).
                label=_("How well can you do it today?"),
                choices=PAIN_CHOICES,
                coerce=int,
                empty_value=None,
                widget=FunctionScale,
                error_messages={
                    "required": _("Please choose a number from 0 to 10."),
                    "invalid_choice": _("Please choose a number from 0 to 10."),
                },
            )

    def items(self):
        """(activity, bound field) for each activity, in order."""
        return [(activity, self[f"score_{activity.id}"]) for activity in self.activities]

    def scores(self) -> dict[int, int]:
        return {activity.id: self.cleaned_data[f"score_{activity.id}"] for activity in self.activities}
