"""An agent and their memberships are read together, once per request, and never kept beyond it."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from anliegen.core import roles
from anliegen.core.models import Membership
from tests.conftest import PASSWORD


def test_agent_and_roles_in_one_statement(agents, brand, django_assert_num_queries):
    anna = agents["anna"]
    role = Membership.objects.get(agent=anna).role
    with django_assert_num_queries(1):
        agent = roles.agent_for_user(anna.user_id)
        assert agent == anna and roles.of(agent) == {brand.pk: role}


def test_agent_without_a_brand_and_user_without_an_agent(agents, brand):
    anna = agents["anna"]
    Membership.objects.filter(agent=anna).delete()
    agent = roles.agent_for_user(anna.user_id)
    assert agent == anna and roles.of(agent) == {}
    nobody = get_user_model().objects.create_user("nobody", password=PASSWORD)
    assert roles.agent_for_user(nobody.pk) is None
