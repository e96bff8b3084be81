"""Operations: what a hosting party needs to run Werkbrug, kept apart from the domain apps.

Health probes (`health.py`), Prometheus metrics (`metrics.py`), structured logs with the request
id (`logs.py`), backup and restore (`backup.py` and the `backup`/`restore` commands) and the
demo's in-process scheduler (`scheduler.py`). See docs/operations.md.
"""
