"""The exercise list's items are written in Python (`kit.twins`) with exactly the markup of their
spec, `rehab/partials/exercise_item.spec.html`: every exercise of the library, done or not, optional or
due, in the return phase or not, with awkward words."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils.html import escape

from rehab.models import Exercise
from rehab.templatetags.rehab_html import exercise_list

DAY = date(2026, 11, 20)


@pytest.mark.parametrize("in_return", [False, True])
@pytest.mark.parametrize("optional", [False, True])
def test_every_exercise_item_matches_its_template(db, in_return, optional):
    odd = Exercise.objects.order_by("order").first()
    odd.name = 'Clam <"shell"> & hold'
    odd.dosage_return = "3 × 10 <slow>"
    library = [odd, *Exercise.objects.exclude(pk=odd.pk).order_by("order")]
    assert len(library) >= 10
    for done in (False, True):
        items = [(exercise, done) for exercise in library]
        python = exercise_list(
            items, day=DAY, return_to="/rehab/?a=1&b=2", csrf_token="tok<en>", in_return=in_return, optional=optional
        )
        context = {
            "exercise_day": DAY,
            "return_to": "/rehab/?a=1&b=2",
            "csrf_token": "tok<en>",
            "exercise_in_return": in_return,
            "optional": optional,
            "done": done,
        }
        templates = "\n".join(
            render_to_string("rehab/partials/exercise_item.spec.html", {**context, "exercise": exercise}).strip()
            for exercise in library
        )
        assert python == templates
    assert escape(odd.name) in python and "<slow>" not in python


def test_todays_page_lists_the_exercises_with_working_toggles(alice, alice_client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_plan

    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    page = alice_client.get("/rehab/").content.decode()
    slugs = re.findall(r'<li class="exercise-item" id="exercise-([\w-]+)" data-exercise="\1"', page)
    assert slugs
    first = slugs[0]
    action = re.search(rf'action="(/rehab/done/[\d-]+/{first}/)"', page).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = alice_client.post(
        action, {"done": "1", "next": f"/rehab/#exercise-{first}", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    page = alice_client.get("/rehab/").content.decode()
    assert f'id="exercise-{first}" data-exercise="{first}" data-done="true"' in page


@pytest.mark.parametrize("current", [None, "today", "log", "timeline", "plan", "exercises", "exercise", "report", "x"])
def test_the_plan_navigation_marks_the_current_page(rf, current):
    from types import SimpleNamespace

    request = rf.get("/")
    request.resolver_match = SimpleNamespace(url_name=current)
    templates = render_to_string("rehab/partials/subnav.html", {"request": request}).strip()
    assert templates.count('aria-current="page"') == (current not in (None, "x"))
