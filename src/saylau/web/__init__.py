"""Request helpers every app uses, beneath them all: bearer tokens, Server-Timing, staff
roles, operations outside the request's transaction, and Django's set-up for the tools."""
