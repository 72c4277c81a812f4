"""The sign-in of the staff pages outside the admin (commissions, hotline, committee, HQ).

The apps route their login to `StaffLoginView`; the site, above them, sets its form to the
throttled one at start-up (site/apps.py), as it does for the admin's, so every staff sign-in
counts wrong passwords the same way and no app imports the site.
"""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView


class StaffLoginView(LoginView):
    authentication_form: type[AuthenticationForm] = AuthenticationForm


def use_form(form: type[AuthenticationForm]) -> None:
    """Make `form` the staff sign-in's form (called once by the site at start-up)."""
    StaffLoginView.authentication_form = form
