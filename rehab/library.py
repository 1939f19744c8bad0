"""Load the exercise catalogue (`catalogue.py`) into the database: used by a data migration and
by `manage.py load_exercises`. Upserts by slug, so it is safe to run again."""

from __future__ import annotations

from .catalogue import EXERCISES

FIELDS = (
    "name",
    "kind",
    "how_often",
    "target",
    "dosage",
    "dosage_return",
    "steps",
    "steps_rest",
    "progression",
    "regression",
    "pain_note",
    "evidence",
    "sources",
    "order",
)


def load_catalogue(exercise_model) -> int:
    for item in EXERCISES:
        defaults = {field: item[field] for field in FIELDS}
        defaults["steps"] = list(defaults["steps"])
        defaults["steps_rest"] = list(defaults["steps_rest"])
        exercise_model.objects.update_or_create(slug=item["slug"], defaults=defaults)
    return len(EXERCISES)
