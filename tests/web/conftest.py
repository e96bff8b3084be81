from tests.ambassadors.conftest import ask, net  # noqa: F401 — the ambassador network fixtures
from tests.collaboration.conftest import signal, withdraw  # noqa: F401 — the shared fixtures
from tests.experience_experts.conftest import ee  # noqa: F401 — the experts fixtures
