"""FHIR R4 export: a collection Bundle with an unnamed Patient, a QuestionnaireResponse per screen,
an Observation per logged pain value (worst daily pain, pain during the session), an Observation
per activity entry (load.md §1), the build-back goal as a Goal (load.md §2) and a
QuestionnaireResponse per function-score (PSFS) date against a local Questionnaire (no LOINC code
is claimed for it)."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from rehab import selectors
from rehab.change import average
from rehab.exports import activity_sources
from screening import rules
from screening.models import Screening

from .models import FhirIdentity

BASE = "https://itbcare.example/fhir"
QUESTIONNAIRE = f"{BASE}/Questionnaire/knee-check"
#: The Patient-Specific Functional Scale as ITB Care asks it (up to 3 activities, 0–10): a local
#: canonical; its items are the person's own activities (`activity-<id>`), then their average.
PSFS_QUESTIONNAIRE = f"{BASE}/Questionnaire/psfs|1"
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"
ACTIVITY_SYSTEM = f"{BASE}/CodeSystem/activity"
PATIENT_SYSTEM = f"{BASE}/patient-id"
LOINC_PAIN = {
    "system": "http://loinc.org",
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
UCUM = "http://unitsofmeasure.org"
#: Local codes: distance and session RPE have no well-established LOINC code for one exercise bout.
MEASURE_SYSTEM = f"{BASE}/CodeSystem/activity-measure"
KIND_SYSTEM = f"{BASE}/CodeSystem/activity-kind"
LOINC_DURATION = {"system": "http://loinc.org", "code": "55411-3", "display": "Exercise duration"}
LOINC_EXERCISE = {"system": "http://loinc.org", "code": "73985-4", "display": "Exercise activity"}
DISTANCE = {"system": MEASURE_SYSTEM, "code": "distance", "display": "Distance"}
SESSION_RPE = {"system": MEASURE_SYSTEM, "code": "session-rpe", "display": "Session effort (CR-10 session RPE)"}
ACTIVITY_CATEGORY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "activity",
                "display": "Activity",
            }
        ]
    }
]
SURVEY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
                "display": "Survey",
            }
        ]
    }
]
PAIN_KINDS = (("pain_worst", "Worst pain in the day"), ("pain_during", "Pain during the session"))
ANSWER_DISPLAY = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _answer(question_id: str, value) -> dict:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"valueInteger": value}
    if question_id == "activity":
        return {"valueCoding": {"system": ACTIVITY_SYSTEM, "code": str(value)}}
    return {"valueCoding": {"system": ANSWER_SYSTEM, "code": str(value), "display": ANSWER_DISPLAY.get(value, value)}}


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _activity(entry, day, subject: dict, source: tuple[str, str, str] = ("", "", "")) -> dict:
    """One activity entry: its minutes as LOINC exercise duration, the kind, distance and RPE as
    components; dated by the log's date (no time of day is recorded). An imported entry names the
    device or file it came from (`Observation.device`, a display-only reference)."""
    components = [
        {
            "code": {"coding": [LOINC_EXERCISE]},
            "valueCodeableConcept": {"coding": [{"system": KIND_SYSTEM, "code": entry.kind}]},
        }
    ]
    if entry.distance_km is not None:
        quantity = {"value": float(entry.distance_km), "unit": "km", "system": UCUM, "code": "km"}
        components.append({"code": {"coding": [DISTANCE]}, "valueQuantity": quantity})
    if entry.rpe is not None:
        components.append({"code": {"coding": [SESSION_RPE]}, "valueInteger": entry.rpe})
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": ACTIVITY_CATEGORY,
        "code": {"coding": [LOINC_DURATION], "text": "Exercise duration"},
        "subject": subject,
        "effectiveDateTime": day.isoformat(),
        "valueQuantity": {"value": entry.duration_min, "unit": "min", "system": UCUM, "code": "min"},
        "component": components,
    }
    kind, file, device = source
    if kind:
        resource["device"] = {"display": _device(kind, file, device)}
    return {
        "fullUrl": _urn(),
        "resource": resource,
    }


#: How the FHIR entries name an import's origin (FHIR text stays in English, like the codes' text).
_FILE_KINDS = {"gpx": "GPX file", "tcx": "TCX file", "fit": "FIT file", "strava": "Strava export"}


def _device(kind: str, file: str, device: str) -> str:
    """ "Garmin Forerunner 255 (GPX file morning.gpx)", or just the file when no device is named."""
    origin = " ".join(part for part in (_FILE_KINDS.get(kind, kind), file) if part)
    return f"{device} ({origin})" if device else origin


def _goal(goal, activity: str, subject: dict) -> dict:
    """The usual week before the pain for the plan's activity, in minutes (and km) a week."""
    targets = [
        {
            "measure": {"coding": [LOINC_DURATION]},
            "detailQuantity": {"value": goal.minutes, "unit": "min/wk", "system": UCUM, "code": "min/wk"},
        }
    ]
    if goal.km is not None:
        targets.append(
            {
                "measure": {"coding": [DISTANCE]},
                "detailQuantity": {"value": float(goal.km), "unit": "km/wk", "system": UCUM, "code": "km/wk"},
            }
        )
    return {
        "fullUrl": _urn(),
        "resource": {
            "resourceType": "Goal",
            "lifecycleStatus": "active",
            "description": {
                "coding": [{"system": KIND_SYSTEM, "code": activity}],
                "text": f"Usual week before the pain: {goal.minutes} minutes of {activity.replace('_', ' ')}",
            },
            "subject": subject,
            "startDate": goal.set_on.isoformat(),
            "target": targets,
        },
    }


