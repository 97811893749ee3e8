"""The demo brand, its three agents, one active incident and the customers' first messages.

The customers' wording follows the German field essays in the design background: a TV that goes black
before the Champions League final, a web form that never confirmed, a promised credit never booked,
a hotline maze, and a complaint on Twitter that had to move to a private channel.
"""

BRAND = {
    "slug": "kabelwelle",
    "name": "Kabelwelle",
    "mail_domain": "kabelwelle.example",
    "hotline": "+49 40 555 0100",
    "default_language": "de",
    "answer_within_hours": 4,
}

# Demo passwords are printed by `anliegen serve`; they exist only for trying the product out.
AGENTS = [
    {
        "username": "lena",
        "password": "lena-demo",
        "name": "Lena Hoffmann",
        "languages": ["de", "en"],
        "extension": "301",
        "role": "agent",
        "authority": {"credit_max_cents": 5000, "may_replace_device": True},
        "skills": ["tv", "internet"],
    },
    {
        "username": "jonas",
        "password": "jonas-demo",
        "name": "Jonas Becker",
        "languages": ["de"],
        "extension": "302",
        "role": "agent",
        "authority": {"credit_max_cents": 2500},
        "skills": ["billing"],
    },
    {
        "username": "sarah",
        "password": "sarah-demo",
        "name": "Sarah Collins",
        "languages": ["en", "de"],
        "extension": "303",
        "role": "admin",
        "staff": True,
        "authority": {"credit_max_cents": 50000, "may_replace_device": True, "may_cancel_contract": True},
        "skills": ["tv", "internet", "billing"],
    },
]

INCIDENT = {
    "title": "Kein TV-Signal in Hamburg-Nord",
    "description": (
        "Seit etwa 20:00 Uhr fällt in Teilen von Hamburg-Nord (PLZ 224, 225) das Kabelfernsehen aus. "
        "Ein Techniker ist am Verteiler; wir rechnen mit einer Lösung vor 21:30 Uhr."
    ),
    "title_en": "No TV signal in Hamburg North",
    "description_en": (
        "Since about 8 pm cable TV has been down in parts of Hamburg North (postcodes 224, 225). "
        "A technician is at the street cabinet; we expect it to be fixed before 9:30 pm."
    ),
    "product": "Kabel-TV",
    "regions": ["224", "225"],
    "keywords": ["kein signal", "no signal", "fernseher schwarz", "tv is black", "bildschirm schwarz"],
}

