"""``manage.py`` for saylau: ``python -m saylau.site.manage migrate`` or ``saylau manage …``."""

from __future__ import annotations

import sys

from saylau.web.bootstrap import configure_environment


def main(argv: list[str] | None = None) -> None:
    configure_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saylau-manage", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
