"""The sources behind the questions 2026.3 added or reworded, in the style of `evidence.md`.

Each entry: the key used across the domain notes, the citation, what it found, and the one line
the app may say because of it. Markers as in `evidence.md`: **(unverified)** = details not
confirmed from the primary text here (this workplace has no web access; the citations were
written from the screening notes and knowledge, and must be checked before release).

Status: draft, not clinically signed off. Pure data; shown nowhere yet, tested for completeness.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    finding: str
    app_may_say: str


BOAST10 = Source(
    "BOAST10",
    "British Orthopaedic Association. BOAST 10: Diagnosis and management of compartment syndrome of the limbs (2016).",
    "Compartment syndrome is a surgical emergency; pain out of proportion and pain on passive stretch are the "
    "early signs; it can follow exertion as well as fractures and crush injuries.",
    "Severe, worsening pain with a tight, hard calf or shin after an injury or a long, hard effort needs "
    "emergency help.",
)
MCKINNEY2018 = Source(
    "McKinney2018",
    "McKinney B, Gaunder C, Schumer R. Acute exertional compartment syndrome with rhabdomyolysis: case report "
    "and review of literature. Am J Case Rep 2018;19:145–149 (unverified: pages).",
    "Acute compartment syndrome after exercise without any injury (marches, hard sessions) is rare, easily "
    "mistaken for muscle soreness, and delayed diagnosis costs muscle.",
    "A long, hard effort counts as well as an injury.",
)
DOWNIE2021 = Source(
    "Downie2021",
    "Downie, BMJ 2021, on fractures with little or no injury (pathological and insufficiency fractures) "
    "(unverified: title, authors and pages as cited in screening.md).",
    "A bone weakened by cancer or osteoporosis can break with little or no injury; the leg gives way or "
    "cracks and cannot take weight.",
    "A leg that gave way or cracked with little or no injury, and now takes no weight, needs an X-ray now.",
)
KHERANI2007 = Source(
    "Kherani2007",
    "Kherani RB, Shojania K. Septic arthritis in patients with pre-existing inflammatory arthritis. CMAJ "
    "2007;176(11):1605–1608 (unverified: pages).",
    "Steroids, methotrexate and older age blunt redness and fever in septic arthritis.",
    "A warm or hot, swollen knee can be an infection even when it is not red and there is no fever.",
)
COAKLEY2006 = Source(
    "Coakley2006",
    "Coakley G, et al. BSR & BHPR, BOA, RCGP and BSAC guidelines for management of the hot swollen joint in "
    "adults. Rheumatology 2006;45(8):1039–1041.",
    "A short history of a hot, swollen joint is septic arthritis until proven otherwise; fever is often absent.",
    "A warm, swollen knee should be checked today.",
)
ROBERTSON2017 = Source(
    "Robertson2017",
    "Robertson GAJ, Wood AM. Lower limb stress fractures in sport: optimising their management and outcome. "
    "World J Orthop 2017;8(3):242–255.",
    "Femoral neck stress fractures give groin or front-of-hip ache with training and pain on hopping; "
    "tension-side fractures can displace, so they need same-day assessment and no running; tibial stress "
    "fractures give a sore spot on the shin bone.",
    "A deep groin ache that came with training, or groin pain on hopping, needs checking today, without running.",
)
MATAVA1999 = Source(
    "Matava1999",
    "Matava MJ, Patton CM, Luhmann S, Gordon JE, Schoenecker PL. Knee pain as the initial symptom of slipped "
    "capital femoral epiphysis: an analysis of initial presentation and treatment. J Pediatr Orthop "
    "1999;19(4):455–460 (unverified: pages).",
    "Children whose slipped upper femoral epiphysis showed first as knee pain were diagnosed later and had worse "
    "slips; the foot turning out (out-toeing) is a sign to look for.",
    "In a child, knee pain with a limp, hip or thigh pain, or a foot turning out needs a same-day hip check.",
)
PECK2017 = Source(
    "Peck2017",
    "Peck DM, Voss LM, Voss TT. Slipped capital femoral epiphysis: diagnosis and management. Am Fam Physician "
    "2017;95(12):779–784.",
    "Up to about 15% present with knee or thigh pain only; a suspected slip needs a same-day hip X-ray.",
    "A hip problem in a growing child often shows up as knee pain.",
)
NICE_NG12 = Source(
    "NICE-NG12",
    "NICE. Suspected cancer: recognition and referral (NG12), sarcoma recommendations.",
    "A soft-tissue lump that is growing, or larger than about 5 cm, needs an urgent scan; bone pain that is "
    "unexplained needs an X-ray.",
    "A lump near the knee that is growing or as big as a golf ball should be checked by a clinician.",
)
FREDERICSON_WEIR2006 = Source(
    "Fredericson&Weir2006",
    "Fredericson M, Weir A. Practical management of iliotibial band friction syndrome in runners. Clin J Sport "
    "Med 2006;16(3):261–268 (abstract only).",
    "IT band pain is felt over the bony bump above the outside of the knee, where the band can snap or flick; "
    "it comes with activity and settles with rest.",
    "A snap over the outside bump, or an ache after a run, is not a sign of a problem inside the joint.",
)
STRAUSS2011 = Source(
    "Strauss2011",
    "Strauss EJ, et al. Iliotibial band syndrome: evaluation and management. JAAOS 2011;19(12) (page numbers "
    "unverified).",
    "Mechanical symptoms (locking, giving way) point to meniscal or ligament injury rather than IT band pain; "
    "night pain whatever the position points elsewhere.",
    "Catching, locking for a moment or giving way should be checked by a clinician.",
)
LEZAK2021 = Source(
    "Lezak2021-PMC8567814",
    "Peroneal nerve entrapment review. https://pmc.ncbi.nlm.nih.gov/articles/PMC8567814",
    "Numbness down the outside of the shin or on the top of the foot, or foot drop, comes from the peroneal "
    "nerve, whatever the person blames it on.",
    "Numbness, tingling or a slapping foot should be checked by a clinician.",
)
STUDY_SETS_2026_3 = Source(
    "ITBCare-stories-2026.3",
    "ITB Care's third and fourth independent sets of 40 clinical stories (lateral knee pain differentials from "
    "AAFP, NICE CKS/NG12/NG158, BOAST 10 and sports-medicine reviews; the fourth written blind to the routing), "
    "screening.md, 'What changed in 2026.3'.",
    "People who stopped reading at 'in the last 6 months' missed a knee replacement years ago; 'cured' cancer and "
    "a lump 'only golf-ball sized' were answered no; tingling blamed on tight sleeves was answered no.",
    "Ask the part people miss first, and say that a cause they think they know still counts.",
)

#: Question id → its sources (the questions 2026.3 added or reworded).
SOURCES: dict[str, tuple[Source, ...]] = {
    "compartment_signs": (BOAST10, MCKINNEY2018),
    "fracture_no_injury": (DOWNIE2021,),
    "hot_swollen_fever": (KHERANI2007, COAKLEY2006),
    "hot_swollen_knee": (KHERANI2007, COAKLEY2006),
    "rapid_swelling": (STRAUSS2011,),
    "cannot_bear_weight": (ROBERTSON2017, STUDY_SETS_2026_3),
    "child_limp_hip": (MATAVA1999, PECK2017),
    "groin_pain_with_load": (ROBERTSON2017,),
    "catching_giving_way": (FREDERICSON_WEIR2006, STRAUSS2011),
    "night_or_rest_pain": (FREDERICSON_WEIR2006, STRAUSS2011),
    "weight_loss_cancer": (NICE_NG12, STUDY_SETS_2026_3),
    "bone_spot_pain": (ROBERTSON2017,),
    "numbness_shin_foot": (LEZAK2021, STUDY_SETS_2026_3),
    "recent_knee_surgery": (STUDY_SETS_2026_3,),
}
