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
- User-facing strings are plain (no gettext here); the views translate around them.
  Illustrations live at ``static/img/exercises/<slug>.svg``.
"""

from __future__ import annotations

# Which items are due on which day is the schedule's business: `rehab/schedule.py`.

EXERCISES: tuple[dict, ...] = (
    # --- Stretches ---------------------------------------------------------------------------
    {
        "slug": "figure-4-stretch",
        "name": "Figure-4 stretch",
        "kind": "stretch",
        "how_often": "1–2× a day",
        "target": "Deep hip rotators (piriformis) and the buttock muscles.",
        "dosage": "Hold 20–30 s; 3 times per side; 1–2 times a day.",
        "dosage_return": "",
        "steps": (
            "Lie on your back with both knees bent and feet flat.",
            "Rest the ankle of your sore leg on the other thigh, just above the knee.",
            "Hold the back of the other thigh with both hands.",
            "Gently pull that thigh toward your chest.",
            "Stop when you feel a stretch in the buttock of the sore side. Breathe slowly.",
        ),
        "steps_rest": (),
        "progression": "Seated figure-4: sit tall, ankle on the other knee, lean forward from the hips.",
        "regression": "Keep the foot of the supporting leg on the floor or flat on a wall.",
        "pain_note": "A stretch in the buttock is fine. Knee pain: lower the leg and use the easier version.",
        "evidence": (
            "Stretches ease the muscles around the IT band, here the buttock and deep hip muscles. "
            "They do not lengthen the band itself; even a strong stretch changes it by only about 2 mm."
        ),
        "sources": "DrHardy; ACSM 2021; Falvey 2010",
        "order": 10,
    },
    {
        "slug": "kneeling-tfl-stretch",
        "name": "Kneeling front-of-hip (TFL) stretch",
        "kind": "stretch",
        "how_often": "daily",
        "target": "Tensor fasciae latae (TFL), the front-outer hip.",
        "dosage": "Hold 20–30 s; 2–3 times per side; daily.",
        "dosage_return": "",
        "steps": (
            "Kneel on your sore-side knee on a cushion. Put the other foot flat in front.",
            "Tuck your tailbone under so your lower back flattens.",
            "Shift your hips a little forward.",
            "Lean your upper body away from the sore side.",
            "Hold where you feel a stretch at the front and outside of the hip.",
        ),
        "steps_rest": (),
        "progression": "Reach the sore-side arm overhead as you lean. Reaching overhead deepens this stretch.",
        "regression": "Do it standing, with the sore leg stepped back.",
        "pain_note": (
            "A stretch at the front-outer hip is fine. Pressure pain in the kneeling knee: add more padding."
        ),
        "evidence": (
            "The TFL is the muscle at the front-outer hip that joins the IT band. Stretching it can ease "
            "tightness around the band; it does not lengthen or loosen the band itself."
        ),
        "sources": "PhyxPhysio; ACSM 2021; Fredericson 2002; Falvey 2010",
        "order": 20,
    },
    {
        "slug": "standing-itb-stretch",
        "name": "Standing side stretch, arms overhead",
        "kind": "stretch",
        "how_often": "up to 3× a day",
        "target": "The TFL and IT band complex on the outside of the hip and thigh.",
        "dosage": "Hold 30 s; 3–4 times; up to 3 times a day.",
        "dosage_return": "",
        "steps": (
            "Stand side-on to a wall with your sore side nearest the wall.",
            "Cross your sore leg behind the other leg.",
            "Push your sore-side hip toward the wall.",
            "Reach both arms overhead and lean your upper body away from the wall.",
            "Hold where you feel a stretch along the outside of the hip.",
        ),
        "steps_rest": (),
        "progression": "None needed: this overhead version is already the strongest of the versions tested.",
        "regression": "Keep your arms at your sides.",
        "pain_note": (
            "A stretch on the outside of the hip or thigh is fine. Outside-of-knee pain: lean less, "
            "or use the easier version."
        ),
        "evidence": (
            "Of three standing stretches tested, this one with the arms overhead gave the biggest change: "
            "reaching overhead deepens the stretch. It eases the muscles around the band; the band itself "
            "barely changes length."
        ),
        "sources": "Merck; Fredericson 2002; Falvey 2010",
        "order": 30,
    },
    {
        "slug": "hip-flexor-stretch",
        "name": "Kneeling hip flexor stretch",
        "kind": "stretch",
        "how_often": "daily",
        "target": "Hip flexors (iliopsoas) and the front of the thigh (rectus femoris).",
        "dosage": "Hold 20–30 s; 2–3 times per side; daily.",
        "dosage_return": "",
        "steps": (
            "Half-kneel with your sore leg behind and the other foot in front.",
            "Tuck your tailbone under and squeeze the buttock of the back leg.",
            "Shift forward a little until the front of the back hip stretches.",
            "Keep your back upright. Do not arch it.",
        ),
        "steps_rest": (),
        "progression": "Raise the arm on the back-leg side overhead.",
        "regression": "A standing lunge stretch.",
        "pain_note": "A stretch at the front of the hip is fine. Low back pain: lean less and tuck more.",
        "evidence": (
            "This eases the muscles at the front of the hip and thigh, which work alongside the band. "
            "It is for comfort and mobility; it does not lengthen the IT band."
        ),
        "sources": "RunningStrong; ShiraKramer; ACSM 2021; Falvey 2010",
        "order": 40,
    },
    {
        "slug": "calf-stretch",
        "name": "Wall calf stretch",
        "kind": "stretch",
        "how_often": "daily",
        "target": "Calf muscles: gastrocnemius (knee straight) and soleus (knee bent).",
        "dosage": "Hold 30 s; 2–3 times for each version; daily.",
        "dosage_return": "",
        "steps": (
            "Put your hands on a wall. Step the sore leg back, heel down, toes pointing forward.",
            "Keep the back knee straight and lean toward the wall. Hold.",
            "Now bend the back knee a little, keeping the heel down. Hold again.",
        ),
        "steps_rest": (),
        "progression": "Do it with the ball of the foot on the edge of a step.",
        "regression": "Lean less.",
        "pain_note": (
            "A calf stretch is fine. Calf or Achilles pain that stays after you stop: stop this stretch. "
            "A calf that is swollen, warm, red or painful at rest is not a stretching problem: go to the "
            "red-flag check; it can be a clot, which needs same-day care."
        ),
        "evidence": (
            "Holding a stretch for 10–30 seconds, a few times so it adds up to about a minute, is the "
            "usual advice, and stretching every day works best. This is for comfort and mobility."
        ),
        "sources": "ACSM 2021",
        "order": 50,
    },
    # --- Mobility ----------------------------------------------------------------------------
    {
        "slug": "foam-roll-lateral-thigh",
        "name": "Foam roll the outer thigh",
        "kind": "mobility",
        "how_often": "daily or before runs",
        "target": "Outer quadriceps (vastus lateralis), TFL and glutes.",
        "dosage": (
            "1–2 minutes per area; once a day or before runs. This amount comes from practice sources; "
            "the evidence is weak."
        ),
        "dosage_return": "",
        "steps": (
            "Lie on your side with the roller under the middle of your outer thigh.",
            "Put your top foot on the floor in front to take some weight.",
            "Roll slowly between just above the knee and just below the hip.",
            "Turn a little forward to roll the front-outer thigh as well.",
            "Do not roll straight over the sore bony bump above the knee.",
        ),
        "steps_rest": (),
        "progression": "A firmer roller; less weight on the top foot.",
        "regression": "A massage stick, or your hands.",
        "pain_note": (
            "Discomfort up to 3/10 is fine. Sharp pain from rolling over the bony bump on the outside of "
            "the knee: avoid that spot; it presses on sensitive tissue."
        ),
        "evidence": (
            "Rolling is optional and for comfort. One session of rolling did not change how stiff the IT "
            "band was, so it works on the muscles around the band, not the band itself."
        ),
        "sources": "Pepper 2021; Afshari 2023; Fairclough 2006",
        "order": 60,
    },
    # --- Strength: rest phase (from day 3) ----------------------------------------------------
    {
        "slug": "side-lying-hip-abduction",
        "name": "Side-lying leg lift",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Gluteus medius (side of the hip).",
        "dosage": "2 × 10 in the first week, 3 × 10 in the second week, then add load; 3 days a week.",
        "dosage_return": "",
        "steps": (
            "Lie on your other side. Bend the bottom knee. Keep your body in a straight line.",
            "Keep the top leg straight, toes pointing forward, not up.",
            "Lift the top leg a little behind your body line, to about 30–40 degrees.",
            "Lower it slowly over 2–3 seconds. Do not roll backward.",
        ),
        "steps_rest": (),
        "progression": "An ankle weight or a band; later a side plank with a leg lift.",
        "regression": (
            "A smaller lift; or, lying the same way, press the straight leg up into a wall and hold, 5 × 10 s."
        ),
        "pain_note": (
            "Burning at the side of the hip is good. Outside-of-knee pain: bend the top knee to shorten "
            "the leg, or use the easier version."
        ),
        "evidence": (
            "Side-lying leg lifts work the side-hip muscle hard: about 81% of its maximum, the most of the "
            "exercises tested. In one small study, most runners recovered after six weeks of hip strengthening."
        ),
        "sources": "JOSR 2020; Beers 2008; Distefano 2009; Fredericson 2000",
        "order": 70,
    },
    {
        "slug": "clamshell",
        "name": "Clamshell",
        "kind": "strength",
        "how_often": "3–4 days/week",
        "target": "Gluteus medius and maximus, with little TFL work.",
        "dosage": "2 × 10–20; at least 3–4 days a week.",
        "dosage_return": "",
        "steps": (
            "Lie on your side with hips and knees bent, feet together.",
            "Keep your feet touching and your hips still. Do not roll back.",
            "Open your top knee like a clamshell.",
            "Lower it slowly.",
        ),
        "steps_rest": (),
        "progression": "A band just above the knees; then a clamshell from a side plank on the knees.",
        "regression": "A smaller opening.",
        "pain_note": "Burning in the hip is fine. Knee pain is rare; check your feet stay together.",
        "evidence": (
            "Clamshells work the buttock muscles much more than the front-of-hip muscle (TFL): the best "
            "ratio of the exercises tested, which makes them a good early choice."
        ),
        "sources": "Summit; Selkowitz 2013; JOSR 2020",
        "order": 80,
    },
    {
        "slug": "glute-bridge",
        "name": "Glute bridge",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Gluteus maximus and hamstrings.",
        "dosage": (
            "3 × 10, rising to 3 × 15; then the single-leg march version, 2 × 10 rising to 3 × 12; 3 days a week."
        ),
        "dosage_return": "",
        "steps": (
            "Lie on your back, knees bent, feet hip-width apart.",
            "Squeeze your buttocks and lift your hips until shoulders, hips and knees make a line.",
            "Hold for 2 seconds.",
            "Lower slowly.",
            "March version: at the top, lift one foot a little, put it down, then the other foot.",
        ),
        "steps_rest": (),
        "progression": "The single-leg march version, then the single-leg bridge in the return phase.",
        "regression": "A smaller lift.",
        "pain_note": "A hamstring cramp: bring your feet closer to your hips. Knee pain: use a smaller lift.",
        "evidence": (
            "Bridges work the buttock muscles more than the front-of-hip muscle. The sets and reps follow "
            "a published programme for runners with IT band pain."
        ),
        "sources": "JOSR 2020; Selkowitz 2013",
        "order": 90,
    },
    {
        "slug": "side-plank",
        "name": "Side plank",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Side of the trunk and gluteus medius.",
        "dosage": "On your knees: 2 × 30 s, rising to 2 × 40 s; 3 days a week.",
        "dosage_return": "Legs straight: 2–3 × 15–20 s; then with a top-leg lift, 2–3 × 10; 3 days a week.",
        "steps": (
            "Lie on your side with your elbow under your shoulder.",
            "Keep your legs straight.",
            "Lift your hips so your body makes a straight line.",
            "Hold and breathe normally.",
        ),
        "steps_rest": (
            "Lie on your side with your elbow under your shoulder.",
            "Bend your knees.",
            "Lift your hips so your body makes a straight line.",
            "Hold and breathe normally.",
        ),
        "progression": "Full side plank; then lift the top leg while holding.",
        "regression": "From the knees.",
        "pain_note": "Shoulder pain: stop. Knee pain is unlikely.",
        "evidence": (
            "Side planks build the side of the trunk and hip. Going from the knees to a full side plank "
            "follows a published programme for runners with IT band pain."
        ),
        "sources": "JOSR 2020",
        "order": 100,
    },
    {
        "slug": "hip-hike",
        "name": "Hip hike",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Gluteus medius while standing.",
        "dosage": "On the floor, holding a rail: 3 × 10, rising to 3 × 20; 3 days a week.",
        "dosage_return": "On a step: 3 × 10, rising to 3 × 20; 3 days a week.",
        "steps": (
            "Stand on your sore leg on a step. Let the other foot hang off the edge.",
            "Hold a rail or wall if you need to.",
            "Keep both knees straight. Let the free hip drop a little.",
            "Lift that hip back up, a little above level, using the standing hip.",
        ),
        "steps_rest": (
            "Stand on your sore leg on the floor. Hold a rail.",
            "Keep both knees straight.",
            "Lift the other foot just off the floor by raising that side of your hips.",
        ),
        "progression": "Hold a weight; lower more slowly.",
        "regression": "On the floor, holding a rail.",
        "pain_note": "Outside-of-knee pain: make the movement smaller.",
        "evidence": (
            "Hip hikes train the side-hip muscle to keep your hips level while you stand on one leg, as you "
            "do with every running step. The sets and reps follow a published programme for runners with IT "
            "band pain."
        ),
        "sources": "JOSR 2020; Fredericson 2000",
        "order": 110,
    },
    # --- Strength: return phase (from the start of `return`) ----------------------------------
    {
        "slug": "banded-lateral-walk",
        "name": "Band side-steps",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Gluteus medius and maximus.",
        "dosage": "2–3 × 15 steps each way; 3 days a week.",
        "dosage_return": "",
        "steps": (
            "Put a band just above your knees.",
            "Stand with feet hip-width apart, knees a little bent, toes forward.",
            "Step sideways 10–15 times. Keep the band tight and your hips level.",
            "Step back the other way.",
        ),
        "steps_rest": (),
        "progression": (
            "Move the band down to the ankles; walk on a diagonal (\u201cmonster walk\u201d); use a stronger band."
        ),
        "regression": "No band; or keep the band above the knees.",
        "pain_note": "Knee pain: take smaller steps, or use the easier version.",
        "evidence": (
            "Band side-steps work the buttock muscles more than the front-of-hip muscle. They replace the "
            "side-lying leg lift in the return phase."
        ),
        "sources": "JOSR 2020; Selkowitz 2013",
        "order": 120,
    },
    {
        "slug": "single-leg-bridge",
        "name": "Single-leg bridge",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Gluteus maximus and hamstrings, one side at a time.",
        "dosage": "2–3 × 8–12 per side; 3 days a week.",
        "dosage_return": "",
        "steps": (
            "Lie on your back, knees bent, feet hip-width apart.",
            "Straighten one knee and hold that leg in the air.",
            "Push through the other foot and lift your hips. Keep your hips level.",
            "Hold for 2 seconds, then lower slowly. Switch sides.",
        ),
        "steps_rest": (),
        "progression": "Hip thrust (shoulders on a bench).",
        "regression": "The glute bridge with the single-leg march; or the two-leg bridge.",
        "pain_note": "A hamstring cramp: bring the foot closer. Knee pain: use the easier version.",
        "evidence": (
            "Single-leg bridges work the buttock muscles more than the front-of-hip muscle, one side at a time."
        ),
        "sources": "JOSR 2020; Selkowitz 2013",
        "order": 130,
    },
    {
        "slug": "single-leg-squat-step-down",
        "name": "Single-leg squat / step-down",
        "kind": "strength",
        "how_often": "3 days/week",
        "target": "Hip abductors and rotators and the quadriceps; keeps the knee from falling inward.",
        "dosage": "2 × 10, rising to 3 × 12 per leg; 3 days a week.",
        "dosage_return": "",
        "steps": (
            "Stand on your sore leg and hold a support.",
            "Push your hips back and bend the knee a little, to about 30–45 degrees.",
            "Keep the knee over your second toe and your hips level.",
            "Stand back up.",
            "Step-down version: stand on a 10–15 cm step and slowly lower the other heel to the floor.",
        ),
        "steps_rest": (),
        "progression": "A higher step; no support. Later, skater or running-man drills (beyond this plan).",
        "regression": "Sit-to-stand from a chair on both legs; or a shallower bend.",
        "pain_note": (
            "This movement passes through the knee angle (about 30 degrees) where the band is thought to "
            "press on the bony bump. Outside-of-knee pain up to 2/10 is OK. At 3/10, use a smaller range. "
            "Above 3/10, use the easier version."
        ),
        "evidence": (
            "Single-leg squats work the side-hip muscle hard and train the knee to stay over the toes. They "
            "come only after the day-14 check, which uses the same movement as a test."
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
