"""`saylau smtp-intake`: run the complaints' SMTP listener until interrupted."""

from __future__ import annotations

import threading

import typer
from rich.console import Console

from saylau.cli.database import server_django


def smtp_intake(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(2525, help="Port to listen on."),
    lang: str = typer.Option(None, help="Language of the messages (kk, ru, en)."),
) -> None:
    """Turn mail to the hotline address into complaints (attachments become evidence)."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.complaints import replies, smtp

    listener = smtp.controller(host, port)
    listener.start()
    Console().print(
        _("Listening for mail to %(address)s on %(host)s:%(port)s. Ctrl+C stops.")
        % {"address": replies.hotline_address(), "host": host, "port": port}
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        listener.stop()
