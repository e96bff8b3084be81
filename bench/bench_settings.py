"""Production settings, plus the benchmark's comparison URLs (bench_urls.py)."""

from werkbrug.conf.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
