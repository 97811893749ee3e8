"""Prepared queries (base/prepared.py): the same rows as their queryset for any values, compiled once per shape."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from anliegen.base.prepared import Prepared
from anliegen.core.models import Case, Contact, Identity

pytestmark = pytest.mark.django_db


def _cases(brand, other_brand, agents) -> list[Case]:
    made = []
    for i, b in enumerate([brand, other_brand, brand]):
        contact = Contact.objects.create(brand=b, name=f"Kunde {i}")
        Identity.objects.create(contact=contact, brand=b, kind="email", value=f"kunde{i}@example.org")
        owner = agents["anna"] if b == brand else other_brand.memberships.get().agent
        made.append(Case.objects.create(brand=b, contact=contact, owner=owner, subject=f"Anliegen {i}"))
    return made


def _plain(objs: list) -> list:
    return [({k: v for k, v in o.__dict__.items() if k != "_state"}, sorted(o._state.fields_cache)) for o in objs]


def test_rows_are_the_querysets_for_every_value_and_list_length(brand, other_brand, agents):
    cases = _cases(brand, other_brand, agents)
    built = []

    def build(case, brands):  # noqa: ANN202 - a queryset
        built.append((case, brands))
        return (
            Case.objects.filter(pk=case, brand_id__in=brands)
            .select_related("brand", "owner", "contact")
            .annotate(n=Count("messages"))
        )

    prepared = Prepared(build)
    for case in cases:
        for brands in ([brand.pk], [other_brand.pk], [brand.pk, other_brand.pk], [other_brand.pk, brand.pk]):
            assert _plain(prepared(case=case.pk, brands=brands)) == _plain(build(case.pk, brands))
    # Built once per list length for the prepared query (the rest of `built` are the comparisons' own).
    assert len(built) - 4 * len(cases) == 2


def test_two_values_of_one_query_go_where_each_belongs(brand, other_brand, agents):
    a, b, _c = _cases(brand, other_brand, agents)
    prepared = Prepared(lambda case, contact: Case.objects.filter(pk=case, contact_id=contact).values_list("pk"))
    assert prepared(case=a.pk, contact=a.contact_id) == [(a.pk,)]
    assert prepared(case=a.pk, contact=b.contact_id) == []
    assert prepared(case=b.pk, contact=b.contact_id) == [(b.pk,)]


def test_prefetches_run_as_for_the_queryset(brand, other_brand, agents):
    cases = _cases(brand, other_brand, agents)
    prepared = Prepared(
        lambda brand: Case.objects.filter(brand_id=brand).order_by("pk").prefetch_related("contact__identities")
    )
    with CaptureQueriesContext(connection) as queries:
        found = prepared(brand=brand.pk)
        assert [list(c.contact.identities.all()) for c in found] == [
            list(Identity.objects.filter(contact_id=c.contact_id)) for c in (cases[0], cases[2])
        ]
    assert len(queries) == 3 + 2  # the cases, their contacts, the identities; then the comparison's two


def test_no_values_no_rows_and_ids_beyond_a_column_are_no_error(brand, other_brand, agents):
    cases = _cases(brand, other_brand, agents)
    prepared = Prepared(lambda case, brands: Case.objects.filter(pk=case, brand_id__in=brands))
    assert prepared(case=cases[0].pk, brands=[]) == []
    assert prepared(case=2**63, brands=[brand.pk]) == []  # a URL's id: Django decides it without the database
    assert [c.pk for c in prepared(case=cases[0].pk, brands=[brand.pk])] == [cases[0].pk]


def test_texts_are_bound_like_ids_and_a_changed_text_is_refused(brand, other_brand, agents):
    cases = _cases(brand, other_brand, agents)
    prepared = Prepared(
        lambda value, brand: Identity.objects.filter(value=value, brand_id=brand).values_list("contact_id", flat=True)
    )
    for value in ("kunde0@example.org", "kunde1@example.org", "kunde2@example.org", "KUNDE0@example.org", ""):
        for b in (brand.pk, other_brand.pk):
            expected = list(Identity.objects.filter(value=value, brand_id=b).values_list("contact_id", flat=True))
            assert prepared(value=value, brand=b) == expected
    assert prepared(value="kunde1@example.org", brand=other_brand.pk) == [cases[1].contact_id]
    listed = Prepared(lambda values: Identity.objects.filter(value__in=values).order_by("pk").values_list("value"))
    assert listed(values=["kunde2@example.org", "kunde0@example.org"]) == [
        ("kunde0@example.org",),
        ("kunde2@example.org",),
    ]
    with pytest.raises(ValueError, match="cannot be prepared"):  # `%value%`: not the value itself
        Prepared(lambda value: Identity.objects.filter(value__icontains=value))(value="kunde")
