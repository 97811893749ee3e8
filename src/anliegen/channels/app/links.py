"""The poll link an app keeps for its report: signed, expiring, naming one case."""

from __future__ import annotations

from django.core import signing

from anliegen.core.models import Case

SALT = "anliegen.app.poll"


def poll_token(case: Case) -> str:
    return signing.dumps({"c": case.pk, "t": case.reply_token}, salt=SALT, compress=True)
