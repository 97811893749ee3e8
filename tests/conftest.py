"""Shared fixtures: two isolated brands with German- and English-speaking agents."""

from __future__ import annotations

import pytest
from django.core import mail

from anliegen.core.models import Brand, Membership, Presence
from anliegen.core.setup import create_agent, create_brand

PASSWORD = "test-pass-123"


def _flush_keeps_audit_log() -> None:
    """SQLite's flush is DELETE FROM each table, which the audit log's append-only trigger refuses (PostgreSQL
    truncates, past the row triggers): transactional tests' flush leaves the audit table alone."""
    from django.db.backends.sqlite3 import base  # noqa: F401 - operations is imported through it
    from django.db.backends.sqlite3.operations import DatabaseOperations

    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):  # noqa: ANN001, ANN202
        return flush(self, style, [t for t in tables if t != "audit_auditentry"], **kwargs)

    DatabaseOperations.sql_flush = sql_flush


_flush_keeps_audit_log()

# Fixtures through which a test reaches the database (pytest-django's, and the live server's).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that reach the database (CI's second database repeats no others)",
    )


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("nodb"):
        return False
    if item.get_closest_marker("django_db") or item.get_closest_marker("database"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-only"):
        return
    keep = [item for item in items if uses_database(item)]
    dropped = [item for item in items if not uses_database(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _eager_intake(settings, tmp_path):
    settings.INTAKE_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BASE_URL = "http://testserver"
    # Agents are made with passwords in most fixtures: the slow production hasher would cost minutes per run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mail.outbox = []


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):
    # The test client's login() authenticates without a request, which django-axes refuses; the sign-in
    # throttle has its own tests (tests/desk/test_login_throttle.py) that switch it back on.
    settings.AXES_ENABLED = False


def run_tasks() -> int:
    """Run every task that is due, as the worker would (same library code), inside the test's transaction."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    count = 0
    while batch := list(DBTaskResult.objects.ready()):
        for result in batch:
            result.claim("test")
            worker.run_task(result)
            count += 1
    return count


@pytest.fixture
def tasks():
    return run_tasks


@pytest.fixture
def brand(db) -> Brand:
    b = create_brand("stadtwerk", "Stadtwerk Nord", "stadtwerk.example", hotline="+49 40 123456", answer_within_hours=8)
    return b


@pytest.fixture
def agents(brand):
    anna = create_agent(
        brand,
        "anna",
        "Anna Schmidt",
        PASSWORD,
        languages=["de", "en"],
        extension="201",
        authority={"credit_max_cents": 5000, "may_replace_device": True},
    )
    ben = create_agent(
        brand, "ben", "Ben Wagner", PASSWORD, languages=["de"], extension="202", authority={"credit_max_cents": 2000}
    )
    claire = create_agent(
        brand,
        "claire",
        "Claire Miller",
        PASSWORD,
        languages=["en"],
        extension="203",
        role=Membership.Role.SUPERVISOR,
        authority={"credit_max_cents": 50000, "may_replace_device": True, "may_cancel_contract": True},
    )
    brand.default_owner = anna
    brand.save(update_fields=["default_owner"])
    return {"anna": anna, "ben": ben, "claire": claire}


@pytest.fixture
def other_brand(db):
    b = create_brand("kabelnet", "KabelNet", "kabelnet.example")
    dora = create_agent(
        b, "dora", "Dora Yilmaz", PASSWORD, languages=["de", "en"], extension="301", presence=Presence.ONLINE
    )
    b.default_owner = dora
    b.save(update_fields=["default_owner"])
    return b
