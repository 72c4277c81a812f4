"""SMS gateway implementations."""
