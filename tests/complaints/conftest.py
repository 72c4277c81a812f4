"""The committee world fixture (tests/complaints/world.py)."""

from tests.complaints.world import cw  # noqa: F401
