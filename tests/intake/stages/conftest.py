from tests.intake.conftest import make_ctx  # noqa: F401 - shared fixture
