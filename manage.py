#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itbcare.settings")
    # manage.py is the developer's tool: on a fresh clone it runs in debug mode. Production sets
    # DEBUG=0 explicitly, and serves through wsgi.py/asgi.py, which never default to debug.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
