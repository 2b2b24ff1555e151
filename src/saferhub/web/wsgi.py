"""WSGI entry point for gunicorn (`saferhub serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
application = get_wsgi_application()
