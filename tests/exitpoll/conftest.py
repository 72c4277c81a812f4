from tests.exitpoll.world import pw  # noqa: F401 - the fixture
