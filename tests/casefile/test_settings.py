"""The documents storage is chosen by the environment; S3 without a bucket refuses to start."""

import os
import subprocess
import sys

import pytest

PROGRAM = "from werkbrug.conf import base; print(base.STORAGES['documents']['BACKEND'])"


def _settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DOCUMENTS_")} | env
    return subprocess.run([sys.executable, "-c", PROGRAM], env=environment, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize(("env", "backend"), [
    ({}, "django.core.files.storage.FileSystemStorage"),
    ({"DOCUMENTS_STORAGE": "s3", "DOCUMENTS_S3_BUCKET": "werkbrug-documenten"}, "storages.backends.s3.S3Storage"),
])
def test_storage_from_the_environment(env, backend):
    result = _settings(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


@pytest.mark.parametrize("env", [{"DOCUMENTS_STORAGE": "s3"}, {"DOCUMENTS_STORAGE": "ftp"}])
def test_misconfigured_storage_refuses_to_start(env):
    result = _settings(**env)
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr
