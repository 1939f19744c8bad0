"""Browser-test fixtures shared by several modules (the fixtures live in support.py)."""

from tests.browser.support import phone  # noqa: F401  (the 390 px phone: a fixture)
