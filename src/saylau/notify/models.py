from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An SMS the development outbox 'sent': shown at /dev/outbox and by ``make demo``."""

    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    to = models.CharField(_("to"), max_length=16)
    body = models.TextField(_("text"))
    sender = models.CharField(_("sender"), max_length=32, blank=True)
    reference = models.CharField(_("reference"), max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return self.reference
