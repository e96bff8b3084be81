"""The benchmark's settings plus the per-request mechanism switches (`bench_mechanisms.py`)."""

from pathlib import Path

from bench_settings import *  # noqa: F403

MIDDLEWARE = [*MIDDLEWARE, "bench_mechanisms.SwitchMiddleware"]  # noqa: F405
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], str(Path(__file__).resolve().parent / "templates")]  # noqa: F405
