"""Loads the demo's text blocks, tags and saved views (runtime/demo_data/workday.py); loading twice adds none."""

from __future__ import annotations

from anliegen.core.models import Agent, Brand
from anliegen.workday.models import CaseTag, Macro, SavedView, Tag

from .demo import case_for
from .demo_data.workday import MACROS, TAGS, VIEWS


def load(brand: Brand) -> None:
    for spec in MACROS:
        fields = {k: v for k, v in spec.items() if k not in ("name", "language")}
        Macro.objects.get_or_create(brand=brand, name=spec["name"], language=spec["language"], defaults=fields)
    tag_ids = {}
    for name, cases in TAGS.items():
        tag, _made = Tag.objects.get_or_create(brand=brand, name=name)
        tag_ids[name] = tag.pk
        for external_id, channel in cases:
            case = case_for(external_id, channel)
            if case is not None:
                CaseTag.objects.get_or_create(case=case, tag=tag)
    for spec in VIEWS:
        owner = Agent.objects.filter(mailbox=spec["owner"]).first() if spec["owner"] else None
        filters = dict(spec["filters"])
        if "tag" in filters:
            filters["tag"] = tag_ids[filters["tag"]]
        SavedView.objects.get_or_create(brand=brand, owner=owner, name=spec["name"], defaults={"filters": filters})
