"""Public posts classified as complaint, question, praise or outage report, measured on the labelled posts."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from anliegen.channels.social.tests.accounts import sign_x
from anliegen.channels.social.tests.labelled_posts import POSTS
from anliegen.channels.testing import post_fixture
from anliegen.core.models import Incident, Message
from anliegen.core.services import answer_time, incidents, post_kinds

FLOOR = 0.85  # precision and recall of every kind, in each language and overall


def measure(posts: list[tuple[str, str, str]]) -> dict[str, tuple[float, float]]:
    hit, claimed, actual = Counter(), Counter(), Counter()
    for _language, label, text in posts:
        got = post_kinds.classify(text)
        claimed[got] += 1
        actual[label] += 1
        hit[label] += got == label
    return {k: (hit[k] / claimed[k] if claimed[k] else 0.0, hit[k] / actual[k]) for k in post_kinds.KINDS}


def test_the_labelled_set_is_large_and_balanced():
    assert len(POSTS) >= 150
    assert min(Counter((g, label) for g, label, _ in POSTS).values()) >= 20  # each kind in each language


@pytest.mark.parametrize("language", ["de", "en", None])
def test_precision_and_recall_per_kind_stay_above_the_floor(language):
    posts = [p for p in POSTS if language in (None, p[0])]
    figures = measure(posts)
    low = {k: (round(p, 3), round(r, 3)) for k, (p, r) in figures.items() if p < FLOOR or r < FLOOR}
    assert low == {}, low


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Vielen Dank im Voraus: seit gestern kein Internet in 22529", "outage"),
        ("Thanks for nothing, 40 minutes on hold", "complaint"),
        ("Läuft wieder, danke!", "praise"),
    ],
)
def test_thanks_ahead_and_thanks_for_nothing_are_no_praise(text, kind):
    assert post_kinds.classify(text) == kind


def test_a_public_complaint_is_answered_sooner_and_an_outage_report_finds_its_incident(client, x_account, brand):
    # Only the area speaks for this incident (2 points): a mail saying the same is not enough (3 are needed),
    # a post classified as an outage report is.
    incident = Incident.objects.create(
        brand=brand, title="Wartungsarbeiten Nord", regions=["225"], keywords=["stromausfall"],
        starts_at=timezone.now() - timedelta(hours=1), state=Incident.State.ACTIVE,
    )  # fmt: skip
    text = "Kein Internet seit 18 Uhr in 22529, bei euch auch?"
    assert incidents.match(brand, text) is None
    assert incidents.match(brand, text, outage_report=True) == incident
    post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    outage = Message.objects.get(direction="in")
    assert "post:outage" in outage.inbound.trace["classify"]
    assert outage.case.incident == incident
    post_fixture(client, "x", "tweet__complaint.json", key=brand.slug, sign=sign_x)
    complaint = Message.objects.get(direction="in", external_id="x.tweet.1863001000000000004")
    assert "post:complaint" in complaint.inbound.trace["classify"]
    normal = answer_time.due(brand, complaint.case.created_at)
    assert complaint.case.answer_due_at < normal - timedelta(minutes=30)
    assert outage.case.answer_due_at >= normal - timedelta(minutes=1)
