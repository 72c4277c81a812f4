"""Request helpers every app uses, beneath them all: bearer tokens, Server-Timing, staff
roles, operations outside the request's transaction, the client address behind trusted
proxies, error pages and JSON errors, and Django's set-up for the tools."""
