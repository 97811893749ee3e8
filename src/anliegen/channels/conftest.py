"""Channel tests beside their channel use the suite's shared fixtures (brands, agents, eager intake, tasks)."""

from tests.conftest import _eager_intake, _no_login_throttle, agents, brand, other_brand, tasks  # noqa: F401
