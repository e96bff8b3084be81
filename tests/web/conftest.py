from tests.ambassadors.conftest import ask, net  # noqa: F401 — the ambassador network fixtures
from tests.collaboration.conftest import signal, withdraw  # noqa: F401 — the shared fixtures
