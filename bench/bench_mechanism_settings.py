"""The benchmark's settings plus the per-request mechanism switches (`bench_mechanisms.py`)."""

from bench_settings import *  # noqa: F403

MIDDLEWARE = [*MIDDLEWARE, "bench_mechanisms.SwitchMiddleware"]  # noqa: F405
