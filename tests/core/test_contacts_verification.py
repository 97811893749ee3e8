"""One-time codes to a verified identity make a new one verified; personal data only to verified identities."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from anliegen.base.sms import locmem
from anliegen.core.models import Identity, VerificationCode
from anliegen.core.services import verification
from anliegen.core.services.verification import VerificationError, may_disclose
from tests.promises.factories import webform


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "anliegen.base.sms.locmem.LocmemBackend"
    locmem.outbox.clear()


@pytest.fixture
def case(brand, agents):
    return webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1", phone="040 1234567")


def _code_from(text: str) -> str:
    return next(word.strip(".:") for word in text.split() if word.strip(".:").isdigit() and len(word.strip(".:")) == 6)


def test_first_identity_proves_itself_then_vouches_for_the_phone(case, django_capture_on_commit_callbacks):
    email = case.contact.identities.get(kind="email")
    phone = case.contact.identities.get(kind="phone")
    # The phone came second: with nothing verified yet it cannot prove itself.
    with pytest.raises(VerificationError, match="no verified e-mail address or phone number"):
        verification.check_send_code(phone)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        verification.check_send_code(email, case=case)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jana@example.org"]
    code = _code_from(mail.outbox[0].body)
    stored = VerificationCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash is kept
    verification.check_code(email, code, case=case)
    assert Identity.objects.get(pk=email.pk).verified
    email.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        verification.check_send_code(phone, case=case)
    assert mail.outbox[-1].to == ["jana@example.org"]  # sent to the verified address, not the new number
    verification.check_code(phone, _code_from(mail.outbox[-1].body))
    assert Identity.objects.get(pk=phone.pk).verified


def test_code_by_sms_to_a_verified_phone(case, django_capture_on_commit_callbacks):
    phone = case.contact.identities.get(kind="phone")
    email = case.contact.identities.get(kind="email")
    Identity.objects.filter(pk=phone.pk).update(verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        verification.check_send_code(email, via=Identity.objects.get(pk=phone.pk))
    assert [s.to for s in locmem.outbox] == ["+49401234567"]
    verification.check_code(email, _code_from(locmem.outbox[0].text))
    assert Identity.objects.get(pk=email.pk).verified


def test_wrong_codes_are_counted_and_limited(case, settings, django_capture_on_commit_callbacks):
    settings.VERIFICATION_MAX_ATTEMPTS = 3
    email = case.contact.identities.get(kind="email")
    with django_capture_on_commit_callbacks(execute=True):
        verification.check_send_code(email)
    right = _code_from(mail.outbox[-1].body)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(VerificationError, match="2 attempt"):
        verification.check_code(email, wrong)
    for _ in range(2):
        with pytest.raises(VerificationError):
            verification.check_code(email, wrong)
    with pytest.raises(VerificationError, match="too many wrong attempts"):
        verification.check_code(email, right)  # even the right code is refused now
    assert not Identity.objects.get(pk=email.pk).verified


def test_expired_code_is_refused(case, django_capture_on_commit_callbacks):
    email = case.contact.identities.get(kind="email")
    with django_capture_on_commit_callbacks(execute=True):
        verification.check_send_code(email)
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(VerificationError, match="expired"):
        verification.check_code(email, _code_from(mail.outbox[-1].body))


def test_a_new_code_replaces_the_old_one(case, django_capture_on_commit_callbacks):
    email = case.contact.identities.get(kind="email")
    with django_capture_on_commit_callbacks(execute=True):
        verification.check_send_code(email)
        verification.check_send_code(email)
    first, second = _code_from(mail.outbox[-2].body), _code_from(mail.outbox[-1].body)
    if first != second:
        with pytest.raises(VerificationError):
            verification.check_code(email, first)
    verification.check_code(email, second)


def test_may_disclose_only_privately_to_a_verified_identity_of_the_contact(case, brand):
    email = case.contact.identities.get(kind="email")
    assert not may_disclose(case, "email", email)  # not verified yet
    Identity.objects.filter(pk=email.pk).update(verified=True)
    email.refresh_from_db()
    assert may_disclose(case, "email", email)
    assert may_disclose(case.contact, "email", email)
    assert not may_disclose(case, "x", email)  # public channel
    assert not may_disclose(case, "email", email, public=True)
    assert not may_disclose(case, "email", None)
    stranger = webform(brand, "otto@example.org", "Andere Sache", "Hallo", "s9").contact.identities.get()
    Identity.objects.filter(pk=stranger.pk).update(verified=True)
    stranger.refresh_from_db()
    assert not may_disclose(case, "email", stranger)  # verified, but someone else


def test_agent_can_vouch_with_a_reason(case, agents):
    phone = case.contact.identities.get(kind="phone")
    with pytest.raises(VerificationError, match="say how"):
        verification.do_mark_verified(phone, agents["anna"], " ")
    verification.do_mark_verified(phone, agents["anna"], "customer number and address checked on the phone", case)
    assert Identity.objects.get(pk=phone.pk).verified
    assert case.events.filter(kind="identity", text__contains="verified by agent").exists()
