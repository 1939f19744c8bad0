"""The report's other doors cost the same whatever the history: the FHIR export, the share page and
a shared link opened without logging in. Counts measured, then pinned, for 7 and 365 days."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from rehab.models import ActivityEntry, DailyLog, Target
from reports.services import create_share_link
from tests.factories import make_history, make_plan, make_user, warm
from tests.rehab.support import TODAY

#: Measured: session, user, then the plan with its stored state, its logs, checks and ticks (one
#: UNION ALL), the target rows, screenings and the FHIR identity (the same for any length of
#: history; issue 13).
FHIR_QUERIES = 6
#: Measured: session, user, the plan, the person's links.
SHARE_PAGE_QUERIES = 4
#: Measured: the link (by its token's hash), the view count UPDATE, then the owner's plan with
#: its stored state, its logs, checks and completions (one UNION ALL) and screenings for the
#: report (issue 13).
SHARED_QUERIES = 5


def _person(days: int, activities: bool = False):
    user = make_user("carol")
    plan = make_plan(user, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days, today=TODAY)
    if activities:  # issue 16: a goal and two entries a day cost no extra query either
        Target.objects.create(plan=plan, activity="running", minutes=240, km=Decimal("40.0"), set_on=plan.start_date)
        ActivityEntry.objects.bulk_create(
            ActivityEntry(log=log, position=i, kind=kind, duration_min=20, rpe=3)
            for log in DailyLog.objects.filter(plan=plan)
            for i, kind in enumerate(("running", "walking"))
        )
    warm(plan)  # the page everybody gets after the day's first
    client = Client()
    client.force_login(user)
    return plan, client


@pytest.mark.parametrize("activities", [False, True])
@pytest.mark.parametrize("days", [7, 365])
def test_the_fhir_export_takes_a_fixed_number_of_queries(days, activities, db, frozen_clock, django_assert_num_queries):
    _plan, client = _person(days, activities)
    client.get("/rehab/export.fhir.json")  # the first export makes the random patient identity
    with django_assert_num_queries(FHIR_QUERIES):
        response = client.get("/rehab/export.fhir.json")
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Bundle"
    kinds = [e["resource"]["resourceType"] for e in response.json()["entry"]]
    assert kinds.count("Goal") == activities
    assert len([e for e in response.json()["entry"] if "component" in e["resource"]]) == (2 * days if activities else 0)


@pytest.mark.parametrize("activities", [False, True])
@pytest.mark.parametrize("days", [7, 365])
def test_the_share_page_takes_a_fixed_number_of_queries(days, activities, db, frozen_clock, django_assert_num_queries):
    plan, client = _person(days, activities)
    create_share_link(plan=plan, days=7, include_notes=False)
    with django_assert_num_queries(SHARE_PAGE_QUERIES):
        response = client.get("/rehab/share/")
    assert response.status_code == 200


@pytest.mark.parametrize("activities", [False, True])
@pytest.mark.parametrize("days", [7, 365])
def test_a_shared_link_takes_a_fixed_number_of_queries(days, activities, db, frozen_clock, django_assert_num_queries):
    plan, _client = _person(days, activities)
    _link, token = create_share_link(plan=plan, days=7, include_notes=False)
    with django_assert_num_queries(SHARED_QUERIES):
        response = Client().get(f"/s/{token}/")
    assert response.status_code == 200
    assert ("Activities by day" in response.content.decode()) is activities


@pytest.mark.parametrize("days", [7, 365])
def test_the_report_with_build_back_data_takes_the_same_queries(days, db, frozen_clock, django_assert_num_queries):
    _plan, client = _person(days, activities=True)
    # As tests/reports/test_report.py pins it without entries: the goal is joined into the plan's
    # query and the entries into the logs' query, so the section costs nothing.
    with django_assert_num_queries(5):  # issue 13: the plan with its state, then its rows in one query
        response = client.get("/rehab/report/")
    assert response.status_code == 200
    assert "Activities by day" in response.content.decode()
