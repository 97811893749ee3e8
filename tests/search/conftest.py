"""Fixtures for search tests: cases and messages written directly, in both languages and both brands."""

from __future__ import annotations

import pytest

from anliegen.core.models import Brand, Case, Contact, Identity, Message


@pytest.fixture
def make_case():
    def make(
        brand: Brand, subject: str, body: str = "", *, language: str = "de", name: str = "Jana Krüger", email: str = ""
    ) -> Case:
        contact = Contact.objects.create(brand=brand, name=name, language=language)
        if email:
            Identity.objects.create(contact=contact, brand=brand, kind="email", value=email)
        case = Case.objects.create(
            brand=brand,
            contact=contact,
            owner=brand.default_owner,
            subject=subject,
            language=language,
            preferred_channel="email",
        )
        if body:
            Message.objects.create(
                case=case, brand=brand, channel="email", direction="in", subject=subject, body_text=body
            )
        return case

    return make
