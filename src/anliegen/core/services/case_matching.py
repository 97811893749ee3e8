"""Which case a new message belongs to: explicit links first, then reply headers, then the topic."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from anliegen.base import batch
from anliegen.base.parsed import ParsedMessage
from anliegen.channels import registry
from anliegen.core.models import Brand, Case, CaseState, Contact, Message

TOKEN = r"[a-hj-km-np-z2-9]{10}"
_SUBJECT_TAG = re.compile(rf"\[Ref ({TOKEN})\]", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*((re|aw|antw|wg|fw|fwd|sv|vs|tr|rif|r)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# Subjects that say nothing about the concern; two mails titled "Frage" are not one case.
GENERIC_SUBJECTS = frozenset(
    [
        "frage",
        "fragen",
        "anfrage",
        "hallo",
        "hilfe",
        "problem",
        "question",
        "questions",
        "help",
        "hello",
        "hi",
        "info",
        "information",
        "kontakt",
        "contact",
        "support",
        "service",
        "anliegen",
        "bitte",
        "request",
        "inquiry",
        "enquiry",
        "(kein",
        "betreff)",
        "(no",
        "subject)",
    ]
)


def topic_window() -> timedelta:
    return timedelta(days=settings.THREAD_TOPIC_WINDOW_DAYS)


def normalise_subject(subject: str) -> str:
    subject = _SUBJECT_TAG.sub("", subject or "")
    subject = _PREFIX.sub("", subject)
    return re.sub(r"\s+", " ", subject).strip().lower()


def _open_or_solved(case: Case | None) -> Case | None:
    # A merged case lives on in the one it was merged into; follow the pointer (bounded, never a loop).
    for _hop in range(5):
        if case is None or not case.merged_into_id:
            break
        case = case.merged_into
    # A closed case is final: a later message opens a new concern instead of reviving the old one.
    return case if case is not None and case.state != CaseState.CLOSED else None


def _by_token(brand: Brand, token: str) -> Case | None:
    token = token.lower()
    scope = batch.current()
    if scope is not None and scope.tokens is not None and token in scope.tokens:
        case_id = scope.tokens[token]  # read with the batch (prefetch) or one of its new cases
        return _open_or_solved(_case(brand, case_id)) if case_id else None
    batch.before_read([("token", token)])
    return _open_or_solved(_kept(_cases(brand).filter(reply_token=token).first()))


def _case(brand: Brand, case_id: int) -> Case | None:
    """The brand's case `case_id` with its owner and contact: the batch's instance when it has one."""
    scope = batch.current()
    if scope is not None and scope.cases is not None and case_id in scope.cases:
        case = scope.cases[case_id]
        return case if case.brand_id == brand.pk else None
    batch.before_read([("case", case_id)])
    return _kept(_cases(brand).filter(pk=case_id).first())


def _kept(case: Case | None) -> Case | None:
    # One instance per case in a batch: what one message changes on it (state, last contact) the next one sees.
    scope = batch.current()
    if case is not None and scope is not None and scope.cases is not None:
        return scope.cases.setdefault(case.pk, case)
    return case


def _cases(brand: Brand):  # noqa: ANN202 - a QuerySet of the brand's cases with what later stages read
    return Case.objects.filter(brand=brand).select_related("owner", "contact")


def _case_of_message(brand: Brand, column: str, values: list[str]) -> Case | None:
    """The case of the newest message whose `column` (an indexed id column) is one of `values`, in the brand.

    The brand is checked on the rows, not in SQL: with it in the WHERE clause SQLite picks the brand
    index and reads every message of the brand, which grows with the brand's history.
    """
    rows = message_rows(column, values)
    case_id = next((c for _m, c, b in rows if b == brand.pk), None)
    if not case_id:
        return None  # (the rows come from the database or the batch's own rows: the case is there too)
    return _open_or_solved(_case(brand, case_id))


def message_rows(column: str, values: list[str]) -> list[tuple[int, int, int]]:
    """(message, case, brand) of messages whose external_id or in_reply_to is one of `values`, newest first."""
    rows = batch.messages_by(column, values)  # the batch's read, its own new messages included
    if rows is None:
        batch.before_read(("mid" if column == "external_id" else "irt", value) for value in values)
        query = Message.objects.filter(**{f"{column}__in": values}).order_by("-id")
        rows = list(query.values_list("id", "case_id", "brand_id")[:20])
    return rows


def tokens_in(text: str, domain: str) -> list[str]:
    """Reply tokens in addresses of this brand's domain (recipients, quoted headers, Message-IDs)."""
    pattern = re.compile(rf"[\w.-]+\+({TOKEN})@{re.escape(domain)}|<?({TOKEN})\.[\w.-]+@{re.escape(domain)}", re.I)
    return [a or b for a, b in pattern.findall(text)]


def tokens_of(msg: ParsedMessage, domain: str) -> list[str]:
    """Every reply token find_case may look up for `msg` (the batch reads their cases at once)."""
    found = tokens_in(" ".join(msg.recipients), domain) + tokens_in(" ".join(msg.in_reply_to[:50]), domain)
    if m := _SUBJECT_TAG.search(msg.subject or ""):
        found.append(m.group(1))
    return found + tokens_in(msg.text[:20000], domain)


