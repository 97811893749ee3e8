"""Incidents: which active incident a message is about, by area, incident words and text similarity.

A message names its area by a postcode in the text (or one the caller knows from the contact); a postcode
outside the incident's area rules the incident out, one inside counts for it. The incident's keywords
("kein Signal"), its product's words and the overlap of the message's words with the incident's public text
add up to a score; the best incident at or above MATCH_AT wins. tests/core/test_incident_matching.py holds
the labelled set this is measured on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils import timezone

from anliegen.core.models import Brand, Incident

MATCH_AT = 3.0
OUTAGE_BONUS = 1.0  # what a post's own "it is down" is worth as evidence (core/services/post_kinds)
POSTCODE = re.compile(r"(?<![\d.,-])(\d{5})(?!\d|[.,]\d)")
WORD = re.compile(r"[a-zäöüß]{3,}")
STOP = frozenset(
    [
        "aber",
        "alle",
        "auch",
        "bei",
        "bin",
        "bis",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "doch",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "es",
        "für",
        "hat",
        "habe",
        "haben",
        "hier",
        "ich",
        "ihr",
        "ihre",
        "ist",
        "kann",
        "mein",
        "meine",
        "mir",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nur",
        "oder",
        "schon",
        "seit",
        "sie",
        "sind",
        "und",
        "uns",
        "von",
        "war",
        "was",
        "wie",
        "wir",
        "zu",
        "zum",
        "zur",
        "the",
        "and",
        "for",
        "with",
        "from",
        "this",
        "that",
        "have",
        "has",
        "not",
        "are",
        "was",
        "you",
        "your",
        "our",
        "all",
        "any",
        "can",
        "but",
        "just",
        "since",
        "been",
        "there",
        "here",
        "what",
        "when",
        "will",
        "would",
        "please",
        "hello",
        "hallo",
        "bitte",
        "danke",
        "thanks",
        "grüße",
        "gruß",
        "mfg",
        "viele",
        "freundlichen",
    ]
)
SUFFIXES = ("ungen", "ung", "en", "er", "es", "e", "s", "n")


@dataclass
class Evidence:
    incident: Incident
    score: float
    why: list[str] = field(default_factory=list)


def stems(text: str) -> set[str]:
    """Lower-cased words without stop words, with common German/English endings cut (a light stemmer)."""
    out = set()
    for word in WORD.findall(text.lower()):
        if word in STOP:
            continue
        for suffix in SUFFIXES:
            if len(word) - len(suffix) >= 4 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.add(word)
    return out


def postcodes(text: str) -> list[str]:
    return POSTCODE.findall(text)


def score(incident: Incident, text: str, codes: list[str]) -> Evidence | None:
    """How strongly `text` is about `incident`; None when its postcode lies outside the incident's area."""
    lowered = text.lower()
    found = Evidence(incident, 0.0)
    prefixes = [r.replace(" ", "") for r in incident.regions if r.replace(" ", "").isdigit()]
    names = [r.lower() for r in incident.regions if not r.replace(" ", "").isdigit()]
    if prefixes and codes:
        inside = [c for c in codes if any(c.startswith(p) for p in prefixes)]
        if not inside:
            return None
        found.score += 2
        found.why.append(f"postcode {inside[0]}")
    elif any(name in lowered for name in names):
        found.score += 2
        found.why.append("region")
    hits = [k for k in incident.keywords if k.strip() and k.lower() in lowered]
    if hits:
        found.score += 3
        found.why.append(f"keyword {hits[0]}")
    words = stems(text)
    product = stems(incident.product.replace("-", " "))
    if product & words:
        found.score += 1
        found.why.append("product")
    vocabulary = stems(
        " ".join(
            [
                incident.title,
                incident.title_en,
                incident.description,
                incident.description_en,
                " ".join(incident.keywords),
                incident.product.replace("-", " "),
            ]
        )
    )
    shared = words & vocabulary
    if shared:
        # Counted, not divided by the incident's vocabulary: a short message sharing three words is a match.
        found.score += 1.5 * min(len(shared), 4)
        found.why.append("words " + ", ".join(sorted(shared)[:5]))
    return found


def best(incidents: list[Incident], text: str, postcode: str = "", at: float = MATCH_AT) -> Evidence | None:
    codes = [postcode] if postcode else postcodes(text)
    scored = [e for i in incidents if (e := score(i, text, codes)) is not None and e.score >= at]
    return max(scored, key=lambda e: e.score, default=None)


def match(brand: Brand, text: str, postcode: str = "", outage_report: bool = False) -> Incident | None:
    """`outage_report`: the message says a service is down (a classified public post): one point less is enough."""
    # An expected end that has passed does not end the incident: it is active until a supervisor closes it.
    now = timezone.now()
    current = [i for i in _active(brand) if i.starts_at <= now]
    found = best(current, text, postcode, at=MATCH_AT - OUTAGE_BONUS if outage_report else MATCH_AT)
    return found.incident if found else None


def _active(brand: Brand) -> list[Incident]:
    """The brand's active incidents; an intake batch reads them once for all its messages."""
    from anliegen.base import batch

    scope = batch.current()
    if scope is None:
        return list(Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE))
    if brand.pk not in scope.incidents:
        scope.incidents[brand.pk] = list(Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE))
    return scope.incidents[brand.pk]
