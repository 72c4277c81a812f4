"""The Django site: settings, URLs, API, base templates, roles, locale."""
