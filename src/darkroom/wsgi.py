"""WSGI entry point (gunicorn serves ``darkroom.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darkroom.settings")
application = get_wsgi_application()
