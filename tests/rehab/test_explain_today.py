"""`rehab.explain`'s words for today's page, from engine states built without a database: one
message per event at most, none contradicting the state, and pauses and referrals that name why."""

from __future__ import annotations

from django.utils.formats import date_format

from rehab import explain
from rehab.progression import MAX_LEVEL
from tests.rehab.support import (
    check,
    d,
    failed_session,
    log,
    passed_check_path,
    passing_sessions,
    rest_logs,
    run,
    screen,
    session,
)


def rules_of(messages) -> list[str]:
    return [message.rule for message in messages]


def on(day) -> str:
    return date_format(day, "l j F")


def test_a_flare_that_overrides_a_pass_says_only_the_flare_with_the_engines_next_session():
    logs = passed_check_path(session(14), log(15, pain_morning=1), session(16, pain_morning=3))
    state = run(logs, [check(14)], today_day=16)
    messages = explain.today_messages(state, "running")
    assert rules_of(messages) == ["E3"]
    (flare,) = messages
    assert flare.kind == explain.CAUTION
    assert state.next_session_date == d(18)
    assert flare.flare is True
    assert flare.text.startswith(
        "Your knee was worse this morning (morning pain up 2 or more points). "
        f"No session tomorrow: your next run is on {on(d(18))}, at level {state.level}. "
        "For the pain today: rest from running"
    )
    assert "don't use painkillers to keep training" in flare.text


def test_two_failed_sessions_say_the_step_back_once_with_the_check_date_and_the_clinician_advice():
    logs = passed_check_path(failed_session(14), failed_session(16))
    state = run(logs, [check(14)], today_day=16)
    assert set(state.advice) == {"E4"}
    messages = explain.today_messages(state, "running")
    assert rules_of(messages) == ["E4"], "not E2 as well, nor the E4 advice a second time"
    assert f"Your progress check is on {on(state.check_due_date)}." in messages[0].text
    assert "Consider seeing a physiotherapist or sports doctor" in messages[0].text
    # The next days keep the advice (it is current during that rest), as one message.
    later = run(logs, [check(14)], today_day=17)
    assert rules_of(explain.today_messages(later, "running")) == ["E4"]
    assert explain.today_messages(later, "running")[0].text == str(explain.ADVICE["E4"])


def test_painkillers_on_11_days_say_it_once_on_the_day_and_as_advice_after():
    logs = rest_logs(1, 12, nsaid=True)
    on_the_day = explain.today_messages(run(logs, today_day=11), "running")
    assert rules_of(on_the_day) == ["E6"]
    assert rules_of(explain.today_messages(run(logs, today_day=12), "running")) == ["E6"]
    assert explain.today_messages(run(logs, today_day=14), "running") == [], "advice ends with the run"


def test_the_level_8_pass_says_complete_only():
    logs = passed_check_path(*passing_sessions(14, MAX_LEVEL))
    state = run(logs, [check(14)], today_day=28)
    messages = explain.today_messages(state, "cycling")
    assert rules_of(messages) == ["complete"]
    assert messages[0].kind == explain.GOOD
    assert explain.status_line(state, "cycling") == (
        "You have finished the graded return. Next: build back to your usual week."
    )


def test_a_pass_names_the_next_session_date_and_level_from_the_state():
    state = run(passed_check_path(session(14), session(16)), [check(14)], today_day=16)
    (message,) = explain.today_messages(state, "hiking")
    assert message.text == f"Your walk went well, so your next walk is on {on(d(18))}, at level 3."
    assert explain.status_line(state, "hiking") == (
        "Graded return, level 3 of 8. Today's session is done; today is for your stretches."
    )


def test_yesterdays_events_say_nothing_today():
    state = run(passed_check_path(session(14), session(16)), [check(14)], today_day=17)
    assert explain.today_messages(state, "running") == []
    assert explain.status_line(state, "running") == (
        "Graded return, level 3 of 8. Today is a day between sessions, for your strength exercises."
    )


def test_not_resting_today_gets_the_kind_reminder_as_information():
    state = run(rest_logs(1, 4), today_day=5)
    (message,) = explain.today_messages(state, "running", rested_today=False)
    assert (message.rule, message.kind) == ("rested_no", explain.INFO)
    assert explain.today_messages(state, "running", rested_today=None) == [], "unanswered is no reminder"


# --- Pauses and referrals name their cause and the way on -----------------------------------------


