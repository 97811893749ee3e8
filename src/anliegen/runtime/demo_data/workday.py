"""The demo desk's working day: text blocks in German and English, tags on a few cases, two saved views."""

MACROS = [
    {
        "name": "Störung bekannt",
        "language": "de",
        "body": (
            "Guten Tag {customer},\n\n"
            "danke für Ihre Nachricht. Die Störung in Ihrem Gebiet ist uns bekannt, unsere Technik arbeitet daran. "
            "Den Stand sehen Sie jederzeit hier: {case_link}\n\n"
            "Viele Grüße\n{owner}"
        ),
        "set_state": "waiting",
    },
    {
        "name": "Rückruf zusagen",
        "language": "de",
        "body": (
            "Guten Tag {customer},\n\n"
            "ich rufe Sie heute noch zurück. Sie erreichen mich auch direkt unter {owner_extension} "
            "oder per Mail an {owner_address}.\n\n"
            "Viele Grüße\n{owner}"
        ),
        "note": "Rückruf per Textbaustein zugesagt.",
        "promise_kind": "callback",
        "promise_text": "Rückruf heute",
        "promise_hours": 4,
    },
    {
        "name": "Known outage",
        "language": "en",
        "body": (
            "Hello {customer},\n\n"
            "thank you for getting in touch. We know about the outage in your area and our engineers are on it. "
            "You can follow your case here: {case_link}\n\n"
            "Kind regards\n{owner}"
        ),
        "set_state": "waiting",
    },
    {
        "name": "Solved, please confirm",
        "language": "en",
        "body": (
            "Hello {customer},\n\nthe problem should be solved now. If anything is still wrong, just answer this "
            "message or call me directly on {owner_extension}.\n\nKind regards\n{owner}"
        ),
        "set_state": "solved",
    },
]

# Tag name: the demo cases that carry it, as (their first message's id, its channel).
TAGS = {
    "störung": [
        ("demo-tv-black@kunden.kabelwelle-demo", "email"),
        ("demo-tv-black-en", "webform"),
        ("demo-twitter-complaint", "webform"),
    ],
    "gutschrift": [("demo-credit-not-booked@kunden.kabelwelle-demo", "email")],
    "vip": [("demo-hotline-maze@customers.kabelwelle-demo", "email")],
}

# "owner": the demo agent's username for a personal view; None shares it with the brand.
VIEWS = [
    {"name": "Störungsfälle", "owner": None, "filters": {"tag": "störung"}},
    {"name": "Service level at risk", "owner": "sarah", "filters": {"sla": "risk"}},
]
