from tests.collaboration.conftest import signal  # noqa: F401 — the same signal fixture
