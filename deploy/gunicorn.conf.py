"""gunicorn for Werkbrug: sync workers, one request at a time each (see README, docs/benchmarks.md)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"  # no --threads: a sync worker with threads quietly becomes gthread
timeout = 60
graceful_timeout = 30
# Behind the proxy: X-Forwarded-* are read by Django (TRUSTED_PROXY_COUNT), not by gunicorn.
forwarded_allow_ips = "*"
accesslog = "-"
# The request id the application answered with, so access lines meet the application's log lines.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
errorlog = "-"
