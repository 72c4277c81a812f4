from tests.observation.world import ow, ow_tx  # noqa: F401 - the fixtures
