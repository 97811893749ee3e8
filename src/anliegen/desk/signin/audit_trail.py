"""Sign-in in the audit log: each entry once per brand of the agent concerned, so each brand's admins see it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django_otp.models import Device

from anliegen.audit import services as audit
from anliegen.core.models import Agent

SSO_BACKEND = "anliegen.desk.signin.oidc.AgentBackend"


def record(
    actor: Agent | None,
    user: AbstractBaseUser,
    action: str,
    detail: dict | None = None,
    *,
    via: str = "",
    by_themselves: bool = False,
) -> None:
    """One entry per brand of the user's agent; `by_themselves`: the agent is the actor."""
    agent = Agent.objects.filter(user=user).first()
    if agent is None:  # staff without an agent: no brand's log to write to
        return
    for brand_id in agent.memberships.values_list("brand_id", flat=True):
        audit.record(agent if by_themselves else actor, action, agent, detail, brand_id=brand_id, via=via)


def signed_in(user: AbstractBaseUser, device: Device | None = None) -> None:
    """Signed in: through the password or the identity provider, and with which second factor, if any."""
    method = "sso" if getattr(user, "backend", "") == SSO_BACKEND else "password"
    detail = {"method": method, "second_factor": device.name if device is not None else ""}
    record(None, user, audit.Action.SIGNIN, detail, by_themselves=True)


def failed(user: AbstractBaseUser | None, step: str) -> None:
    """A wrong password (step "password") or code ("code") for an agent's user name. Nobody is the actor: whoever
    typed it is not known to be the agent. A user name that is nobody's is not recorded (django-axes counts it)."""
    if user is not None:
        record(None, user, audit.Action.SIGNIN_FAILED, {"step": step}, via="desk")


def failed_password(username: str) -> None:
    users = get_user_model()._default_manager
    failed(users.filter(**{users.model.USERNAME_FIELD: username}).first() if username else None, "password")
