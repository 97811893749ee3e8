"""Run inside the scale-out database: create the brand and its agent, or accept a flood of Inbounds at once."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")
    import django

    django.setup()
    from anliegen.core.setup import create_agent, create_brand

    if sys.argv[1] == "brand":
        brand = create_brand("scale", "Scale GmbH", "scale.example", answer_within_hours=4)
        agent = create_agent(brand, "sam", "Sam Weber", sys.argv[2], languages=["de", "en"], extension="401")
        create_agent(brand, "tina", "Tina Roth", sys.argv[2], languages=["de", "en"], extension="402")
        brand.default_owner = agent
        brand.save(update_fields=["default_owner"])
        print(json.dumps({"brand": brand.pk}))
    elif sys.argv[1] == "flood":
        from anliegen.intake.accept import accept_many

        brand_id, count = int(sys.argv[2]), int(sys.argv[3])
        items = []
        for i in range(count):
            payload = {
                "name": f"Kunde {i}",
                "email": f"kunde{i}@example.org",
                "subject": f"Störung Nummer {i}",
                "text": f"Guten Tag, bei mir (Anschluss {i}) ist seit heute früh kein Internet. Bitte um Hilfe.",
                "language": "de",
            }
            items.append(
                ("webform", f"flood-{i}", json.dumps(payload).encode(), {"submission": f"flood-{i}"}, brand_id)
            )
        accepted = accept_many(items)
        print(json.dumps({"ids": [a.inbound_id for a in accepted]}))
    elif sys.argv[1] == "mail":
        # A folder of .eml files arriving as the SMTP listener stores them (in chunks, date order).
        from pathlib import Path

        from anliegen.channels.email.inbound import items_for
        from anliegen.intake.accept import accept_many

        brand_id, folder, address = int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
        ids = []
        files = sorted(folder.glob("*.eml"))
        for start in range(0, len(files), 100):
            items = [
                item for f in files[start : start + 100] for item in items_for(f.read_bytes(), [address], [brand_id])
            ]
            ids.extend(a.inbound_id for a in accept_many(items))
        print(json.dumps({"ids": ids}))


if __name__ == "__main__":
    main()
