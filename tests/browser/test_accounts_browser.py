"""A person signs up, logs out, logs in and changes their time zone, in a real browser."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "a-long-Unusual-passphrase-42"


def test_sign_up_log_out_log_in_and_change_time_zone(live_server, page: Page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I agree that ITB Care stores").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome, dana. Your account is ready.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("You don't have a plan yet")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Account").click()
    page.get_by_label("Your time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved. Your time zone is now Asia/Tokyo.")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")


def test_a_wrong_password_says_so_and_keeps_the_username(live_server, page: Page, django_user_model):
    django_user_model.objects.create_user(username="erin", password=PASSWORD)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("erin")


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_too_many_wrong_passwords_say_how_long_to_wait_and_keep_the_form(live_server, page: Page, django_user_model):
    django_user_model.objects.create_user(username="erin", password=PASSWORD)
    for _ in range(5):
        _log_in(page, live_server.url, "erin", "not-the-password")
    _log_in(page, live_server.url, "erin", PASSWORD)
    expect(page.get_by_text("Too many attempts. For your safety, please wait")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("erin")
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_sign_out_everywhere_else_signs_the_other_browser_out(live_server, browser, django_user_model):
    django_user_model.objects.create_user(username="erin", password=PASSWORD)
    laptop, phone = browser.new_context(), browser.new_context()
    here, there = laptop.new_page(), phone.new_page()
    _log_in(here, live_server.url, "erin", PASSWORD)
    _log_in(there, live_server.url, "erin", PASSWORD)

    here.goto(live_server.url + "/accounts/settings/")
    expect(here.get_by_text("You are also signed in on 1 other browser or device.")).to_be_visible()
    here.get_by_role("button", name="Sign out everywhere else").click()
    expect(here.get_by_text("Signed out on 1 other browser or device. You are still signed in here.")).to_be_visible()
    expect(here.get_by_text("You are not signed in anywhere else.")).to_be_visible()

    there.goto(live_server.url + "/accounts/settings/")
    expect(there.get_by_role("heading", level=1)).to_have_text("Log in")
    laptop.close()
    phone.close()
