"""Reading the settings' environment variables: the parts that are more than `os.environ.get`."""

import os


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}
