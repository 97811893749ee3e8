"""`anliegen setup`, `brand add` and `agent add`: a company set up from the command line, no prompts."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from anliegen.core.models import Agent, Brand
from anliegen.core.setup import parse_service_hours


def run(*args: str, stdin: str = "", monkeypatch=None) -> str:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_setup_makes_a_brand_and_its_admin_on_an_empty_database(db, monkeypatch):
    out = run(
        "setup",
        "--noinput",
        "--brand-name=Stadtwerk Nord",
        "--brand-slug=stadtwerk",
        "--brand-mail-domain=Stadtwerk.Example",
        "--brand-hotline=+49 40 123456",
        "--brand-service-hours=mon-sat 07:30-20:00",
        "--admin-username=anna",
        "--admin-name=Anna Schmidt",
        "--admin-languages=de,en",
        "--admin-password-stdin",
        stdin="Sicheres-Passwort-7\n",
        monkeypatch=monkeypatch,
    )
    brand = Brand.objects.get()
    assert (brand.slug, brand.mail_domain, brand.support_address) == (
        "stadtwerk",
        "stadtwerk.example",
        "service@stadtwerk.example",
    )
    assert brand.service_hours == {"days": [0, 1, 2, 3, 4, 5], "start": "07:30", "end": "20:00"}
    anna = Agent.objects.get()
    assert brand.default_owner == anna and anna.languages == ["de", "en"]
    assert anna.memberships.get().role == "admin"
    assert anna.user.is_superuser and anna.user.check_password("Sicheres-Passwort-7")
    assert "/stadtwerk/contact/" in out and "Sicheres" not in out

    with pytest.raises(CommandError, match="has a brand already"):
        run("setup", "--noinput")


def test_setup_needs_every_answer_without_prompts(db):
    with pytest.raises(CommandError, match="--brand-name"):
        run("setup", "--noinput")
    with pytest.raises(CommandError, match="password"):
        run(
            "setup",
            "--noinput",
            "--brand-name=X",
            "--brand-slug=x",
            "--brand-mail-domain=x.example",
            "--admin-username=x",
            "--admin-name=X Y",
        )
    assert not Brand.objects.exists() and not get_user_model().objects.exists()


def test_a_refused_password_leaves_nothing_behind(db, monkeypatch):
    args = ["--brand-name=X", "--brand-slug=x", "--brand-mail-domain=x.example", "--admin-username=xaver"]
    with pytest.raises(CommandError, match="password is refused"):
        run(
            "setup",
            "--noinput",
            *args,
            "--admin-name=X Y",
            "--admin-password-stdin",
            stdin="123\n",
            monkeypatch=monkeypatch,
        )
    assert not Brand.objects.exists()


def test_brand_add_and_agent_add(db, monkeypatch):
    out = run("brand", "add", "kabelnet", "--name=KabelNet", "--mail-domain=kabelnet.example", "--language=en")
    assert "/kabelnet/contact/" in out
    brand = Brand.objects.get(slug="kabelnet")
    assert brand.default_language == "en" and brand.service_hours["days"] == [0, 1, 2, 3, 4]
    out = run(
        "agent",
        "add",
        "dora",
        "--brand=kabelnet",
        "--name=Dora Yilmaz",
        "--extension=301",
        "--languages=de en",
        "--skills=tv,internet",
        "--credit-limit=50",
        "--may-replace-device",
    )
    dora = Agent.objects.get(user__username="dora")
    assert (dora.extension, dora.languages, dora.skills) == ("301", ["de", "en"], ["tv", "internet"])
    assert dora.authority == {"credit_max_cents": 5000, "may_replace_device": True}
    generated = out.split("Password (shown once, pass it on safely): ")[1].strip()
    assert dora.user.check_password(generated) and not dora.user.is_staff
    assert Brand.objects.get(slug="kabelnet").default_owner == dora

    run(
        "agent",
        "add",
        "emil",
        "--brand=kabelnet",
        "--name=Emil Roth",
        "--role=admin",
        "--password-stdin",
        stdin="Noch-ein-Passwort-8\n",
        monkeypatch=monkeypatch,
    )
    emil = Agent.objects.get(user__username="emil")
    assert emil.user.is_staff and not emil.user.is_superuser and emil.memberships.get().role == "admin"
    listed = run("agent", "list", "--brand=kabelnet")
    assert "dora" in listed and "emil" in listed
    assert "kabelnet" in run("brand", "list")


@pytest.mark.parametrize(
    "args, reason",
    [
        (["brand", "add", "admin", "--name=A", "--mail-domain=a.example"], "path of the product"),
        (["brand", "add", "b", "--name=B", "--mail-domain=not a domain"], "not a mail domain"),
        (["brand", "add", "b", "--name=B", "--mail-domain=b.example", "--service-hours=sometimes"], "service hours"),
        (["agent", "add", "zoe", "--brand=nowhere", "--name=Zoe"], "no brand nowhere"),
    ],
)
def test_refusals_say_why(db, args, reason):
    with pytest.raises(CommandError, match=reason):
        run(*args)


@pytest.mark.nodb
def test_service_hours_in_words():
    assert parse_service_hours("always") == {}
    assert parse_service_hours("Mon-Fri 8:00-18:00") == {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"}
    assert parse_service_hours("sat 09:00-13:00") == {"days": [5], "start": "09:00", "end": "13:00"}
    for bad in ("fri-mon 08:00-18:00", "mon-fri 18:00-08:00", "weekdays"):
        with pytest.raises(ValueError):
            parse_service_hours(bad)
