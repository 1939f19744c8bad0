"""Settings for the test run: the project's own settings with a throwaway secret key.

Production settings refuse to start without SECRET_KEY when DEBUG is off; pytest-django runs
with DEBUG off, so the tests provide one here instead of weakening that rule.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Required when DEBUG is off: the address absolute links in emails and the calendar feed use.
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# One JSON line per request is for production; tests that look at it turn it on (caplog).
os.environ.setdefault("REQUEST_LOG", "0")

from itbcare.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only

# Browser tests run a live server in threads; persistent connections there would keep the test
# database busy when pytest-django drops it at the end ("being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
