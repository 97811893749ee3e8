"""A dialer that keeps dial requests in memory (tests read `requests`)."""

from __future__ import annotations

import itertools

from . import BaseDialer

requests: list[dict] = []
_ids = itertools.count(1)


class LocmemDialer(BaseDialer):
    def dial(self, *, extension: str, number: str, reference: str) -> str:
        request = {"extension": extension, "number": number, "reference": reference, "id": f"locmem-{next(_ids)}"}
        requests.append(request)
        return request["id"]
