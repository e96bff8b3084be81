"""Celery application. Without CELERY_BROKER_URL tasks run eagerly, in the request's process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.conf.production")

app = Celery("werkbrug")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
