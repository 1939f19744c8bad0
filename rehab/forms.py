"""Forms for the plan: start, daily log, check. Validation lives here; the engine decides the rest."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itbcare.forms import ChoiceButtons, PainScale
from screening.rules import DAILY_RED_FLAGS

from .ladders import ACTIVITIES
from .models import CROSS_TRAINING_MAX, NOTES_MAX, Swelling
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


def pain_field(label, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
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


def yes_no_field(label, *, required: bool = True, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
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
    return date_format(value, "j F Y")


class StartPlanForm(forms.Form):
    start_date = forms.DateField(
        label=_("When did you stop (or when will you stop) the activity that brings on the pain?"),
        help_text=format_lazy(
            _("Today, or up to {days} days ago if you already started resting."), days=MAX_START_DAYS_BACK
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please enter a date like 2026-11-27.")},
    )
    activity = forms.ChoiceField(
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
    activity = forms.ChoiceField(
        label=_("Which activity do you want to return to?"),
        help_text=_("The graded-return sessions follow this activity's ladder."),
        choices=ACTIVITIES,
        widget=ChoiceButtons,
        error_messages={"required": PLEASE_ANSWER, "invalid_choice": PLEASE_ANSWER},
    )


class LogForm(forms.Form):
    """The daily log. Which questions are asked depends on the plan's phase on that date."""

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
    swelling = forms.ChoiceField(
        label=_("Swelling"),
        choices=Swelling.choices,
        required=False,  # unanswered = unknown (null), read as none by the rules (plan.md 2026.2)
        widget=ChoiceButtons,
        error_messages={"required": PLEASE_ANSWER, "invalid_choice": PLEASE_ANSWER},
    )
    nsaid = yes_no_field(
        _("Did you take anti-inflammatory painkillers (such as ibuprofen) today?"), required=False
    )  # unanswered = unknown (null), read as no by the rules (plan.md 2026.2)
    new_symptoms = forms.MultipleChoiceField(
        label=_("Any of these new today? Tick all that apply."),
        choices=RED_FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
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
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please enter a date like 2026-11-27.")},
    )
    check_new_symptoms = forms.MultipleChoiceField(
        label=_("Any of these new this week? Tick all that apply."),
        choices=RED_FLAG_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
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
