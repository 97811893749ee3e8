"""template_parts: confirmations filled into per-language skeletons are byte for byte Django's own render."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from django.template import engines
from django.template.loader import get_template
from django.utils import timezone, translation

from anliegen.core.models import Incident
from anliegen.core.services import confirmations, template_parts
from tests.promises.factories import email, webform

PARTS = [
    f"confirmations/{name}.{ext}"
    for name in ("new_case", "follow_up", "public_new_case", "public_follow_up")
    for ext in ("txt", "html")
]
SHORT = ["confirmations/new_case.short.txt", "confirmations/follow_up.short.txt"]

NAMES = ["", "Jana Krüger", 'O\'Brien <b>&amp; "Söhne"', "100% {{ name }}"]
SUBJECTS = ["Zählerstand", "<script>alert(1)</script> & 'quotes'", "Rechnung 50%% %(x)s", "a" * 250]
HOTLINE_WAITS = ["", "The hotline has a wait of about 4 minutes right now — or we call you back <free>."]


def _incident(brand, public: bool, description: str) -> Incident:
    return Incident(
        brand=brand,
        title="Störung <Nord> & Süd",
        title_en="Outage <north>",
        description=description,
        description_en=description and "Crews are on site & working.",
        starts_at=timezone.now(),
        public=public,
    )


def _contexts(brand, agents):
    """Confirmation contexts over the values that change what a confirmation says, in both languages."""
    first = webform(brand, "jana@example.org", "Zählerstand", "Mein Zähler zeigt nichts an.", "tp1", name="Jana")
    second = email(brand, "kim@example.net", "Invoice", "Hello, my invoice is wrong, please help.")
    shapes = list(
        itertools.product(
            (first, second),
            ("de", "en", ""),
            NAMES,
            SUBJECTS,
            ("", "201"),  # the owner's extension
            ("", "+49 40 123456"),  # the brand's hotline
            (None, (True, "Seit 8 Uhr <ohne> Strom."), (False, ""), (True, "")),  # the case's incident
            (False, True),  # reopened
            (True, False),  # the writer is the case's contact (else no case link)
            HOTLINE_WAITS,
            (True, False),  # an answer is due
        )
    )
    for case, language, name, subject, extension, hotline, incident, reopened, own, wait, due in random.Random(
        15
    ).sample(shapes, 120):
        case.language, case.subject = language, subject
        case.contact.name = name
        case.owner.extension, case.brand.hotline = extension, hotline
        case.incident = _incident(brand, *incident) if incident else None
        case.answer_due_at = timezone.now() + timedelta(hours=5, minutes=7) if due else None
        context = confirmations.confirmation_context(case) | {"reopened": reopened, "first_name": name.split(" ")[0]}
        if not own:
            context["case_url"] = ""
        context["hotline_wait"] = wait
        yield language or brand.default_language, context


def _filled(name: str, context: dict, memo: dict | None = None) -> str:
    """From the skeleton, never by falling back to Django (which would make the comparison say nothing)."""
    template_parts.render(name, context)
    return template_parts._fill(template_parts._plans[name], context, memo)


def test_confirmation_templates_are_rendered_from_skeletons():
    for name in PARTS + SHORT:
        assert template_parts.supported(name), name


@pytest.mark.django_db
def test_filled_skeletons_equal_djangos_render(brand, agents):
    checked = 0
    for language, context in _contexts(brand, agents):
        with translation.override(language):
            memo: dict = {}  # shared by one mail's parts, as confirmations._render shares it
            for name in PARTS:
                assert _filled(name, context, memo) == get_template(name).render(context), name
                checked += 1
            for name, compact in itertools.product(SHORT, (False, True)):
                short = context | {"compact": compact}
                assert _filled(name, short) == get_template(name).render(short), name
                checked += 1
    assert checked == 120 * 12


@pytest.mark.django_db
def test_a_confirmation_sent_is_the_plain_render(brand, agents, monkeypatch):
    # The link's signature holds the second it was made and the wait changes with the calls: both fixed here.
    monkeypatch.setattr(confirmations, "case_url", lambda case: f"http://testserver/c/{case.pk}/?a=1&b=2")
    monkeypatch.setattr(confirmations.registry, "confirmation_extras", lambda case, language: {"hotline_wait": "<3"})
    case = webform(brand, "jana@example.org", "Zählerstand <neu>", "Mein Zähler zeigt nichts an.", "tp2", name="Jana")
    (message,) = case.messages.filter(kind="confirmation")
    context = confirmations.confirmation_context(case) | {"reopened": False, "first_name": "Jana"}
    with translation.override(case.language or brand.default_language):
        text = get_template("confirmations/new_case.txt").render(context).strip() + "\n"
        html = get_template("confirmations/new_case.html").render(context)
    assert (message.body_text, message.body_html) == (text, html)


def test_a_template_it_cannot_fill_is_rendered_by_django():
    django_engine = engines["django"].engine
    for source in (
        "{% for x in items %}{{ x }}{% endfor %}",
        "{% if count > 1 %}many{% endif %}",
        "{{ text|linebreaksbr }}",
        "{% with a=b %}{{ a }}{% endwith %}",
        "{{ case }} {{ case.subject }}",
    ):
        template = django_engine.from_string(source)
        assert template_parts._make_plan(template).skeleton is None, source
    assert template_parts._make_plan(django_engine.from_string("{{ a.b }}{{ a.c|date:'Y' }}")).skeleton is not None
