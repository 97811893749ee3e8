"""One customer, one concern, one case and one owner — whatever channel they use next."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from anliegen.core.models import Case, Escalation, Message
from anliegen.core.services import cases, escalation
from anliegen.promises.models import Promise
from anliegen.promises.services import PromiseInput, check_create_promise, do_keep
from tests.promises.factories import email, portal, webform

FORM_TEXT = "Seit dem Sturm am Dienstag hatte ich zwei Tage keinen Strom. Der Kühlschrank ist abgetaut."


def test_form_then_mail_with_the_same_topic_reaches_the_same_case_and_owner(brand, agents):
    case = webform(brand, "jana@example.org", "Stromausfall", FORM_TEXT, "s1", name="Jana Krüger")
    again = email(brand, "Jana@Example.org", "Stromausfall", "Haben Sie meine Nachricht bekommen?")
    assert again.pk == case.pk and again.owner == case.owner
    assert again.preferred_channel == "email"


def test_form_then_reply_to_the_confirmation_reaches_the_same_case(brand, agents, tasks):
    case = webform(brand, "jana@example.org", "Stromausfall", FORM_TEXT, "s1")
    tasks()
    [confirmation] = mail.outbox
    msgid = confirmation.extra_headers["Message-ID"]
    reply_to = confirmation.reply_to[0].split("<")[1].rstrip(">")
    assert reply_to == f"{case.owner.mailbox}+{case.reply_token}@stadtwerk.example"
    answer = email(
        brand, "jana@example.org", "Andere Betreffzeile", "Hier die Zählernummer: 4711", to=reply_to, in_reply_to=msgid
    )
    assert answer.pk == case.pk and answer.owner == case.owner


def test_a_different_concern_opens_a_new_case(brand, agents):
    case = webform(brand, "jana@example.org", "Stromausfall", FORM_TEXT, "s1")
    other = email(brand, "jana@example.org", "Umzug zum 1. Mai", "Ich ziehe um, bitte Zähler abmelden.")
    assert other.pk != case.pk and other.contact == case.contact


def test_the_topic_window_is_configurable(brand, agents, settings):
    settings.THREAD_TOPIC_WINDOW_DAYS = 2
    case = webform(brand, "jana@example.org", "Stromausfall", FORM_TEXT, "s1")
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(days=3))
    late = email(brand, "jana@example.org", "Stromausfall", "Noch einmal wegen des Ausfalls.")
    assert late.pk != case.pk
    settings.THREAD_TOPIC_WINDOW_DAYS = 5
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(days=3))
    Case.objects.filter(pk=late.pk).update(state="closed")
    joined = email(brand, "jana@example.org", "Stromausfall", "Und noch einmal.")
    assert joined.pk == case.pk


def test_case_page_reply_joins_and_keeps_the_preferred_channel(brand, agents):
    case = webform(brand, "jana@example.org", "Stromausfall", FORM_TEXT, "s1")
    on_page = portal(case, "Ich bin ab 17 Uhr erreichbar.", "p1")
    assert on_page.pk == case.pk and on_page.owner == case.owner
    assert on_page.preferred_channel == "email"  # the page is not a channel to be answered on
    assert cases.reply_target(on_page) == ("email", "jana@example.org")


def test_web_form_mail_case_page_escalation_and_a_kept_credit(brand, agents, tasks):
    """The walk of issue 5: one case, one owner, an escalation, a credit promised, kept and confirmed."""
    anna, ben, claire = agents["anna"], agents["ben"], agents["claire"]
    # 1. The web form. The customer asks for a credit without an amount: anyone who may credit can own it.
    case = webform(
        brand, "jana@example.org", "Stromausfall", FORM_TEXT + " Bekomme ich eine Gutschrift?", "s1", name="Jana Krüger"
    )
    owner = case.owner
    assert owner in (anna, ben) and case.needs == {"credit_max_cents": 1}
    tasks()
    assert owner.name in mail.outbox[-1].body
    # 2. An e-mail, same address, same topic.
    by_mail = email(brand, "jana@example.org", "Re: Stromausfall", "Der Kühlschrankinhalt war 80 Euro wert.")
    assert (by_mail.pk, by_mail.owner) == (case.pk, owner)
    # 3. The case page.
    on_page = portal(case, "Die Belege habe ich fotografiert.", "p1")
    assert (on_page.pk, on_page.owner) == (case.pk, owner)
    # 4. 80 EUR is beyond the owner's authority: escalate.
    mail.outbox = []
    esc = escalation.check_escalate(
        case, owner, {"credit_max_cents": 8000}, "Kundin bittet um 80 € für verdorbene Lebensmittel."
    )
    assert esc.to_agent == claire
    tasks()
    assert any("Claire Miller" in m.body for m in mail.outbox)
    # 5. Claire decides: the credit is promised within her authority and kept by the owner's team.
    promise = check_create_promise(
        case, claire, PromiseInput("credit", timezone.now() + timedelta(days=2), amount_cents=8000), owner=owner
    )
    escalation.check_resolve(esc, claire, "80 € Gutschrift genehmigt")
    mail.outbox = []
    do_keep(promise, owner, "GS-2025-0042")
    tasks()
    [kept] = mail.outbox
    assert kept.to == ["jana@example.org"] and "80,00 EUR" in kept.body
    # One case, one owner, the whole conversation on it.
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.owner == owner
    channels = list(Message.objects.filter(case=case, direction="in").values_list("channel", flat=True))
    assert channels == ["webform", "email", "portal"]
    assert Promise.objects.get().state == "kept" and Escalation.objects.get().state == "resolved"
