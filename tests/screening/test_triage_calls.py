"""The flow as one value: `triage` runs once per state of the answers in a request.

Before 2026.3 the shown steps, progress and required questions were recomputed several times a
request: on the typical path a GET ran `triage` 16, 13, 10, 6 and 3 times (about, urgent, injury,
warning, pattern) and a POST 14, 11, 8, 5 and 3 times (measured with this test's counter on the
2026.2 code). Now a GET runs it once (the flow), a POST twice (the flow before, and the answers
with the page's, which the next page's flow reuses), and the last POST once more to store the
screen with its triage.
"""

from __future__ import annotations

import pytest

from screening import rules
from tests.factories import ITBS_ANSWERS
from tests.screening.support import RECENT_INJURY_ANSWERS, RESULT_PREFIX, START, answers_for, step_of


@pytest.fixture
def triage_calls(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = rules.triage

    def counting(answers):
        calls.append(1)
        return real(answers)

    monkeypatch.setattr(rules, "triage", counting)  # rules' own callers look it up at call time
    return calls


@pytest.mark.parametrize(
    "answers", [ITBS_ANSWERS, RECENT_INJURY_ANSWERS, {**ITBS_ANSWERS, "cannot_bear_weight": "yes"}]
)
def test_each_request_runs_triage_once_per_state_of_the_answers(client, db, triage_calls, answers):
    url, seen = START, []
    while not url.startswith(RESULT_PREFIX):
        triage_calls.clear()
        assert client.get(url).status_code == 200
        get_calls = len(triage_calls)
        triage_calls.clear()
        response = client.post(url, answers_for(step_of(url), answers))
        assert response.status_code == 302
        finished = response["Location"].startswith(RESULT_PREFIX)
        seen.append((step_of(url), get_calls, len(triage_calls)))
        assert get_calls == 1, seen
        assert len(triage_calls) == (3 if finished else 2), seen
        url = response["Location"]
    print(seen)  # noqa: T201
    assert len(seen) >= 4
