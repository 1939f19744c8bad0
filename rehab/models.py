"""Facts people entered about their plan, and the constraints that keep them true.

Nothing derivable is stored: phase, level, status, sessions, advice and events all come from
`rehab.progression.compute` over these rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from screening.rules import DAILY_RED_FLAGS

from .buildback import DEFAULT_BUILD_DAYS, KINDS
from .ladders import ACTIVITIES
from .progression import CheckEntry, LogEntry
from .schedule import schedule_of

PAIN_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]
NOTES_MAX = 2000
CROSS_TRAINING_MAX = 600


class Swelling(models.TextChoices):
    NONE = "none", _("None")
    LOCAL = "local", _("A small puffy spot over the outside bump")
    WHOLE_KNEE = "whole_knee", _("The whole knee is swollen")


def _pain_range(field: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0, f"{field}__lte": 10})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"%(class)s_{field}_0_10")


def default_build_days() -> list[str]:
    return list(DEFAULT_BUILD_DAYS)


class Plan(models.Model):
    """A person's 30-day plan, started from a screen whose outcome was `itbs_likely`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan")
    #: The screen the plan was started from (it never resumes its own plan).
    screening = models.ForeignKey(
        "screening.Screening", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    activity = models.CharField(_("activity"), max_length=16, choices=ACTIVITIES)
    #: Build-back's session days (load.md §2), weekday codes "mon".."sun", 2–6 of them.
    build_days = models.JSONField(default=default_build_days)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Plan of {self.user} from {self.start_date}"


class DailyLog(models.Model):
    """One day's log. One per plan and date: saving the same date again updates it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="logs")
    date = models.DateField()
    pain_worst = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    pain_morning = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    #: Asked in the rest phase: did you rest from the activity that brings on the pain today?
    rested = models.BooleanField(null=True, blank=True)
    cross_training_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(CROSS_TRAINING_MAX)]
    )
    #: Asked in the return phase on a session day.
    session_done = models.BooleanField(null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    stopped_early = models.BooleanField(null=True, blank=True)
    #: Unanswered = unknown (null), read by the rules as "none" / no (plan.md 2026.2).
    swelling = models.CharField(max_length=16, choices=Swelling.choices, null=True, blank=True)  # noqa: DJ001 (unknown ≠ "")
    nsaid = models.BooleanField(null=True, blank=True)
    #: Ticked daily red flags (screening ids, see `progression.DAILY_RED_FLAGS`).
    new_symptoms = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: When the person entered these answers: the save's own moment, or, for an entry sent from a
    #: phone's offline queue, the moment it was saved on the phone (on the server's clock). The
    #: offline queue's conflict rule reads it; null on logs saved before it existed (updated_at).
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_log_per_plan_and_date"),
            _pain_range("pain_worst"),
            _pain_range("pain_morning", nullable=True),
            _pain_range("pain_during", nullable=True),
            models.CheckConstraint(
                condition=Q(cross_training_minutes__lte=CROSS_TRAINING_MAX) | Q(cross_training_minutes__isnull=True),
                name="dailylog_cross_training_max",
            ),
            models.CheckConstraint(
                condition=Q(swelling__in=Swelling.values) | Q(swelling__isnull=True), name="dailylog_swelling_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Log {self.date}"

    def entry(self) -> LogEntry:
        return log_entry(self)


#: A log's columns in the export's order (`itbcare.export/1`); pages read them as plain rows.
LOG_COLUMNS = (
    "date",
    "pain_worst",
    "pain_morning",
    "rested",
    "session_done",
    "pain_during",
    "stopped_early",
    "swelling",
    "nsaid",
    "new_symptoms",
    "cross_training_minutes",
    "notes",
)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def log_values(log) -> dict[str, object]:
    """A log's answers under their contract ids, as people gave them: yes/no for the booleans.
    The one mapping both the export's rows and the log form's initial values read."""
    values = {column: getattr(log, column) for column in LOG_COLUMNS}
    for column in ("rested", "session_done", "stopped_early", "nsaid"):
        values[column] = _yes_no(values[column])
    values["new_symptoms"] = list(values["new_symptoms"])
    return values


def log_form_initial(log) -> dict[str, object]:
    """The log form's starting values: the saved answers, or the defaults for a new day."""
    if log is None:
        return {}  # nothing pre-selected that the person did not choose (plan.md 2026.2)
    values = log_values(log)
    del values["date"]
    return values


def log_entry(log, activities: tuple = ()) -> LogEntry:
    """The engine's view of a log (a DailyLog or anything with the same attributes), with its
    activity entries (`progression.Activity`) when the caller loaded them."""
    return LogEntry(
        date=log.date,
        pain_worst=log.pain_worst,
        pain_morning=log.pain_morning,
        rested=log.rested,
        session_done=log.session_done,
        pain_during=log.pain_during,
        stopped_early=log.stopped_early,
        swelling=log.swelling,
        nsaid=log.nsaid,
        new_symptoms=tuple(s for s in log.new_symptoms if s in DAILY_RED_FLAGS),
        activities=tuple(activities),
    )


class Check(models.Model):
    """The progress check (day 14, or 7 days after an extension, E4 or a resume)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checks")
    date = models.DateField()
    new_symptoms = models.JSONField(default=list, blank=True)
    daily_pain = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    walk_30 = models.BooleanField()
    squat_pain = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    hop_pain = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_check_per_plan_and_date"),
            _pain_range("daily_pain"),
            _pain_range("squat_pain"),
            _pain_range("hop_pain"),
        ]

    def __str__(self) -> str:
        return f"Check {self.date}"

    def entry(self) -> CheckEntry:
        return CheckEntry(
            date=self.date,
            new_symptoms=tuple(s for s in self.new_symptoms if s in DAILY_RED_FLAGS),
            daily_pain=self.daily_pain,
            walk_30=self.walk_30,
            squat_pain=self.squat_pain,
            hop_pain=self.hop_pain,
        )

    def answers(self) -> dict[str, object]:
        """The answers under their contract ids (export)."""
        return {
            "check_new_symptoms": list(self.new_symptoms),
            "check_daily_pain": self.daily_pain,
            "check_walk_30": "yes" if self.walk_30 else "no",
            "check_squat_pain": self.squat_pain,
            "check_hop_pain": self.hop_pain,
        }


class Exercise(models.Model):
    """One item of the exercise library. Loaded from `rehab/catalogue.py`; its words are editable in
    the admin. When it is due is not stored: `rehab/schedule.py` decides that (see `schedule_of`)."""

    class Kind(models.TextChoices):
        STRETCH = "stretch", _("Stretch")
        MOBILITY = "mobility", _("Mobility (foam rolling)")
        STRENGTH = "strength", _("Strength")

    slug = models.SlugField(max_length=60, unique=True, help_text=_("A contract: never rename; add a new one."))
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    how_often = models.CharField(max_length=120, blank=True)
    target = models.TextField(blank=True)
    dosage = models.TextField(blank=True)
    dosage_return = models.TextField(blank=True)
    steps = models.JSONField(default=list, blank=True)
    steps_rest = models.JSONField(default=list, blank=True)
    progression = models.TextField(blank=True)
    regression = models.TextField(blank=True)
    pain_note = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    sources = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def image(self) -> str:
        return f"img/exercises/{self.slug}.svg"

    @property
    def schedule(self) -> str:
        """When the plan asks for it, in words (read from the schedule, never stored)."""
        return schedule_of(self.slug)


class Completion(models.Model):
    """An exercise ticked done on a date. Unique per plan, date and exercise."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="completions")
    date = models.DateField()
    #: Keyed by the exercise's slug (a contract), so lists and exports need no join.
    exercise = models.ForeignKey(Exercise, to_field="slug", on_delete=models.PROTECT, related_name="completions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date", "exercise"], name="one_completion_per_plan_date_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} on {self.date}"


ACTIVITY_DURATION_MAX = 600
ACTIVITY_KM_MAX = Decimal("300.0")
TARGET_MINUTES = (20, 1800)
TARGET_KM_MAX = Decimal("500.0")
KM_MIN = Decimal("0.1")
#: Kinds for which a distance means nothing (load.md §1: refused).
NO_DISTANCE_KINDS = ("gym", "pool_running")


class ActivityKind(models.TextChoices):
    RUNNING = "running", _("Running")
    CYCLING = "cycling", _("Cycling")
    HIKING = "hiking", _("Hiking")
    GYM = "gym", _("Gym (squats, lunges, classes)")
    WALKING = "walking", _("Walking")
    SWIMMING = "swimming", _("Swimming")
    POOL_RUNNING = "pool_running", _("Pool running")
    OTHER = "other", _("Other")


class ActivitySource(models.TextChoices):
    """Where an activity entry came from: typed in (blank), or the kind of file it was imported from."""

    TYPED = "", _("Typed in")
    GPX = "gpx", _("GPX file")
    TCX = "tcx", _("TCX file")
    FIT = "fit", _("FIT file")
    STRAVA = "strava", _("Strava export")


class ActivityEntry(models.Model):
    """One activity of a day's log (load.md §1): 0–10 per log, replaced as a whole on save.

    An imported activity (`source` set) also carries its plan, its date in the person's time zone,
    its start time and a stable `external_id` (unique per plan: a second import of the same file
    adds nothing). Inside the plan it hangs on that day's log like a typed entry and is an engine
    input; before the plan start it is history with no log (the engine never reads a day before
    the start), used for the usual week."""

    log = models.ForeignKey(DailyLog, on_delete=models.CASCADE, related_name="activities", null=True, blank=True)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    duration_min = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(ACTIVITY_DURATION_MAX)]
    )
    distance_km = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(KM_MIN), MaxValueValidator(ACTIVITY_KM_MAX)],
    )
    rpe = models.PositiveSmallIntegerField(null=True, blank=True, validators=PAIN_VALIDATORS)
    #: Imported entries only (blank or null when typed in): see the class docstring.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imported", null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=8, choices=ActivitySource.choices, blank=True, default="")
    #: e.g. "strava:1234567890" or "gpx:<sha-256 of the file>:0"; unique per plan.
    external_id = models.CharField(max_length=100, blank=True, default="")
    #: The file's name and the device or app that recorded it, as the file says (may be blank).
    source_file = models.CharField(max_length=200, blank=True, default="")
    source_device = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["log", "position"]
        constraints = [
            models.UniqueConstraint(fields=["log", "position"], name="one_activity_per_log_position"),
            models.UniqueConstraint(
                fields=["plan", "external_id"], condition=~Q(external_id=""), name="one_import_per_plan_external_id"
            ),
            models.CheckConstraint(condition=Q(source__in=ActivitySource.values), name="activityentry_source_valid"),
            # Typed in: no import fields. Imported: all of them (a log only inside the plan).
            models.CheckConstraint(
                condition=(Q(source="", external_id="", plan__isnull=True, date__isnull=True) & Q(log__isnull=False))
                | (
                    ~Q(source="")
                    & ~Q(external_id="")
                    & Q(plan__isnull=False, date__isnull=False, started_at__isnull=False)
                ),
                name="activityentry_typed_or_imported",
            ),
            models.CheckConstraint(condition=Q(kind__in=KINDS), name="activityentry_kind_valid"),
            models.CheckConstraint(
                condition=Q(duration_min__gte=1, duration_min__lte=ACTIVITY_DURATION_MAX),
                name="activityentry_duration_1_600",
            ),
            models.CheckConstraint(
                condition=Q(distance_km__isnull=True)
                | (Q(distance_km__gte=KM_MIN, distance_km__lte=ACTIVITY_KM_MAX) & ~Q(kind__in=NO_DISTANCE_KINDS)),
                name="activityentry_distance_valid",
            ),
            _pain_range("rpe", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.duration_min} min"


class Target(models.Model):
    """The person's usual week before the pain, per activity ("where you once were", load.md §2).
    Only the plan activity's row decides; the others are shown and exported."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    activity = models.CharField(max_length=16, choices=ACTIVITIES)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(TARGET_MINUTES[0]), MaxValueValidator(TARGET_MINUTES[1])]
    )
    km = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(KM_MIN), MaxValueValidator(TARGET_KM_MAX)],
    )
    #: The date the goal counts from: the plan's start date when given at the start, else the
    #: day it was first saved (the person's time zone); edits keep it.
    set_on = models.DateField()

    class Meta:
        ordering = ["plan", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "activity"], name="one_target_per_plan_activity"),
            models.CheckConstraint(
                condition=Q(minutes__gte=TARGET_MINUTES[0], minutes__lte=TARGET_MINUTES[1]),
                name="target_minutes_20_1800",
            ),
            models.CheckConstraint(
                condition=Q(km__isnull=True) | (Q(km__gte=KM_MIN, km__lte=TARGET_KM_MAX) & ~Q(activity="gym")),
                name="target_km_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.minutes} min a week"


class PlanSnapshot(models.Model):
    """The engine's derived state of a plan, stored so that pages need not replay the history.

    Derived and droppable (the one exception to "nothing derivable is stored", see
    `rehab/snapshots.py`): deleting any or every row changes nothing a person sees, only the cost
    of the next page, which replays the plan and writes the row again. Written in the same
    transaction as every fact the engine reads; trusted only while `engine`, `for_date` and
    `time_zone` match the request (any other row, or one that does not load, is a miss).
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, primary_key=True, related_name="snapshot")
    #: The "today" the state was computed for (the state changes with the date alone).
    for_date = models.DateField()
    #: The engine's version (a hash of its modules' source): a deploy that changes it misses.
    engine = models.CharField(max_length=64)
    #: The time zone the screens' dates were read in (the person's, at the time).
    time_zone = models.CharField(max_length=64)
    #: Bumped by every write; a page that replayed on a miss stores its result only if no write
    #: came in between (see `snapshots.store`).
    generation = models.PositiveBigIntegerField(default=0)
    #: The pickled `progression.PlanState`.
    state = models.BinaryField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Snapshot of plan {self.plan_id} for {self.for_date}"


