"""The exercise library: the catalogue of `exercises.md` as plain data.

Pure data, no models and no ORM. Slugs are a fixed contract (fixtures, the
``data-exercise="<slug>"`` check-off elements and the plan export use them verbatim):
never rename one; add a new one instead.

Draft content, not clinically signed off: a licensed clinician must review every item
before release. Field notes:

- When an item is due is not content: it is the schedule's rule (`rehab/schedule.py`), tested
  with the plan engine, so nobody can change a clinical rule by editing text.
- ``steps`` / ``dosage``: the version done in the item's latest phase. Where the rest phase
  differs (``side-plank`` on the knees, ``hip-hike`` on the floor), ``steps_rest`` holds the
  rest-phase steps, and ``dosage_return`` the return-phase dosage; otherwise they are empty.
- User-facing strings are marked with ``_`` (gettext_noop): stored in English, translated where
  they are shown (``{% translate exercise.name %}``; an item reworded in the admin shows as typed).
  Illustrations live at ``static/img/exercises/<slug>.svg``.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

# Which items are due on which day is the schedule's business: `rehab/schedule.py`.

EXERCISES: tuple[dict, ...] = (
    # --- Stretches ---------------------------------------------------------------------------
    {
        "slug": "figure-4-stretch",
        "name": _("Figure-4 stretch"),
        "kind": "stretch",
        "how_often": _("1–2× a day"),
        "target": _("Deep hip rotators (piriformis) and the buttock muscles."),
        "dosage": _("Hold 20–30 s; 3 times per side; 1–2 times a day."),
        "dosage_return": "",
        "steps": (
            _("Lie on your back with both knees bent and feet flat."),
            _("Rest the ankle of your sore leg on the other thigh, just above the knee."),
            _("Hold the back of the other thigh with both hands."),
            _("Gently pull that thigh toward your chest."),
            _("Stop when you feel a stretch in the buttock of the sore side. Breathe slowly."),
        ),
        "steps_rest": (),
        "progression": _("Seated figure-4: sit tall, ankle on the other knee, lean forward from the hips."),
        "regression": _("Keep the foot of the supporting leg on the floor or flat on a wall."),
        "pain_note": _("A stretch in the buttock is fine. Knee pain: lower the leg and use the easier version."),
        "evidence": (
            _(
                "Stretches ease the muscles around the IT band, here the buttock and deep hip muscles. "
                "They do not lengthen the band itself; even a strong stretch changes it by only about 2 mm."
            )
        ),
        "sources": "DrHardy; ACSM 2021; Falvey 2010",
        "order": 10,
    },
    {
        "slug": "kneeling-tfl-stretch",
        "name": _("Kneeling front-of-hip (TFL) stretch"),
        "kind": "stretch",
        "how_often": _("daily"),
        "target": _("Tensor fasciae latae (TFL), the front-outer hip."),
        "dosage": _("Hold 20–30 s; 2–3 times per side; daily."),
        "dosage_return": "",
        "steps": (
            _("Kneel on your sore-side knee on a cushion. Put the other foot flat in front."),
            _("Tuck your tailbone under so your lower back flattens."),
            _("Shift your hips a little forward."),
            _("Lean your upper body away from the sore side."),
            _("Hold where you feel a stretch at the front and outside of the hip."),
        ),
        "steps_rest": (),
        "progression": _("Reach the sore-side arm overhead as you lean. Reaching overhead deepens this stretch."),
        "regression": _("Do it standing, with the sore leg stepped back."),
        "pain_note": (
            _("A stretch at the front-outer hip is fine. Pressure pain in the kneeling knee: add more padding.")
        ),
        "evidence": (
            _(
                "The TFL is the muscle at the front-outer hip that joins the IT band. Stretching it can ease "
                "tightness around the band; it does not lengthen or loosen the band itself."
            )
        ),
        "sources": "PhyxPhysio; ACSM 2021; Fredericson 2002; Falvey 2010",
        "order": 20,
    },
    {
        "slug": "standing-itb-stretch",
        "name": _("Standing side stretch, arms overhead"),
        "kind": "stretch",
        "how_often": _("up to 3× a day"),
        "target": _("The TFL and IT band complex on the outside of the hip and thigh."),
        "dosage": _("Hold 30 s; 3–4 times; up to 3 times a day."),
        "dosage_return": "",
        "steps": (
            _("Stand side-on to a wall with your sore side nearest the wall."),
            _("Cross your sore leg behind the other leg."),
            _("Push your sore-side hip toward the wall."),
            _("Reach both arms overhead and lean your upper body away from the wall."),
            _("Hold where you feel a stretch along the outside of the hip."),
        ),
        "steps_rest": (),
        "progression": _("None needed: this overhead version is already the strongest of the versions tested."),
        "regression": _("Keep your arms at your sides."),
        "pain_note": (
            _(
                "A stretch on the outside of the hip or thigh is fine. Outside-of-knee pain: lean less, "
                "or use the easier version."
            )
        ),
        "evidence": (
            _(
                "Of three standing stretches tested, this one with the arms overhead gave the biggest change: "
                "reaching overhead deepens the stretch. It eases the muscles around the band; the band itself "
                "barely changes length."
            )
        ),
        "sources": "Merck; Fredericson 2002; Falvey 2010",
        "order": 30,
    },
    {
        "slug": "hip-flexor-stretch",
        "name": _("Kneeling hip flexor stretch"),
        "kind": "stretch",
        "how_often": _("daily"),
        "target": _("Hip flexors (iliopsoas) and the front of the thigh (rectus femoris)."),
        "dosage": _("Hold 20–30 s; 2–3 times per side; daily."),
        "dosage_return": "",
        "steps": (
            _("Half-kneel with your sore leg behind and the other foot in front."),
            _("Tuck your tailbone under and squeeze the buttock of the back leg."),
            _("Shift forward a little until the front of the back hip stretches."),
            _("Keep your back upright. Do not arch it."),
        ),
        "steps_rest": (),
        "progression": _("Raise the arm on the back-leg side overhead."),
        "regression": _("A standing lunge stretch."),
        "pain_note": _("A stretch at the front of the hip is fine. Low back pain: lean less and tuck more."),
        "evidence": (
            _(
                "This eases the muscles at the front of the hip and thigh, which work alongside the band. "
                "It is for comfort and mobility; it does not lengthen the IT band."
            )
        ),
        "sources": "RunningStrong; ShiraKramer; ACSM 2021; Falvey 2010",
        "order": 40,
    },
    {
        "slug": "calf-stretch",
        "name": _("Wall calf stretch"),
        "kind": "stretch",
        "how_often": _("daily"),
        "target": _("Calf muscles: gastrocnemius (knee straight) and soleus (knee bent)."),
        "dosage": _("Hold 30 s; 2–3 times for each version; daily."),
        "dosage_return": "",
        "steps": (
            _("Put your hands on a wall. Step the sore leg back, heel down, toes pointing forward."),
            _("Keep the back knee straight and lean toward the wall. Hold."),
            _("Now bend the back knee a little, keeping the heel down. Hold again."),
        ),
        "steps_rest": (),
        "progression": _("Do it with the ball of the foot on the edge of a step."),
        "regression": _("Lean less."),
        "pain_note": (
            _(
                "A calf stretch is fine. Calf or Achilles pain that stays after you stop: stop this stretch. "
                "A calf that is swollen, warm, red or painful at rest is not a stretching problem: go to the "
                "red-flag check; it can be a clot, which needs same-day care."
            )
        ),
        "evidence": (
            _(
                "Holding a stretch for 10–30 seconds, a few times so it adds up to about a minute, is the "
                "usual advice, and stretching every day works best. This is for comfort and mobility."
            )
        ),
        "sources": "ACSM 2021",
        "order": 50,
    },
    # --- Mobility ----------------------------------------------------------------------------
    {
        "slug": "foam-roll-lateral-thigh",
        "name": _("Foam roll the outer thigh"),
        "kind": "mobility",
        "how_often": _("daily or before runs"),
        "target": _("Outer quadriceps (vastus lateralis), TFL and glutes."),
        "dosage": (
            _(
                "1–2 minutes per area; once a day or before runs. This amount comes from practice sources; "
                "the evidence is weak."
            )
        ),
        "dosage_return": "",
        "steps": (
            _("Lie on your side with the roller under the middle of your outer thigh."),
            _("Put your top foot on the floor in front to take some weight."),
            _("Roll slowly between just above the knee and just below the hip."),
            _("Turn a little forward to roll the front-outer thigh as well."),
            _("Do not roll straight over the sore bony bump above the knee."),
        ),
        "steps_rest": (),
        "progression": _("A firmer roller; less weight on the top foot."),
        "regression": _("A massage stick, or your hands."),
        "pain_note": (
            _(
                "Discomfort up to 3/10 is fine. Sharp pain from rolling over the bony bump on the outside of "
                "the knee: avoid that spot; it presses on sensitive tissue."
            )
        ),
        "evidence": (
            _(
                "Rolling is optional and for comfort. One session of rolling did not change how stiff the IT "
                "band was, so it works on the muscles around the band, not the band itself."
            )
        ),
        "sources": "Pepper 2021; Afshari 2023; Fairclough 2006",
        "order": 60,
    },
    # --- Strength: rest phase (from day 3) ----------------------------------------------------
    {
        "slug": "side-lying-hip-abduction",
        "name": _("Side-lying leg lift"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Gluteus medius (side of the hip)."),
        "dosage": _("2 × 10 in the first week, 3 × 10 in the second week, then add load; 3 days a week."),
        "dosage_return": "",
        "steps": (
            _("Lie on your other side. Bend the bottom knee. Keep your body in a straight line."),
            _("Keep the top leg straight, toes pointing forward, not up."),
            _("Lift the top leg a little behind your body line, to about 30–40 degrees."),
            _("Lower it slowly over 2–3 seconds. Do not roll backward."),
        ),
        "steps_rest": (),
        "progression": _("An ankle weight or a band; later a side plank with a leg lift."),
        "regression": (
            _("A smaller lift; or, lying the same way, press the straight leg up into a wall and hold, 5 × 10 s.")
        ),
        "pain_note": (
            _(
                "Burning at the side of the hip is good. Outside-of-knee pain: bend the top knee to shorten "
                "the leg, or use the easier version."
            )
        ),
        "evidence": (
            _(
                "Side-lying leg lifts work the side-hip muscle hard: about 81 percent of its maximum, the most of the "
                "exercises tested. In one small study, most runners recovered after six weeks of hip strengthening."
            )
        ),
        "sources": "JOSR 2020; Beers 2008; Distefano 2009; Fredericson 2000",
        "order": 70,
    },
    {
        "slug": "clamshell",
        "name": _("Clamshell"),
        "kind": "strength",
        "how_often": _("3–4 days/week"),
        "target": _("Gluteus medius and maximus, with little TFL work."),
        "dosage": _("2 × 10–20; at least 3–4 days a week."),
        "dosage_return": "",
        "steps": (
            _("Lie on your side with hips and knees bent, feet together."),
            _("Keep your feet touching and your hips still. Do not roll back."),
            _("Open your top knee like a clamshell."),
            _("Lower it slowly."),
        ),
        "steps_rest": (),
        "progression": _("A band just above the knees; then a clamshell from a side plank on the knees."),
        "regression": _("A smaller opening."),
        "pain_note": _("Burning in the hip is fine. Knee pain is rare; check your feet stay together."),
        "evidence": (
            _(
                "Clamshells work the buttock muscles much more than the front-of-hip muscle (TFL): the best "
                "ratio of the exercises tested, which makes them a good early choice."
            )
        ),
        "sources": "Summit; Selkowitz 2013; JOSR 2020",
        "order": 80,
    },
    {
        "slug": "glute-bridge",
        "name": _("Glute bridge"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Gluteus maximus and hamstrings."),
        "dosage": (
            _("3 × 10, rising to 3 × 15; then the single-leg march version, 2 × 10 rising to 3 × 12; 3 days a week.")
        ),
        "dosage_return": "",
        "steps": (
            _("Lie on your back, knees bent, feet hip-width apart."),
            _("Squeeze your buttocks and lift your hips until shoulders, hips and knees make a line."),
            _("Hold for 2 seconds."),
            _("Lower slowly."),
            _("March version: at the top, lift one foot a little, put it down, then the other foot."),
        ),
        "steps_rest": (),
        "progression": _("The single-leg march version, then the single-leg bridge in the return phase."),
        "regression": _("A smaller lift."),
        "pain_note": _("A hamstring cramp: bring your feet closer to your hips. Knee pain: use a smaller lift."),
        "evidence": (
            _(
                "Bridges work the buttock muscles more than the front-of-hip muscle. The sets and reps follow "
                "a published programme for runners with IT band pain."
            )
        ),
        "sources": "JOSR 2020; Selkowitz 2013",
        "order": 90,
    },
    {
        "slug": "side-plank",
        "name": _("Side plank"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Side of the trunk and gluteus medius."),
        "dosage": _("On your knees: 2 × 30 s, rising to 2 × 40 s; 3 days a week."),
        "dosage_return": _("Legs straight: 2–3 × 15–20 s; then with a top-leg lift, 2–3 × 10; 3 days a week."),
        "steps": (
            _("Lie on your side with your elbow under your shoulder."),
            _("Keep your legs straight."),
            _("Lift your hips so your body makes a straight line."),
            _("Hold and breathe normally."),
        ),
        "steps_rest": (
            _("Lie on your side with your elbow under your shoulder."),
            _("Bend your knees."),
            _("Lift your hips so your body makes a straight line."),
            _("Hold and breathe normally."),
        ),
        "progression": _("Full side plank; then lift the top leg while holding."),
        "regression": _("From the knees."),
        "pain_note": _("Shoulder pain: stop. Knee pain is unlikely."),
        "evidence": (
            _(
                "Side planks build the side of the trunk and hip. Going from the knees to a full side plank "
                "follows a published programme for runners with IT band pain."
            )
        ),
        "sources": "JOSR 2020",
        "order": 100,
    },
    {
        "slug": "hip-hike",
        "name": _("Hip hike"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Gluteus medius while standing."),
        "dosage": _("On the floor, holding a rail: 3 × 10, rising to 3 × 20; 3 days a week."),
        "dosage_return": _("On a step: 3 × 10, rising to 3 × 20; 3 days a week."),
        "steps": (
            _("Stand on your sore leg on a step. Let the other foot hang off the edge."),
            _("Hold a rail or wall if you need to."),
            _("Keep both knees straight. Let the free hip drop a little."),
            _("Lift that hip back up, a little above level, using the standing hip."),
        ),
        "steps_rest": (
            _("Stand on your sore leg on the floor. Hold a rail."),
            _("Keep both knees straight."),
            _("Lift the other foot just off the floor by raising that side of your hips."),
        ),
        "progression": _("Hold a weight; lower more slowly."),
        "regression": _("On the floor, holding a rail."),
        "pain_note": _("Outside-of-knee pain: make the movement smaller."),
        "evidence": (
            _(
                "Hip hikes train the side-hip muscle to keep your hips level while you stand on one leg, as you "
                "do with every running step. The sets and reps follow a published programme for runners with IT "
                "band pain."
            )
        ),
        "sources": "JOSR 2020; Fredericson 2000",
        "order": 110,
    },
    # --- Strength: return phase (from the start of `return`) ----------------------------------
    {
        "slug": "banded-lateral-walk",
        "name": _("Band side-steps"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Gluteus medius and maximus."),
        "dosage": _("2–3 × 15 steps each way; 3 days a week."),
        "dosage_return": "",
        "steps": (
            _("Put a band just above your knees."),
            _("Stand with feet hip-width apart, knees a little bent, toes forward."),
            _("Step sideways 10–15 times. Keep the band tight and your hips level."),
            _("Step back the other way."),
        ),
        "steps_rest": (),
        "progression": (
            _("Move the band down to the ankles; walk on a diagonal (“monster walk”); use a stronger band.")
        ),
        "regression": _("No band; or keep the band above the knees."),
        "pain_note": _("Knee pain: take smaller steps, or use the easier version."),
        "evidence": (
            _(
                "Band side-steps work the buttock muscles more than the front-of-hip muscle. They replace the "
                "side-lying leg lift in the return phase."
            )
        ),
        "sources": "JOSR 2020; Selkowitz 2013",
        "order": 120,
    },
    {
        "slug": "single-leg-bridge",
        "name": _("Single-leg bridge"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Gluteus maximus and hamstrings, one side at a time."),
        "dosage": _("2–3 × 8–12 per side; 3 days a week."),
        "dosage_return": "",
        "steps": (
            _("Lie on your back, knees bent, feet hip-width apart."),
            _("Straighten one knee and hold that leg in the air."),
            _("Push through the other foot and lift your hips. Keep your hips level."),
            _("Hold for 2 seconds, then lower slowly. Switch sides."),
        ),
        "steps_rest": (),
        "progression": _("Hip thrust (shoulders on a bench)."),
        "regression": _("The glute bridge with the single-leg march; or the two-leg bridge."),
        "pain_note": _("A hamstring cramp: bring the foot closer. Knee pain: use the easier version."),
        "evidence": (
            _("Single-leg bridges work the buttock muscles more than the front-of-hip muscle, one side at a time.")
        ),
        "sources": "JOSR 2020; Selkowitz 2013",
        "order": 130,
    },
    {
        "slug": "single-leg-squat-step-down",
        "name": _("Single-leg squat / step-down"),
        "kind": "strength",
        "how_often": _("3 days/week"),
        "target": _("Hip abductors and rotators and the quadriceps; keeps the knee from falling inward."),
        "dosage": _("2 × 10, rising to 3 × 12 per leg; 3 days a week."),
        "dosage_return": "",
        "steps": (
            _("Stand on your sore leg and hold a support."),
            _("Push your hips back and bend the knee a little, to about 30–45 degrees."),
            _("Keep the knee over your second toe and your hips level."),
            _("Stand back up."),
            _("Step-down version: stand on a 10–15 cm step and slowly lower the other heel to the floor."),
        ),
        "steps_rest": (),
        "progression": _("A higher step; no support. Later, skater or running-man drills (beyond this plan)."),
        "regression": _("Sit-to-stand from a chair on both legs; or a shallower bend."),
        "pain_note": (
            _(
                "This movement passes through the knee angle (about 30 degrees) where the band is thought to "
                "press on the bony bump. Outside-of-knee pain up to 2/10 is OK. At 3/10, use a smaller range. "
                "Above 3/10, use the easier version."
            )
        ),
        "evidence": (
            _(
                "Single-leg squats work the side-hip muscle hard and train the knee to stay over the toes. They "
                "come only after the day-14 check, which uses the same movement as a test."
            )
        ),
        "sources": "JOSR 2020; Distefano 2009; Orchard 1996; Fairclough 2006",
        "order": 140,
    },
)

EXERCISES_BY_SLUG: dict[str, dict] = {e["slug"]: e for e in EXERCISES}

# "What pain during an exercise means" (applies to every item):
# (what you feel, what it means, what to do).
GENERAL_PAIN_GUIDE: tuple[tuple[str, str, str], ...] = (
    (
        "Stretch, effort or burning in the muscle being worked, up to 3/10",
        "Expected",
        "Carry on.",
    ),
    (
        "Pain on the outside of the knee during the exercise",
        "The exercise loads the sore spot",
        "Use the easier version (regression) or a smaller range.",
    ),
    (
        "Sharp outside-of-knee pain above 3/10",
        "Too much for now",
        "Use the easier version or stop. If you are already doing the easier version, stop that exercise for today.",
    ),
    (
        "Whole-knee swelling, locking, giving way, numbness, a hot red knee, a swollen painful calf",
        "Not exercise pain",
        "Stop and go to the red-flag check.",
    ),
)
