from tests.desk.conftest import anna_client, dora_client, mail_case  # noqa: F401
