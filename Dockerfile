# Werkbrug's container image: one image for the web processes, the Celery worker and beat.
# Build stage: compilers and headers only here. Final stage: the virtualenv, the runtime
# libraries WeasyPrint needs, the PostgreSQL client (werkbrug backup/restore), a non-root user.
# Debian 12 on both sides so that pg_dump (15) matches the compose file's PostgreSQL 15.

FROM python:3.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/werkbrug
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN /opt/werkbrug/bin/pip install .
# Static files are collected at build time, into the image (served by WhiteNoise).
RUN SECRET_KEY=build-only ACCESS_LOG_HMAC_KEY=build-only WERKBRUG_BASE_URL=https://build.invalid \
    WERKBRUG_VAR_DIR=/var/lib/werkbrug DJANGO_SETTINGS_MODULE=werkbrug.conf.production \
    /opt/werkbrug/bin/werkbrug collectstatic --no-input -v 0

FROM python:3.12-slim-bookworm
ENV PATH=/opt/werkbrug/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=werkbrug.conf.production \
    WERKBRUG_VAR_DIR=/var/lib/werkbrug
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 werkbrug \
 && useradd --system --uid 10001 --gid werkbrug --home-dir /var/lib/werkbrug --shell /usr/sbin/nologin werkbrug \
 && mkdir -p /var/lib/werkbrug/media /var/lib/werkbrug/anchors /run/werkbrug-metrics \
 && chown -R werkbrug:werkbrug /var/lib/werkbrug /run/werkbrug-metrics
COPY --from=build /opt/werkbrug /opt/werkbrug
COPY --from=build --chown=werkbrug:werkbrug /var/lib/werkbrug/static /var/lib/werkbrug/static
COPY deploy/gunicorn.conf.py /etc/werkbrug/gunicorn.conf.py
USER werkbrug
WORKDIR /var/lib/werkbrug
EXPOSE 8000
CMD ["gunicorn", "--config", "/etc/werkbrug/gunicorn.conf.py", "werkbrug.wsgi"]
