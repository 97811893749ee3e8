"""A brand's languages and region: answers stay in the languages it speaks, national numbers read in its country."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anliegen.core.models import Brand, Case, Identity
from anliegen.core.setup import create_brand


def test_a_brand_answers_only_in_its_languages(brand, agents, client):
    brand.languages = ["de"]
    brand.save()
    text = "Hello, my internet has been down since yesterday and I would like you to call me back please."
    response = client.post(
        f"/{brand.slug}/contact/",
        {"name": "John", "email": "john@example.org", "subject": "Internet down", "text": text, "submission": ""},
    )
    assert response.status_code == 302
    assert Case.objects.get().language == "de"


def test_an_english_brand_keeps_english(db):
    brand = create_brand("uk", "UK Ltd", "uk.example", default_language="en", languages=["en", "de"])
    assert brand.answer_language("de") == "de" and brand.answer_language("fr") == "en"


def test_national_numbers_read_in_the_brands_region(brand, agents, client):
    brand.default_region = "AT"
    brand.save()
    response = client.post(
        f"/{brand.slug}/contact/",
        {
            "name": "Resi",
            "phone": "01 5123456",
            "subject": "Zählerstand",
            "text": "Bitte rufen Sie mich an.",
            "submission": "",
        },
    )
    assert response.status_code == 302
    assert Identity.objects.get(kind="phone").value == "+4315123456"


def test_brand_add_with_languages_and_region(db):
    call_command(
        "brand",
        "add",
        "wien",
        "--name=Wien Energie",
        "--mail-domain=wien.example",
        "--languages=de",
        "--region=at",
        stdout=io.StringIO(),
    )
    brand = Brand.objects.get(slug="wien")
    assert (brand.languages, brand.default_region) == (["de"], "AT")
    with pytest.raises(CommandError, match="not among"):
        call_command("brand", "add", "x", "--name=X", "--mail-domain=x.example", "--languages=en", stdout=io.StringIO())