def test_a_pause_from_a_log_names_the_sign_and_links_to_that_log_to_undo_a_mistake():
    logs = [*rest_logs(1, 4), log(5, swelling="whole_knee")]
    state = run(logs, today_day=6)
    hold = explain.hold(state, logs={entry.date: entry for entry in logs}, checks={})
    assert hold.status == "paused" and hold.kind == explain.STOP
    assert hold.causes == (f"On {on(d(5))} you reported in your log: “Swelling of the whole knee”.",)
    assert [link.url for link in hold.links] == ["/screening/", "/rehab/report/", f"/rehab/log/{d(5).isoformat()}/"]
    assert hold.links[1].label.startswith("Your report for a clinician")
    assert "Take your report for a clinician with you" in hold.next_step
    assert hold.links[2].label.startswith("I ticked this by mistake")
    assert explain.today_messages(state, "running") == [], "the pause block says it; no second message"
    assert explain.status_line(state, "running").startswith("Your plan is paused")


def test_a_pause_from_the_check_names_the_sign_and_offers_no_log_to_edit():
    checks = [check(14, new_symptoms=("night_or_rest_pain",))]
    logs = rest_logs(1, 14)
    state = run(logs, checks, today_day=15)
    hold = explain.hold(state, logs={e.date: e for e in logs}, checks={c.date: c for c in checks})
    assert hold.causes == (
        f"On {on(d(14))} you reported in your progress check: “The pain wakes me at night or stays when I rest”.",
    )
    assert [link.url for link in hold.links] == ["/screening/", "/rehab/report/"]


def test_a_pause_from_a_later_screen_names_the_screens_outcome():
    state = run(rest_logs(1, 4), screens=[screen(5, "urgent_today")], today_day=6)
    hold = explain.hold(state, logs={}, checks={})
    assert hold.causes == (f"Your knee check on {on(d(5))} pointed to: Get medical advice today.",)
    assert hold.outcome == "urgent_today"


def test_a_referral_after_the_check_names_each_answer_that_fell_short():
    logs = rest_logs(1, 14, pain_worst=4)
    checks = [check(14, daily_pain=4, walk_30=False, squat_pain=1, hop_pain=3)]
    state = run(logs, checks, today_day=15)
    hold = explain.hold(state, logs={}, checks={c.date: c for c in checks})
    assert hold.status == "referred"
    assert hold.causes == (
        f"Your progress check on {on(d(14))} did not pass:",
        "Your worst everyday pain this week was 4 out of 10 (passing takes 1 or less).",
        "A brisk 30-minute walk was not pain-free (passing takes a pain-free walk).",
        "Gentle hopping hurt 3 out of 10 (passing takes 2 or less).",
        "Your worst pain had not come down by 2 points or more since the start of the plan.",
    )
    assert [link.url for link in hold.links] == ["/rehab/report/", "/rehab/timeline/"]  # the report first
    assert "Show them your report for a clinician" in hold.next_step
    assert explain.status_line(state, "running") == "The plan has stopped here: please see a clinician."


def test_a_referral_at_six_weeks_says_so():
    state = run(rest_logs(1, 13), today_day=43)
    hold = explain.hold(state, logs={}, checks={})
    assert hold.causes == ("Six weeks have passed without finishing the plan.",)
    assert explain.today_messages(state, "running") == []


# --- The status line and the streak --------------------------------------------------------------


def test_the_status_line_in_rest_says_what_resting_means_for_the_activity():
    assert explain.status_line(run(rest_logs(1, 3), today_day=4), "gym") == (
        "Resting. Today is for a break from squats and lunges and for your exercises."
    )
    assert explain.status_line(run(rest_logs(1, 13), today_day=14), "gym") == (
        "Resting. Today is for your progress check."
    )


def test_the_streak_counts_days_in_a_row_up_to_today_or_yesterday_and_this_weeks_logged_days():
    logs = [log(n, rested=True) for n in (1, 2, 3, 5, 6, 7, 8, 9)]
    streak = explain.logging_streak(run(logs, today_day=10), week_first=d(8))
    assert (streak.days, streak.week_logged, streak.week_days) == (5, 2, 3)
    streak = explain.logging_streak(run([*logs, log(10, rested=True)], today_day=10), week_first=d(8))
    assert (streak.days, streak.week_logged) == (6, 3)
    assert explain.logging_streak(run([log(8, rested=True)], today_day=10), week_first=d(8)).days == 0


def test_every_kind_has_a_word_and_a_symbol_not_only_a_colour():
    for kind in (explain.GOOD, explain.INFO, explain.CAUTION, explain.STOP):
        message = explain.Message(rule="x", kind=kind, text="t")
        assert message.label and message.icon


def test_the_heading_counts_to_30_and_then_just_the_day():
    from tests.rehab.support import run

    assert explain.day_heading(run(today_day=21)) == "Day 21 of 30"
    assert explain.day_heading(run(today_day=46)) == "Day 46"
