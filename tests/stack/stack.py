"""The production stack without containers: two gunicorn web processes, a Celery worker and Celery
beat on PostgreSQL and Redis, as compose.yaml runs them, each a process of its own.

Used by the whole-stack test (tests/stack/test_stack.py). Run it by hand to try the stack:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/werkbrug .venv/bin/python -m tests.stack.stack

It makes a database of its own on that server (`werkbrug_stack`, dropped at the end), migrates
and seeds it (tests/stack/seed.py), starts the processes, prints their addresses and waits for
Ctrl+C. Everything it started is stopped at the end, whatever happens.

The web processes and the worker run `werkbrug.conf.production` unchanged, configured through the
environment as a hosting party would: sessions and the cache in Redis (CACHE_URL), the broker in
Redis (CELERY_BROKER_URL), mail written to files (EMAIL_FILE_PATH) so that the test can read it.
Beat reads tests/stack/beat_settings.py: the same schedule, every task due every few seconds.
The test talks to the web processes as the reverse proxy would: the public host name in `Host`,
`X-Forwarded-Proto: https` and `X-Forwarded-For` (TRUSTED_PROXY_COUNT=1).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import suppress
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PUBLIC_HOST = "werkbrug.stack.test"
BASE_URL = f"https://{PUBLIC_HOST}"
# Redis databases of the stack: the broker and the cache (sessions). Emptied at start and end.
REDIS_URL = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379")
BROKER_DB, CACHE_DB = 10, 11


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_reachable(url: str = REDIS_URL) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.ping()
        client.close()
        return True
    except redis.RedisError:
        return False


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Stack:
    """`with Stack(database_url) as stack:` the stack runs; `stack.web` are the two base URLs."""

    def __init__(self, database_url: str, *, db_name: str = "werkbrug_stack", workdir: Path | None = None):
        parts = urllib.parse.urlsplit(database_url)
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.db_name = db_name
        self.database_url = urllib.parse.urlunsplit(parts._replace(path="/" + db_name))
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="werkbrug-stack-")
        self.dir = Path(workdir or self._tmp.name)
        self.mail_dir = self.dir / "mail"
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports = [free_port(), free_port()]
        self.web = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.seed: dict = {}
        self.started_in = self.total = 0.0

    # --- the environment ------------------------------------------------------------------------

    def env(self, settings: str = "werkbrug.conf.production") -> dict[str, str]:
        from cryptography.fernet import Fernet

        if not hasattr(self, "_secrets"):
            self._secrets = {
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ACCESS_LOG_HMAC_KEY": secrets.token_urlsafe(32),
                "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            }
        keep = {k: v for k, v in os.environ.items()
                if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PGPASSWORD", "VIRTUAL_ENV"}}
        return {
            **keep, **self._secrets,
            "DJANGO_SETTINGS_MODULE": settings,
            # This checkout first (its src/ and tests/), whatever the virtualenv has installed.
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), *[p for p in sys.path if p]]),
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self.database_url,
            "DATABASE_POOL_MIN": "1",
            "DATABASE_POOL_MAX": "4",
            "CACHE_URL": f"{REDIS_URL}/{CACHE_DB}",
            "CELERY_BROKER_URL": f"{REDIS_URL}/{BROKER_DB}",
            "WERKBRUG_BASE_URL": BASE_URL,
            "ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
            "TRUSTED_PROXY_COUNT": "1",
            "SECURE_PROXY_SSL_HEADER_ON": "1",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "WERKBRUG_VAR_DIR": str(self.dir / "var"),
            "ACCESS_LOG_ANCHOR_PATH": str(self.dir / "anchors.jsonl"),
            "ACCESS_LOG_SEAL_GRACE_SECONDS": "1",
            "PROMETHEUS_MULTIPROC_DIR": str(self.dir / "metrics"),
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "INFO",
        }

    # --- database and Redis ---------------------------------------------------------------------

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def _drop_database(self) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.db_name)))

    def _empty_redis(self) -> None:
        import redis

        for db in (BROKER_DB, CACHE_DB):
            client = redis.Redis.from_url(f"{REDIS_URL}/{db}")
            client.flushdb()
            client.close()

    def connect(self):
        """A connection to the stack's database, for the test's checks."""
        import psycopg

        return psycopg.connect(self.database_url, autocommit=True)

    # --- processes ------------------------------------------------------------------------------

    def _run(self, *args: str) -> str:
        done = subprocess.run([sys.executable, *args], env=self.env(), cwd=ROOT, capture_output=True,  # noqa: S603
                              text=True, timeout=600)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
        return done.stdout

    def _start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.dir / f"{name}.log").open("wb")
        # A session of its own: the process and its children (gunicorn's and Celery's workers)
        # are stopped together through the group, by this process's id only.
        self.processes[name] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log,  # noqa: S603
                                                stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        pending = set(self.web)
        worker_ready = False
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped while starting:\n{self.log(name)[-3000:]}")
            for base in list(pending):
                with suppress(OSError):
                    if urlopen(base + "/health/ready", timeout=5).status == 200:  # noqa: S310 — loopback
                        pending.discard(base)
            worker_ready = worker_ready or " ready." in self.log("worker")
            if not pending and worker_ready:
                return
            time.sleep(0.5)
        raise RuntimeError(f"the stack did not become ready: web {sorted(pending)}, worker ready {worker_ready}")

    def start(self) -> Stack:
        from django.conf import settings as django_settings

        began = time.monotonic()
        for folder in (self.mail_dir, self.dir / "metrics", self.dir / "var"):
            folder.mkdir(parents=True, exist_ok=True)
        self._drop_database()
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.db_name)))
        self._empty_redis()
        self._run("-m", "werkbrug", "migrate", "--no-input", "-v", "0")
        import json

        self.seed = json.loads(self._run("-m", "tests.stack.seed").strip().splitlines()[-1])
        env = self.env()
        for index, port in enumerate(self.ports, start=1):
            self._start(f"web{index}", [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                        "werkbrug.wsgi"], {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"})
        queues = ",".join(queue.name for queue in django_settings.CELERY_TASK_QUEUES) if django_settings.configured \
            else "celery,mail,exports,sealing"
        self._start("worker", [str(BIN / "celery"), "-A", "werkbrug", "worker", "-Q", queues, "--concurrency", "1",
                               "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                               "--hostname", f"stack-{os.getpid()}@%h"], env)
        self._start("beat", [str(BIN / "celery"), "-A", "werkbrug", "beat", "--loglevel", "INFO",
                             "--schedule", str(self.dir / "celerybeat-schedule")],
                    self.env("tests.stack.beat_settings"))
        self._wait_ready()
        self.started_in = time.monotonic() - began
        return self

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        with suppress(Exception):
            self._drop_database()
        with suppress(Exception):
            self._empty_redis()

    def __enter__(self) -> Stack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()


def main() -> int:
    url = postgres_url()
    if not url or not redis_reachable():
        print("needs DATABASE_URL=postgres://… and Redis on " + REDIS_URL, file=sys.stderr)
        return 2
    with Stack(url) as stack:
        print(f"web 1: {stack.web[0]}   web 2: {stack.web[1]}   (send Host: {PUBLIC_HOST} and "
              f"X-Forwarded-Proto: https, as the proxy does)")
        print(f"people: {', '.join(stack.seed[k]['username'] for k in ('jobcoach', 'expert'))}, "
              f"password {stack.seed['password']}; mail in {stack.mail_dir}; logs in {stack.dir}")
        with suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in stack.processes.values()):
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
