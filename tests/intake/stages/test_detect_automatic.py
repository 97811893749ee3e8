"""detect_automatic: machine-made items are flagged (and continue); agents writing from mail are recognised."""

from anliegen.base.parsed import ParsedMessage
from anliegen.core.models import Contact, Identity
from anliegen.intake.stages.detect_automatic import LOOP_LIMIT, detect_automatic


def test_a_persons_message_passes_unflagged(make_ctx, agents):
    ctx = make_ctx()
    detect_automatic(ctx)
    assert ctx.automatic == "" and ctx.agent_author is None


def test_parser_verdict_is_kept(make_ctx, agents):
    ctx = make_ctx(ParsedMessage(identities=[("email", "x@example.org")], automatic="Auto-Submitted: auto-replied"))
    detect_automatic(ctx)
    assert ctx.automatic == "Auto-Submitted: auto-replied"


def test_our_own_domain_coming_back_is_a_loop(make_ctx, agents):
    ctx = make_ctx(ParsedMessage(identities=[("email", "robot@stadtwerk.example")]))
    detect_automatic(ctx)
    assert "loop" in ctx.automatic


def test_an_agent_writing_from_their_mail_client_is_an_author_not_a_customer(make_ctx, agents):
    ctx = make_ctx(ParsedMessage(identities=[("email", "anna@stadtwerk.example")]), channel="email")
    detect_automatic(ctx)
    assert ctx.agent_author == agents["anna"] and not ctx.automatic


def test_too_many_messages_from_one_sender_is_a_loop(make_ctx, agents):
    verdicts = []
    for _ in range(LOOP_LIMIT + 2):
        ctx = make_ctx(ParsedMessage(identities=[("email", "bot@example.org")]), channel="email")
        detect_automatic(ctx)
        verdicts.append(ctx.automatic)
    assert verdicts[0] == ""
    assert "more than" in verdicts[-1]
    other = make_ctx(ParsedMessage(identities=[("email", "person@example.org")]), channel="email")
    detect_automatic(other)
    assert other.automatic == ""


def test_a_bounce_marks_its_addresses_undeliverable_whatever_their_case(make_ctx, brand, agents):
    contact = Contact.objects.create(brand=brand)
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="gone@example.org")
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="here@example.org")
    ctx = make_ctx(
        ParsedMessage(
            identities=[("email", "mailer-daemon@example.org")],
            automatic="delivery report",
            bounced_addresses=["Gone@Example.org"],
        ),
        channel="email",
    )
    detect_automatic(ctx)
    marked = dict(Identity.objects.values_list("value", "undeliverable"))
    assert marked == {"gone@example.org": True, "here@example.org": False}
