"""ITB Care in Spanish on a 390 px phone, as a Spanish-speaking person uses it (a browser that asks
for es-ES): the emergency path to the call button, a typical IT band path from the knee check to
the plan, a rest-day quick log, and the report's PDF read back with pypdf.

The Spanish words the person reads are taken from the translation files (gettext in "es"), so the
test follows the same labels a person taps; the few fixed expectations are written out in Spanish."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from rehab.library import load_catalogue
from rehab.models import DailyLog, Exercise
from screening import rules
from tests.factories import ITBS_ANSWERS, make_check, make_log, make_plan, make_user

pytestmark = pytest.mark.browser

PASSWORD = "un-caballo-Blanco-de-carreras-42"


def es(text) -> str:
    with translation.override("es"):
        return str(translation.gettext(str(text)))


LABELS = {"yes": "Sí", "no": "No", "unsure": "No estoy seguro"}


@pytest.fixture(autouse=True)
def _exercise_library(live_server):
    load_catalogue(Exercise)  # a flushed transactional database has lost the migration's rows


def answer(page: Page, question_id: str, value) -> None:
    question = rules.QUESTIONS_BY_ID[question_id]
    with translation.override("es"):
        text = str(question.text)
        labels = {**LABELS, **{code: str(label) for code, label in rules.ACTIVITIES}}
    if question.kind == "age":
        page.get_by_label(text).fill(str(value))
        return
    page.get_by_role("group", name=text).get_by_label(labels[value], exact=True).check()


def shown_questions(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "form.step-form .question",
        "els => els.filter(e => e.offsetParent).map(e => e.querySelector('input, select').name)",
    )


def next_step(page: Page, button: str) -> None:
    progress = page.locator(".progress-label").inner_text()
    page.get_by_role("button", name=button).click()
    expect(page.locator(".progress-label")).not_to_have_text(progress)


def in_view(page: Page, locator) -> None:
    """Visible and inside the 390 px width, without scrolling sideways."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_emergency_path_reaches_the_call_button_in_spanish(live_server, phone):
    page = phone(locale="es-ES")
    page.goto(live_server.url + "/screening/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    answer(page, "age", 34)
    answer(page, "activity", "running")
    next_step(page, "Continuar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Señales urgentes")
    flag = "hot_swollen_fever"
    while not page.get_by_role("group", name=es(rules.QUESTIONS_BY_ID[flag].text)).count():
        next_step(page, "Ninguna de estas")
    answer(page, flag, "yes")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Busca ayuda de emergencia ahora")
    expect(page.locator("#screening-result")).to_have_attribute("data-outcome", "emergency")
    call = page.locator("#screening-result").get_by_role("link", name=re.compile(r"^Llama\w* al 112"))
    expect(call).to_have_attribute("href", "tel:112")  # Spain
    in_view(page, call)
    expect(page.locator("#screening-result")).to_contain_text("No apoyes peso en la pierna")


def test_a_typical_it_band_path_leads_to_the_plan_in_spanish(live_server, phone):
    page = phone(locale="es-ES")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Empezar la revisión de rodilla").click()
    for _ in range(16):
        if page.locator("#screening-result").count():
            break
        shortcut = page.get_by_role("button", name="Ninguna de estas").count() == 1
        for qid in shown_questions(page):
            if qid in ITBS_ANSWERS and not (shortcut and ITBS_ANSWERS[qid] == "no"):
                answer(page, qid, ITBS_ANSWERS[qid])
        next_step(page, "Ninguna de estas" if shortcut else "Continuar")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tus respuestas encajan con el síndrome de la cintilla iliotibial"
    )
    page.get_by_role("link", name="Empieza tu plan de 30 días").click()
    page.get_by_label("Nombre de usuario").fill("lucia")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_label(re.compile("^Acepto que ITB Care guarde")).check()
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page).to_have_url(re.compile(r"/rehab/start/$"))
    page.get_by_role("button", name="Empezar mi plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Día 1 de 30")
    in_view(page, page.get_by_role("button", name="Guardar el registro de hoy"))
    from accounts.models import User

    assert User.objects.get(username="lucia").language == "es"  # their emails and calendar too


def test_a_rest_day_quick_log_in_spanish(live_server, phone):
    user = make_user("rosa")
    plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=4))
    page = phone(user, locale="es-ES")
    page.goto(live_server.url + "/rehab/")
    page.evaluate("window.stillTheSamePage = true")
    for group, choice in (
        ("Peor dolor en la parte externa de la rodilla en las últimas 24 horas", "2"),
        ("¿Descansaste hoy de la actividad que provoca el dolor?", "Sí"),
    ):
        fieldset = page.get_by_role("group", name=group)
        fieldset.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(choice)}\s*$")).tap()
        expect(fieldset.get_by_role("radio", name=choice, exact=True)).to_be_checked()
    save = page.locator("#today-log").get_by_role("button", name="Guardar el registro de hoy")
    in_view(page, save)
    with page.expect_response(lambda r: "/rehab/log/" in r.url and r.request.headers.get("hx-request")):
        save.tap()
    expect(page.locator("#today-log")).to_contain_text("Registrado: peor dolor 2 de 10.")
    expect(page.locator("#live-region")).to_have_text("Se guardó el registro de hoy: peor dolor 2 de 10.")
    assert page.evaluate("window.stillTheSamePage") is True
    log = DailyLog.objects.get(plan=plan, date=timezone.localdate())
    assert (log.pain_worst, log.rested) == (2, True)


def test_the_report_pdf_is_in_spanish(live_server, phone):
    user = make_user("elena")
    today = timezone.localdate()
    plan = make_plan(user, start_date=today - timedelta(days=15))
    for n in range(14):
        make_log(plan, plan.start_date + timedelta(days=n), pain_worst=3 if n < 7 else 1, rested=True)
    make_check(plan, today - timedelta(days=2))
    page = phone(user, locale="es-ES")
    page.goto(live_server.url + "/rehab/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Informe del plan de rodilla")
    link = page.get_by_role("link", name="Descargar en PDF")
    in_view(page, link)
    with page.expect_download() as download:
        link.tap()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    text = re.sub(r"\s+", " ", text)
    for words in ("Informe del plan de rodilla", "Revisiones de progreso", "Dolor al saltar", "Superada"):
        assert words in text, words
    with translation.override("es"):
        started = date_format(plan.start_date, "j b Y")
    assert started in text  # "22 nov 2026": the date in Spanish
    for english in ("Knee plan report", "Progress checks", "Pain on hopping", "Passed"):
        assert english not in text