# Each case: a fixed external id (so loading twice changes nothing), the channel, and the customer's words.
# `followups` arrive later on the same case by e-mail; `reply` is the owner's answer.
CASES = [
    {
        "id": "demo-tv-black@kunden.kabelwelle-demo",
        "channel": "email",
        "name": "Thomas Brandt",
        "email": "thomas.brandt@example.net",
        "subject": "Fernseher schwarz – kurz vor dem Champions-League-Finale!",
        "text": (
            "Hallo,\n\nseit kurz nach acht ist mein Fernseher schwarz, auf allen Sendern steht nur "
            "„Kein Signal“. In einer halben Stunde beginnt das Champions-League-Finale!\n\n"
            "Ich hänge seit zwanzig Minuten in Ihrer Warteschleife („Der nächste Mitarbeiter ist sofort für "
            "Sie bereit“) und suche nebenbei auf dem Handy in Ihrer Community, ob es eine Störung gibt. "
            "Ich wohne in 22529 Hamburg.\n\nBitte melden Sie sich schnell.\nThomas Brandt"
        ),
        "followups": [
            {
                "id": "demo-tv-black-2@kunden.kabelwelle-demo",
                "text": (
                    "Nachtrag: Der Router zeigt alle Lampen grün, Internet geht. Nur das Fernsehbild bleibt "
                    "schwarz. Ich bin unter 0171 5550123 erreichbar.\n\nThomas Brandt"
                ),
            }
        ],
    },
    {
        "id": "demo-tv-black-en",
        "channel": "webform",
        "name": "Jane Porter",
        "email": "jane.porter@example.com",
        "language": "en",
        "subject": "TV is black, no signal",
        "text": (
            "Hi, my TV is black since about 8 pm – every channel says no signal. We moved to Hamburg "
            "(postcode 22453) last month and this is the first time it happens. Is this a known outage, "
            "or is something wrong with our connection? Thanks, Jane"
        ),
    },
    {
        "id": "demo-form-never-confirmed",
        "channel": "webform",
        "name": "Marion Keller",
        "email": "marion.keller@example.org",
        "phone": "+49 40 5550 4477",
        "language": "de",
        "subject": "Umzug gemeldet – nie eine Bestätigung bekommen",
        "text": (
            "Guten Tag,\n\nvor zwei Wochen habe ich über Ihr Online-Formular meinen Umzug zum 1. des Monats "
            "gemeldet. Eine Bestätigung kam nie. Stattdessen kam per Post ein neues Formular, das ich noch "
            "einmal ausfüllen soll.\n\nIch möchte nur wissen: Ist meine neue Adresse angekommen, und läuft "
            "der Anschluss in der neuen Wohnung ab dem Ersten? Wenn ich gleich angerufen hätte, wäre das "
            "wahrscheinlich in fünf Minuten erledigt gewesen.\n\nMarion Keller"
        ),
    },
    {
        "id": "demo-credit-not-booked@kunden.kabelwelle-demo",
        "channel": "email",
        "name": "Peter Neumann",
        "email": "p.neumann@example.de",
        "subject": "Zugesagte Gutschrift fehlt auf der Rechnung",
        "text": (
            "Sehr geehrte Damen und Herren,\n\nam 3. März hat mir Ihr Kollege am Telefon für den zweitägigen "
            "Internetausfall im Februar eine Gutschrift über 25 Euro zugesagt. Auf der Rechnung vom April "
            "steht davon nichts.\n\nWenn Sie mir eine Gutschrift zusagen, dann buchen Sie sie bitte auch. "
            "Ich möchte darüber nicht noch einmal diskutieren müssen – und erst recht nicht für den Anruf "
            "bei Ihrer Hotline bezahlen.\n\nKundennummer 4711-0815\nPeter Neumann"
        ),
        "reply": (
            "Guten Tag Herr Neumann,\n\nSie haben recht, die zugesagte Gutschrift über 25 Euro fehlte. Ich "
            "habe sie eben gebucht; sie steht auf Ihrer nächsten Rechnung. Für die Mühe habe ich Ihnen "
            "zusätzlich den Mai-Grundpreis für Ihre Option HD erlassen.\n\nWenn etwas nicht stimmt, "
            "antworten Sie einfach auf diese Mail – sie kommt direkt bei mir an."
        ),
    },
    {
        "id": "demo-hotline-maze@customers.kabelwelle-demo",
        "channel": "email",
        "name": "David Okafor",
        "email": "david.okafor@example.com",
        "subject": "Twenty minutes in your phone menu, then cut off",
        "text": (
            "Hello,\n\nI tried to call your hotline about my internet dropping every evening. I pressed 1 for "
            "internet, 3 for faults, 2 for 'other', worked my way down to the sixth level of your voice "
            "menu, waited twenty minutes and was then put through to nowhere.\n\nA voice menu is not "
            "service. I don't want a ticket number, I want a person who can actually decide something – "
            "with a name and a direct number I can call back.\n\nDavid Okafor"
        ),
    },
    {
        "id": "demo-twitter-complaint",
        "channel": "webform",
        "name": "Katrin Vogel",
        "email": "katrin.vogel@example.net",
        "language": "de",
        "subject": "Beschwerde auf Twitter – Router seit einer Woche defekt",
        "text": (
            "Hallo,\n\ngestern habe ich mich auf Twitter bei @kabelwelle beschwert, weil mein Router seit einer "
            "Woche ständig neu startet. Ihr Social-Media-Team hat geantwortet, ich solle meine Kundennummer "
            "und Adresse per Direktnachricht schicken. Meine Daten schicke ich nicht über Twitter – darum "
            "schreibe ich hier.\n\nKundennummer 5521-3380, Lerchenweg 7, 22767 Hamburg. Ich brauche ein "
            "Austauschgerät, 140 Zeichen reichen dafür nicht.\n\nKatrin Vogel"
        ),
    },
]
