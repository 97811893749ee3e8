"""Threading rules: our Message-IDs, reply tokens, subject tags, quoted addresses, topics, agents' own mail."""

from __future__ import annotations

from django.core import mail as django_mail

from anliegen.core.models import Case, Direction, Message, MessageKind
from anliegen.core.services.cases import do_reply
from anliegen.intake.models import InboundState

from .conftest import deliver, fixture, mail


def _first_case(**kw: object) -> Case:
    deliver(mail(message_id="<start@example.org>", **kw))
    return Case.objects.get()


def _thread_note(inbound) -> str:  # noqa: ANN001
    return inbound.trace["thread"]


def test_reply_to_our_message_id(agents, tasks):
    case = _first_case()
    tasks()
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert case.reply_token in confirmation.external_id  # our ids carry the case token
    inbound = deliver(mail(subject="Re: x", headers={"In-Reply-To": f"<{confirmation.external_id}>"}))
    assert _thread_note(inbound) == "reply headers" and inbound.case_id == case.pk


def test_our_message_id_threads_even_when_that_message_is_unknown(agents):
    case = _first_case()
    inbound = deliver(mail(subject="Antwort", headers={"References": f"<{case.reply_token}.0000@stadtwerk.example>"}))
    assert _thread_note(inbound) == "reply token in message id" and inbound.case_id == case.pk


def test_reply_token_in_recipient(agents):
    case = _first_case()
    to = f"anna+{case.reply_token}@stadtwerk.example"
    inbound = deliver(mail(subject="Ganz anderes Wort", to=to), to)
    assert _thread_note(inbound) == "reply token in recipient" and inbound.case_id == case.pk


def test_subject_tag(agents):
    case = _first_case()
    inbound = deliver(mail(subject=f"Nochmal {case.subject_tag}", sender="Jana <jana.work@firma.example>"))
    assert _thread_note(inbound) == "subject tag" and inbound.case_id == case.pk


def test_outlook_reply_without_headers_found_by_quoted_address(agents):
    case = _first_case(sender="Clara Gross <clara.gross@firma.example>")
    raw = fixture("reply__outlook_no_headers.eml").replace(b"{token}", case.reply_token.encode())
    inbound = deliver(raw)
    assert _thread_note(inbound) == "reply address quoted in body" and inbound.case_id == case.pk


def test_same_contact_same_specific_topic_joins_open_case(agents):
    case = _first_case(subject="Zähler Nr. 4711 defekt")
    inbound = deliver(mail(subject="AW: Zähler Nr. 4711 defekt"))
    assert _thread_note(inbound) == "same contact, same topic" and inbound.case_id == case.pk


def test_generic_subject_never_merges_two_concerns(agents):
    first = _first_case(subject="Frage")
    inbound = deliver(mail(subject="Re: Frage", body="Ganz andere Sache: mein Umzug."))
    assert inbound.case_id != first.pk and Case.objects.count() == 2


def test_same_topic_from_another_contact_is_a_new_case(agents):
    first = _first_case(subject="Zähler Nr. 4711 defekt")
    inbound = deliver(mail(subject="Zähler Nr. 4711 defekt", sender="other@example.org"))
    assert inbound.case_id != first.pk


def test_parent_arriving_after_its_reply_joins_the_reply_case(agents):
    reply = deliver(
        mail(subject="Re: Umzug", message_id="<child@example.org>", headers={"In-Reply-To": "<parent@example.org>"})
    )
    parent = deliver(mail(subject="Umzug", message_id="<parent@example.org>"))
    assert parent.case_id == reply.case_id and Case.objects.count() == 1
    assert _thread_note(parent) == "answered by a message already on the case"


def test_reply_to_automatic_mail_brings_it_onto_the_new_case(agents):
    from anliegen.intake.worker import drain

    ooo = deliver(mail(subject="Abwesend", message_id="<ooo@example.org>", headers={"Auto-Submitted": "auto-replied"}))
    assert ooo.state == InboundState.DISCARDED
    answer = deliver(
        mail(subject="Re: Abwesend", message_id="<ans@example.org>", headers={"In-Reply-To": "<ooo@example.org>"})
    )
    drain()
    ooo.refresh_from_db()
    assert ooo.state == InboundState.DONE and ooo.case_id == answer.case_id
    assert Message.objects.get(external_id="ooo@example.org").kind == MessageKind.AUTOMATIC


def test_agent_answering_from_own_mail_client_replies_to_customer(agents, tasks):
    case = _first_case()
    tasks()
    django_mail.outbox.clear()
    to = f"anna+{case.reply_token}@stadtwerk.example"
    inbound = deliver(
        mail(subject="Re: Stromzähler", body="Wir kommen morgen.", sender="Anna <anna@stadtwerk.example>", to=to), to
    )
    assert inbound.state == InboundState.DONE, inbound.reason
    reply = Message.objects.get(external_id=inbound.external_id)
    assert (reply.case_id, reply.direction, reply.author_agent, reply.address) == (
        case.pk,
        Direction.OUT,
        agents["anna"],
        "jana@example.org",
    )
    assert Case.objects.count() == 1
    assert not Message.objects.filter(kind=MessageKind.CONFIRMATION, address="anna@stadtwerk.example").exists()
    tasks()
    [sent] = django_mail.outbox
    assert sent.to == ["jana@example.org"] and "Wir kommen morgen." in sent.body


def test_agent_mail_naming_no_case_is_quarantined(agents):
    inbound = deliver(mail(sender="anna@stadtwerk.example", subject="Privat"))
    assert inbound.state == InboundState.QUARANTINED and "names no case" in inbound.reason


def test_mail_from_our_domain_that_is_no_agent_is_a_loop(agents):
    inbound = deliver(mail(sender="service@stadtwerk.example"))
    assert inbound.state == InboundState.DISCARDED


def test_reply_after_agent_answer(agents, tasks):
    case = _first_case()
    reply = do_reply(case, agents["anna"], "Bitte Zählerstand schicken.")
    tasks()
    reply.refresh_from_db()
    inbound = deliver(mail(subject="Re: Stromzähler", headers={"In-Reply-To": f"<{reply.external_id}>"}))
    assert inbound.case_id == case.pk


def test_three_generations_out_of_order_end_on_one_case(agents):
    root = deliver(mail(subject="Umzug nach Köln", message_id="<gen-a@example.org>"))
    child = deliver(
        mail(
            subject="Re: Umzug",
            message_id="<gen-c@example.org>",
            sender="Partner <p@example.org>",
            headers={"In-Reply-To": "<gen-b@example.org>"},
        )
    )
    assert child.case_id != root.case_id  # the mail it answers is still missing
    middle = deliver(
        mail(subject="Re: Umzug", message_id="<gen-b@example.org>", headers={"In-Reply-To": "<gen-a@example.org>"})
    )
    assert middle.case_id == root.case_id
    ids = set(Message.objects.filter(external_id__startswith="gen-").values_list("case_id", flat=True))
    assert ids == {root.case_id}
    assert Case.objects.get(pk=child.case_id).merged_into_id == root.case_id
