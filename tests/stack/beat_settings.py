"""Celery beat of the whole-stack test: production settings, with every scheduled task due every
few seconds (shortened time) instead of each minute, hour or day (the digest at 07:30 among them).
Only beat reads this; the web processes and the worker run `werkbrug.conf.production` as is."""

import os

from werkbrug.conf.production import *  # noqa: F403
from werkbrug.conf.production import CELERY_BEAT_SCHEDULE as _PRODUCTION_SCHEDULE

STACK_BEAT_SECONDS = float(os.environ.get("STACK_BEAT_SECONDS", "2"))
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": STACK_BEAT_SECONDS} for name, entry in _PRODUCTION_SCHEDULE.items()
}
