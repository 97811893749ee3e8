"""Agents' sign-ins in the audit log: with the password, with a second factor, through single sign-on, and
wrong passwords and codes (each once per brand of the agent; a user name that is nobody's is not recorded)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from anliegen.audit.models import Action, AuditEntry
from anliegen.core.models import Membership
from tests.desk.conftest import client_for
from tests.desk.test_sso import idp, sign_in, signed_in_as  # noqa: F401 - idp is a fixture
from tests.desk.test_two_factor import _no_device_throttle, enrol, password_step, totp  # noqa: F401 - a fixture too

pytestmark = pytest.mark.django_db


def _signins() -> list[tuple]:
    found = AuditEntry.objects.filter(action__in=[Action.SIGNIN, Action.SIGNIN_FAILED]).order_by("id")
    return list(found.values_list("action", "brand_id", "object_id", "actor_id", "via", "detail"))


def test_a_password_sign_in_is_recorded_in_each_brand_of_the_agent(agents, brand, other_brand):
    anna = agents["anna"]
    Membership.objects.create(agent=anna, brand=other_brand)
    password_step(client := Client())
    assert signed_in_as(client) == "anna"
    detail = {"method": "password", "second_factor": ""}
    assert _signins() == [
        (Action.SIGNIN, brand.pk, str(anna.pk), anna.pk, "desk", detail),
        (Action.SIGNIN, other_brand.pk, str(anna.pk), anna.pk, "desk", detail),
    ]


def test_wrong_passwords_are_recorded_for_agents_only(agents, brand):
    client = Client()
    assert client.post(reverse("desk:login"), {"username": "anna", "password": "wrong"}).status_code == 200
    client.post(reverse("desk:login"), {"username": "nobody", "password": "wrong"})
    client.post(reverse("desk:login"), {"username": "anna"})  # no password: no attempt
    anna = agents["anna"].pk
    assert _signins() == [(Action.SIGNIN_FAILED, brand.pk, str(anna), None, "desk", {"step": "password"})]


def test_the_code_step_records_a_wrong_code_and_the_sign_in_with_its_factor(agents, brand):
    secret, _codes = enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    client = Client()
    password_step(client)
    assert _signins() == []  # the password alone signs nobody in
    client.post(reverse("desk:login_code"), {"code": "12345"})
    client.post(reverse("desk:login_code"), {"code": totp(secret, time.time() + 30)})
    anna = agents["anna"].pk
    assert _signins() == [
        (Action.SIGNIN_FAILED, brand.pk, str(anna), None, "desk", {"step": "code"}),
        (Action.SIGNIN, brand.pk, str(anna), anna, "desk", {"method": "password", "second_factor": "authenticator"}),
    ]


def test_a_single_sign_on_is_recorded_as_such(agents, brand, idp):  # noqa: F811
    client = Client()
    sign_in(client)
    assert signed_in_as(client) == "anna"
    anna = agents["anna"].pk
    assert _signins() == [(Action.SIGNIN, brand.pk, str(anna), anna, "desk", {"method": "sso", "second_factor": ""})]
