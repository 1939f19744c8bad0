import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itbcare.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL conf, templates' modules) lives as long as the
# process: move it out of the garbage collector's sight, so collections walk only per-request
# objects (and forked gunicorn workers keep sharing those pages copy-on-write).
gc.freeze()