def psfs_responses(psfs, subject: dict) -> list[dict]:
    """One QuestionnaireResponse per function-score date: each activity rated that day (its name as
    the item's text, the score as an integer) and the day's average (one decimal, as shown)."""
    names = {item.id: item.name for item in psfs.activities}
    found = []
    for day, scores in psfs.scores.items():
        items = [
            {"linkId": f"activity-{activity}", "text": names[activity], "answer": [{"valueInteger": value}]}
            for activity, value in sorted(scores.items())
        ]
        items.append(
            {"linkId": "average", "text": "Average", "answer": [{"valueDecimal": float(average(scores.values()))}]}
        )
        found.append(
            {
                "fullUrl": _urn(),
                "resource": {
                    "resourceType": "QuestionnaireResponse",
                    "questionnaire": PSFS_QUESTIONNAIRE,
                    "status": "completed",
                    "subject": subject,
                    "authored": day.isoformat(),
                    "item": items,
                },
            }
        )
    return found


def bundle(user) -> dict:
    zone = ZoneInfo(getattr(user, "time_zone", "") or "UTC")
    page = selectors.history_page(user)
    patient_id = str(FhirIdentity.objects.get_or_create(plan=page.plan)[0].fhir_id) if page else str(uuid.uuid4())
    patient_urn = f"urn:uuid:{patient_id}"
    entries = [
        {
            "fullUrl": patient_urn,
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": PATIENT_SYSTEM, "value": patient_id}],
            },
        }
    ]
    subject = {"reference": patient_urn}
    for screening in Screening.objects.filter(user=user).order_by("taken_at"):
        entries.append(
            {
                "fullUrl": _urn(),
                "resource": {
                    "resourceType": "QuestionnaireResponse",
                    "questionnaire": f"{QUESTIONNAIRE}|{screening.version}",
                    "status": "completed",
                    "subject": subject,
                    "authored": _local(screening.taken_at, zone),
                    "item": [
                        {"linkId": qid, "answer": [_answer(qid, value)]} for qid, value in screening.answers.items()
                    ],
                },
            }
        )
    for log in page.logs.values() if page else ():
        moment = _local(datetime.combine(log.date, time(12), tzinfo=zone), zone)
        for column, label in PAIN_KINDS:
            value = getattr(log, column)
            if value is None:
                continue
            entries.append(
                {
                    "fullUrl": _urn(),
                    "resource": {
                        "resourceType": "Observation",
                        "status": "final",
                        "category": SURVEY,
                        "code": {"coding": [LOINC_PAIN], "text": label},
                        "subject": subject,
                        "effectiveDateTime": moment,
                        "valueInteger": value,
                    },
                }
            )
        entries.extend(_activity(entry, log.date, subject, source) for entry, source in activity_sources(log))
    if page and page.goal is not None:
        entries.append(_goal(page.goal, page.plan.activity, subject))
    if page:
        entries.extend(psfs_responses(page.psfs, subject))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().astimezone(zone).isoformat(timespec="seconds"),
        "meta": {"tag": [{"system": f"{BASE}/rules-version", "code": rules.VERSION}]},
        "entry": entries,
    }