def find_case(
    brand: Brand, msg: ParsedMessage, contact: Contact | None, strict: bool = False, signed_only: bool = False
) -> tuple[Case, str] | None:
    """Return (case, how it was found) or None.

    `strict` allows only explicit links (agents' mail); `signed_only` only a verified case link (msg.case_id),
    for channels that answer whoever sent the request rather than the address it names.
    """
    if msg.case_id:
        case = _case(brand, msg.case_id)
        if case is not None and case.merged_into_id:
            case = _open_or_solved(case) or case
        if case is not None:
            return case, "explicit case link"
    if signed_only:
        return None
    for token in tokens_in(" ".join(msg.recipients), brand.mail_domain):
        if case := _by_token(brand, token):
            return case, "reply token in recipient"
    if msg.in_reply_to:
        ids = msg.in_reply_to[:50]
        if case := _case_of_message(brand, "external_id", ids):
            return case, "reply headers"
        for token in tokens_in(" ".join(ids), brand.mail_domain):
            # Our Message-IDs carry the case token: threads even when that message was never stored.
            if case := _by_token(brand, token):
                return case, "reply token in message id"
    if msg.external_id and (case := _case_of_message(brand, "in_reply_to", [msg.external_id])):
        # The parent arrives after its reply: the reply already named it in In-Reply-To.
        return case, "answered by a message already on the case"
    if (m := _SUBJECT_TAG.search(msg.subject or "")) and (case := _by_token(brand, m.group(1))):
        return case, "subject tag"
    for token in tokens_in(msg.text[:20000], brand.mail_domain):
        # Mail clients that drop reply headers still quote our address in the body.
        if case := _by_token(brand, token):
            return case, "reply address quoted in body"
    if strict or contact is None or contact.pk is None:
        return None
    if contact._state.adding and not _batch_knows_cases_of(contact):
        return None  # not written yet, so it has no cases (unless its batch made some: then the batch knows)
    if msg.to_open_case:
        return _newest_open(contact)
    return _same_topic(brand, contact, msg)


def _newest_open(contact: Contact) -> tuple[Case, str] | None:
    """The contact's most recently active open case: where a caller's concern already is."""
    batch.before_read([("cases of", contact.pk)])
    case = (
        Case.objects.filter(contact=contact, state__in=[CaseState.OPEN, CaseState.WAITING], merged_into__isnull=True)
        .select_related("owner", "contact")
        .order_by("-updated_at", "-id")
        .first()
    )
    return (case, "the contact's open case") if case is not None else None


def _same_topic(brand: Brand, contact: Contact, msg: ParsedMessage) -> tuple[Case, str] | None:
    topic = normalise_subject(msg.subject)
    if len(topic) < 4 or topic in GENERIC_SUBJECTS:
        return None
    since = timezone.now() - topic_window()
    if _batch_knows_cases_of(contact):
        return _same_topic_in_batch(brand, contact, topic, since)
    batch.before_read([("cases of", contact.pk)])
    # A contact belongs to one brand; filtering on it alone lets the database use the contact index.
    candidates = Case.objects.filter(
        Q(state__in=[CaseState.OPEN, CaseState.WAITING]) | Q(state=CaseState.SOLVED, updated_at__gte=since),
        contact=contact,
        updated_at__gte=since,
        merged_into__isnull=True,
    ).order_by("-updated_at", "-id")  # the newer case on a tie: the database gives ties in no fixed order
    for case_id, subject in candidates.values_list("id", "subject")[:20]:
        if normalise_subject(subject) == topic and (case := _case(brand, case_id)) is not None:
            return case, "same contact, same topic"
    return None


def _batch_knows_cases_of(contact: Contact) -> bool:
    scope = batch.current()
    return scope is not None and scope.cases_of is not None and contact.pk in scope.cases_of


def _same_topic_in_batch(brand: Brand, contact: Contact, topic: str, since: datetime) -> tuple[Case, str] | None:
    """_same_topic from the batch's read of the contact's recent cases (and the cases the batch opened)."""
    scope = batch.current()
    recent = [scope.cases[pk] for pk in scope.cases_of[contact.pk]]
    states = (CaseState.OPEN, CaseState.WAITING, CaseState.SOLVED)
    candidates = [
        c for c in recent if c.state in states and c.updated_at >= since and not c.merged_into_id
    ]  # fmt: skip
    candidates.sort(key=lambda c: (c.updated_at, c.pk or 0), reverse=True)  # as the query orders them
    for case in candidates[:20]:
        if case.brand_id == brand.pk and normalise_subject(case.subject) == topic:
            return case, "same contact, same topic"
    return None


def new_case(brand: Brand, contact: Contact, msg: ParsedMessage, channel: str) -> Case:
    """An unsaved case; route gives it an owner and store writes it."""
    subject = normalise_subject(msg.subject) and _PREFIX.sub("", _SUBJECT_TAG.sub("", msg.subject)).strip()
    if not subject:
        subject = (msg.text.strip().splitlines() or [""])[0][:80] or "—"
    return Case(
        brand=brand,
        contact=contact,
        subject=subject[:250],
        language=brand.default_language,
        preferred_channel=registry.answering(channel),
    )
