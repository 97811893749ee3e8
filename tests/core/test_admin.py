"""The admin sets up a company: brands, agents, memberships and incidents, each admin scoped to their brands."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from anliegen.core.models import Agent, Incident, Membership
from anliegen.core.setup import create_agent

from ..conftest import PASSWORD


@pytest.fixture
def brand_admin(brand, agents):
    return create_agent(
        brand, "hanna", "Hanna Admin", PASSWORD, role=Membership.Role.ADMIN, staff=True, superuser=False
    )


@pytest.fixture
def admin_client(client, brand_admin):
    assert client.login(username="hanna", password=PASSWORD)
    return client


def test_a_brand_admin_sees_and_changes_only_their_brands(admin_client, brand, other_brand):
    Incident.objects.create(brand=other_brand, title="Störung im Süden", starts_at=timezone.now())
    page = admin_client.get("/admin/")
    assert page.status_code == 200
    assert b"/admin/core/brand/" in page.content and b"/admin/core/incident/" in page.content
    brands = admin_client.get("/admin/core/brand/").content.decode()
    assert brand.name in brands and other_brand.name not in brands
    assert admin_client.get(f"/admin/core/brand/{other_brand.pk}/change/").status_code == 302  # "does not exist"
    agents = admin_client.get("/admin/core/agent/").content.decode()
    assert "Anna Schmidt" in agents and other_brand.default_owner.name not in agents
    assert "Störung im Süden" not in admin_client.get("/admin/core/incident/").content.decode()
    assert other_brand.name not in admin_client.get("/admin/core/agent/").content.decode()  # not even as a filter
    assert admin_client.get("/admin/core/brand/add/").status_code == 403  # brands are made by a superuser


def test_search_and_filters(admin_client, brand):
    assert "Anna Schmidt" in admin_client.get("/admin/core/agent/?q=201").content.decode()
    assert "Ben Wagner" not in admin_client.get("/admin/core/agent/?q=201").content.decode()
    for url in (
        f"/admin/core/agent/?memberships__brand__id__exact={brand.pk}",
        "/admin/core/agent/?presence__exact=online",
        "/admin/core/membership/?role__exact=supervisor",
        "/admin/core/incident/?state__exact=active",
        "/admin/core/brand/?q=stadtwerk",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_brand_admin_adds_an_agent_with_authority_in_euros(admin_client, brand, other_brand):
    form = {
        "username": "paula",
        "password": "Lange-Leitung-42",
        "email": "",
        "brand": brand.pk,
        "role": "agent",
        "name": "Paula Neumann",
        "extension": "205",
        "languages": "de, en",
        "skills": "billing tv",
        "capacity": 30,
        "presence": "offline",
        "credit_max": "75.50",
        "may_replace_device": "on",
    }
    response = admin_client.post("/admin/core/agent/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    paula = Agent.objects.get(user__username="paula")
    assert paula.languages == ["de", "en"] and paula.skills == ["billing", "tv"]
    assert paula.authority == {"credit_max_cents": 7550, "may_replace_device": True}
    assert list(paula.memberships.values_list("brand_id", "role")) == [(brand.pk, "agent")]
    assert paula.user.email == "paula@stadtwerk.example" and not paula.user.is_staff
    assert get_user_model().objects.get(username="paula").check_password("Lange-Leitung-42")

    # Another brand is no choice for this admin.
    refused = admin_client.post("/admin/core/agent/add/", {**form, "username": "quentin", "brand": other_brand.pk})
    assert refused.status_code == 200 and not Agent.objects.filter(user__username="quentin").exists()


def test_editing_an_agent_keeps_what_the_form_does_not_show(admin_client, agents):
    anna = agents["anna"]
    anna.authority = {"credit_max_cents": 5000, "may_replace_device": True}
    anna.save()
    page = admin_client.get(f"/admin/core/agent/{anna.pk}/change/").content.decode()
    assert 'value="50.00"' in page or 'value="50,00"' in page
    assert 'value="de, en"' in page


def test_a_superuser_sees_every_brand(client, brand, other_brand):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    assert client.login(username="root", password=PASSWORD)
    page = client.get("/admin/core/brand/").content.decode()
    assert brand.name in page and other_brand.name in page
    assert client.get("/admin/core/brand/add/").status_code == 200


def test_an_agent_without_admin_role_has_no_admin(client, agents):
    user = agents["anna"].user
    user.is_staff = True
    user.save()
    assert client.login(username="anna", password=PASSWORD)
    assert client.get("/admin/core/agent/").status_code == 403


def test_the_admin_login_page_opens_for_anyone(client, brand):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/admin/").status_code == 302