class WriteKey(models.Model):
    """A write sent again from a phone's offline queue (a day's log or an exercise tick), by the
    key the phone made for it: the database's unique constraint lets it be applied at most once,
    and `answer` is what the first sending was told, told again to every repeat."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CONFLICT = "conflict", _("Not applied: the day was changed later on another device")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="write_keys")
    key = models.UUIDField()
    date = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    #: The JSON answer of the first sending (outcome, day and, for a conflict, both entries).
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="one_write_per_plan_and_key")]

    def __str__(self) -> str:
        return f"Write {self.key} ({self.outcome})"


PSFS_NAME_MAX = 80


class PsfsActivity(models.Model):
    """An activity of the person's function score (the Patient-Specific Functional Scale,
    `rehab/change.py`): named once in their own words and kept. Up to 3 are rated at a time.

    Only the person changes it: new words for the same activity keep its scores; taking it off
    the list sets `retired_on` (its scores stay in the history and the exports, and a later
    activity in its place is never compared with it)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="psfs_activities")
    #: 1–3 among the activities still rated; kept after retiring (the order of the history).
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    name = models.CharField(_("activity"), max_length=PSFS_NAME_MAX)
    retired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], condition=Q(retired_on__isnull=True), name="one_psfs_activity_per_position"
            ),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=3), name="psfs_activity_position_1_3"),
            models.CheckConstraint(condition=~Q(name=""), name="psfs_activity_named"),
        ]

    def __str__(self) -> str:
        return self.name


class PsfsScore(models.Model):
    """One rating of one activity on one date (0 = unable, 10 = as before the problem). One per
    activity and date: rating the same date again updates it. `plan` is the activity's own (the
    owner, read without a join)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="psfs_scores")
    activity = models.ForeignKey(PsfsActivity, on_delete=models.CASCADE, related_name="scores")
    date = models.DateField()
    score = models.PositiveSmallIntegerField(validators=PAIN_VALIDATORS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="one_psfs_score_per_activity_and_date"),
            _pain_range("score"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} on {self.date}: {self.score}"
