"""saylau: verifiable party primaries and elections."""

__version__ = "0.1.0"
