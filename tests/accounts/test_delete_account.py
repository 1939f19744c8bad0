"""Deleting an account removes every row of that person, and nobody else's."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from accounts.models import User
from rehab.models import Check, Completion, DailyLog, Plan
from screening.models import Screening
from tests.factories import PASSWORD, make_check, make_completion, make_log, make_plan, make_screening


def give_full_history(user):
    today = timezone.localdate()
    plan = make_plan(user, start_date=today - timedelta(days=20))
    for n in range(15):
        make_log(plan, plan.start_date + timedelta(days=n), pain_worst=3, notes=f"{user.username} day {n}")
    make_check(plan, plan.start_date + timedelta(days=13))
    make_completion(plan, today, "clamshell")
    make_screening(user)
    return plan


def rows_of(user_id: int, plan_id: int | None) -> dict[str, int]:
    counts = {
        "user": User.objects.filter(pk=user_id).count(),
        "screenings": Screening.objects.filter(user_id=user_id).count(),
        "plans": Plan.objects.filter(user_id=user_id).count(),
        "logs": DailyLog.objects.filter(plan_id=plan_id).count(),
        "checks": Check.objects.filter(plan_id=plan_id).count(),
        "completions": Completion.objects.filter(plan_id=plan_id).count(),
    }
    # Any other model pointing at the user must be empty too (catches tables added later).
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                counts[f"{model._meta.label}.{field.name}"] = model.objects.filter(**{field.name: user_id}).count()
    return {name: count for name, count in counts.items() if count}


def test_deleting_needs_the_password(alice_client, alice):
    response = alice_client.post("/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_removes_every_row_of_the_person_and_nothing_of_anyone_else(alice_client, alice, bob):
    alice_plan = give_full_history(alice)
    bob_plan = give_full_history(bob)
    bob_rows = rows_of(bob.pk, bob_plan.pk)
    assert rows_of(alice.pk, alice_plan.pk)["logs"] == 15

    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert rows_of(alice.pk, alice_plan.pk) == {}
    assert rows_of(bob.pk, bob_plan.pk) == bob_rows
    assert alice_client.get("/accounts/settings/").status_code == 302  # logged out


def test_deleting_the_plan_keeps_the_account_and_screens(alice_client, alice):
    plan = give_full_history(alice)
    assert alice_client.post("/rehab/plan/delete/").status_code == 302
    rows = rows_of(alice.pk, plan.pk)
    # The account stays, with its screens and the session it is signed in with.
    assert rows == {"user": 1, "screenings": 2, "screening.Screening.user": 2, "accounts.Session.user": 1}
