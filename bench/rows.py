"""Deterministic rows for the bench data set: the same spec and seed always give the same rows, in the same order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import vocabulary as v

TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # as core.models.case
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
CONTACTS_PER_CASE = 0.6  # repeat customers: 1M cases come from 600k contacts


@dataclass(frozen=True)
class Spec:
    cases: int
    messages_per_case: int = 5
    brands: int = 10
    seed: int = 42
    agents_per_brand: int = 20

    @property
    def contacts(self) -> int:
        return max(self.brands, int(self.cases * CONTACTS_PER_CASE))


def brand_rows(spec: Spec) -> list[dict]:
    return [
        {"slug": f"bench{b}", "name": f"Bench Brand {b}", "mail_domain": f"b{b}.bench.example"}
        for b in range(1, spec.brands + 1)
    ]


def agent_rows(spec: Spec) -> list[dict]:
    """Agents per brand; the first of each brand is its supervisor and default owner. Ids follow list order."""
    rng = random.Random(f"{spec.seed}-agents")
    rows = []
    for b in range(1, spec.brands + 1):
        for a in range(1, spec.agents_per_brand + 1):
            lang = "de" if rng.random() < 0.7 else "en"
            name = f"{rng.choice(v.FIRST[lang])} {rng.choice(v.LAST[lang])}"
            languages = ["de", "en"] if rng.random() < 0.4 else [lang]
            rows.append(
                {"brand": b, "username": f"b{b}a{a}", "name": name, "languages": languages, "supervisor": a == 1}
            )
    return rows


def agent_id(spec: Spec, brand: int, index: int) -> int:
    return (brand - 1) * spec.agents_per_brand + index + 1


def contact_rows(spec: Spec) -> Iterator[tuple[tuple, list[tuple]]]:
    """(contact row, identity rows); contact ids are 1..contacts, brand = id modulo brands."""
    rng = random.Random(f"{spec.seed}-contacts")
    identity_id = 0
    for cid in range(1, spec.contacts + 1):
        brand = (cid - 1) % spec.brands + 1
        lang = "de" if rng.random() < 0.7 else "en"
        first, last = rng.choice(v.FIRST[lang]), rng.choice(v.LAST[lang])
        created = BASE_TIME + SPAN * (cid / spec.contacts) * 0.9
        identities = []
        identity_id += 1
        email = f"{first}.{last}.{cid}@mail.example".translate(FOLD).lower()
        identities.append((identity_id, cid, brand, "email", email, rng.random() < 0.5, False, created))
        if rng.random() < 0.5:
            identity_id += 1
            identities.append((identity_id, cid, brand, "phone", f"+49151{cid:08d}", False, False, created))
        yield (cid, brand, f"{first} {last}", lang, created), identities


def _fill(rng: random.Random, template: str, lang: str) -> str:
    if "{" not in template:
        return template
    return template.format(
        month=rng.choice(v.MONTHS[lang]),
        day=rng.randint(1, 28),
        number=f"{rng.randint(100000, 999999)}",
        amount=f"{rng.randint(20, 400)},{rng.randint(0, 99):02d}" if lang == "de" else f"{rng.randint(20, 400)}.00",
        amount2=f"{rng.randint(20, 200)}",
        meter=f"{rng.randint(1000, 99999)}",
        street=rng.choice(v.STREETS),
        house=rng.randint(1, 120),
        city=rng.choice(v.CITIES),
        speed=rng.randint(1, 40),
        code=f"E{rng.randint(100, 999)}",
    )


@dataclass
class CaseRows:
    case: tuple
    event: tuple
    messages: list[tuple]


def _state(rng: random.Random, position: float) -> str:
    # Recent cases are mostly open; old ones mostly closed, as in a desk that has run for two years.
    r = rng.random()
    if position > 0.95:
        return "open" if r < 0.5 else "waiting" if r < 0.75 else "solved"
    return "closed" if r < 0.8 else "solved" if r < 0.95 else "waiting" if r < 0.98 else "open"


def case_rows(spec: Spec, contact_langs: dict[int, tuple[str, str]] | None = None) -> Iterator[CaseRows]:
    """Cases with their CREATED event and messages: the customer's mail, our confirmation, replies back and forth."""
    rng = random.Random(f"{spec.seed}-cases")
    tokens: set[str] = set()
    message_id = 0
    for case_id in range(1, spec.cases + 1):
        contact = rng.randint(1, spec.contacts)
        brand = (contact - 1) % spec.brands + 1
        lang, name = contact_langs[contact] if contact_langs else ("de" if rng.random() < 0.7 else "en", "Kunde")
        owner = agent_id(spec, brand, rng.randrange(spec.agents_per_brand))
        subjects, opening, answers = rng.choice(v.TOPICS[lang])
        subject = _fill(rng, rng.choice(subjects), lang)
        position = case_id / spec.cases
        created = BASE_TIME + SPAN * position + timedelta(seconds=rng.randint(0, 3600))
        state = _state(rng, position)
        while (token := "".join(rng.choices(TOKEN_ALPHABET, k=10))) in tokens:
            pass
        tokens.add(token)
        count = max(1, spec.messages_per_case + rng.randint(-1, 1))
        messages, at = [], created
        for j in range(count):
            message_id += 1
            kind, direction, author, text = _message(rng, j, lang, name, opening, answers)
            external = f"<bench-{message_id}@mail.example>" if direction == "in" else ""
            reply_to = f"<bench-{message_id - 2}@mail.example>" if direction == "in" and j >= 2 else ""
            messages.append(
                (message_id, case_id, brand, "email", direction, kind, owner if author else None,
                 subject if j == 0 else f"Re: {subject}", text, "", "", external, reply_to,
                 "queued" if direction == "out" and kind == "confirmation" else "", at)
            )  # fmt: skip
            at += timedelta(minutes=1 if j == 0 else rng.randint(30, 3000))
        due = created + timedelta(hours=24)
        case = (case_id, brand, contact, owner, subject, state, lang, "email", token, due, created, at, created)
        yield CaseRows(case, (case_id, case_id, "created", owner, "", created), messages)


def _message(
    rng: random.Random, j: int, lang: str, name: str, opening: list[str], answers: list[str]
) -> tuple[str, str, bool, str]:
    closing = rng.choice(v.CLOSINGS[lang])
    if j == 0:
        sentences = rng.sample(opening, k=min(len(opening), rng.randint(2, 4)))
        return "message", "in", False, " ".join(_fill(rng, s, lang) for s in sentences) + f"\n\n{closing}\n{name}"
    if j == 1:
        text = (
            f"Guten Tag {name}, Ihr Anliegen ist angekommen. Ich kümmere mich persönlich darum."
            if lang == "de"
            else f"Hello {name}, we have your message. I am looking after it personally."
        )
        return "confirmation", "out", True, text
    if j % 2 == 0:
        answer = " ".join(_fill(rng, s, lang) for s in rng.sample(answers, k=min(len(answers), 2)))
        greeting = f"Guten Tag {name}," if lang == "de" else f"Hello {name},"
        return "message", "out", True, f"{greeting}\n\n{answer}\n\n{closing}"
    return "message", "in", False, f"{rng.choice(v.FOLLOW_UPS[lang])}\n\n{closing}\n{name}"
