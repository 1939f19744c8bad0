from django.apps import apps
from django.db import models

from accounts.models import User
from tests.factories import PASSWORD


def rows_owned_by(user_id: int) -> dict[str, int]:
    """Every row in every table that points at this user, directly or through a plan."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is User:
                count = model.objects.filter(**{field.name: user_id}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def test_deleting_needs_the_password(alice_client, alice):
    response = alice_client.post("/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_removes_the_account_and_logs_out(alice_client, alice, bob):
    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert rows_owned_by(alice.pk) == {}
    assert User.objects.filter(pk=bob.pk).exists()
    assert alice_client.get("/accounts/settings/").status_code == 302
