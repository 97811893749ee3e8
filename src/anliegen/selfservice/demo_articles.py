"""Demo help articles of the demo brand: six topics, each in German and English (pairs of translations)."""

CATEGORIES = [
    ("tv", "Fernsehen", "Television"),
    ("internet", "Internet & WLAN", "Internet & Wi-Fi"),
    ("billing", "Rechnung & Vertrag", "Billing & contract"),
]

ARTICLES = [
    {
        "category": "tv",
        "de": (
            "Kein Signal am Fernseher: was Sie selbst prüfen können",
            "<p>Zeigt Ihr Fernseher <strong>„Kein Signal“</strong>, prüfen Sie zuerst unsere "
            '<a href="/kabelwelle/status/">Statusseite</a>: Bei einer bekannten Störung arbeiten wir schon daran.</p>'
            "<ol><li>Sitzt das Antennenkabel fest in der Dose und im Receiver?</li>"
            "<li>Ziehen Sie den Stecker des Receivers für 30 Sekunden und starten Sie ihn neu.</li>"
            "<li>Wählen Sie am Fernseher den richtigen Eingang (HDMI oder Kabel).</li></ol>"
            "<p>Hilft das nicht, schreiben Sie uns: Ein Mensch antwortet Ihnen.</p>",
        ),
        "en": (
            "No signal on the TV: what you can check yourself",
            "<p>If your TV shows <strong>“No signal”</strong>, first look at our "
            '<a href="/kabelwelle/status/">status page</a>: if there is a known disruption, we are on it.</p>'
            "<ol><li>Is the antenna cable firmly in the wall socket and the receiver?</li>"
            "<li>Unplug the receiver for 30 seconds and start it again.</li>"
            "<li>Choose the right input on the TV (HDMI or cable).</li></ol>"
            "<p>If that does not help, write to us: a person answers you.</p>",
        ),
    },
    {
        "category": "tv",
        "de": (
            "Sendersuchlauf am Receiver starten",
            "<p>Fehlen Sender nach einer Umstellung, starten Sie im Menü des Receivers unter "
            "<em>Einstellungen → Sendersuche</em> einen automatischen Suchlauf. Er dauert etwa zehn Minuten.</p>",
        ),
        "en": (
            "Running a channel scan on the receiver",
            "<p>If channels are missing after a change, start an automatic scan in the receiver menu under "
            "<em>Settings → Channel search</em>. It takes about ten minutes.</p>",
        ),
    },
    {
        "category": "internet",
        "de": (
            "Internet langsam oder weg: Router neu starten",
            "<p>Leuchtet die Online-Lampe am Router rot, trennen Sie ihn 30 Sekunden vom Strom. "
            "Nach drei Minuten ist er wieder online. Prüfen Sie auch die "
            '<a href="/kabelwelle/status/">Statusseite</a>.</p>',
        ),
        "en": (
            "Internet slow or down: restart the router",
            "<p>If the router's online light is red, unplug it for 30 seconds. After three minutes it is back "
            'online. Also check the <a href="/kabelwelle/status/">status page</a>.</p>',
        ),
    },
    {
        "category": "internet",
        "de": (
            "WLAN-Passwort ändern",
            "<p>Öffnen Sie im Browser <code>http://192.168.0.1</code>, melden Sie sich mit dem Kennwort vom "
            "Aufkleber an und ändern Sie unter <em>WLAN → Sicherheit</em> das Passwort.</p>",
        ),
        "en": (
            "Changing the Wi-Fi password",
            "<p>Open <code>http://192.168.0.1</code> in your browser, log in with the password on the sticker "
            "and change the password under <em>Wi-Fi → Security</em>.</p>",
        ),
    },
    {
        "category": "billing",
        "de": (
            "Ihre Rechnung verstehen: Grundgebühr, Gutschriften, Fristen",
            "<p>Die Rechnung zeigt oben die Grundgebühr, darunter Einzelposten und <strong>Gutschriften</strong> "
            "(zum Beispiel nach einer Störung). Der Betrag wird zum 15. des Monats abgebucht.</p>"
            "<p>Fehlt eine zugesagte Gutschrift, antworten Sie einfach auf die Mail Ihres Ansprechpartners.</p>",
        ),
        "en": (
            "Understanding your invoice: base fee, credits, due dates",
            "<p>The invoice shows the base fee at the top, then single items and <strong>credits</strong> "
            "(for example after a disruption). The amount is debited on the 15th of the month.</p>"
            "<p>If a promised credit is missing, simply reply to your contact person's mail.</p>",
        ),
    },
    {
        "category": "billing",
        "de": (
            "Umzug melden und Vertrag mitnehmen",
            "<p>Melden Sie Ihren Umzug mindestens vier Wochen vorher. Ist an der neuen Adresse Kabel verfügbar, "
            "nehmen Sie Ihren Vertrag mit; sonst haben Sie ein Sonderkündigungsrecht.</p>",
        ),
        "en": (
            "Moving house and taking your contract along",
            "<p>Tell us about your move at least four weeks ahead. If cable is available at the new address, your "
            "contract moves with you; otherwise you may cancel early.</p>",
        ),
    },
]

RESOLVED_INCIDENT = {
    "title": "Internetstörung in Hamburg-Altona",
    "title_en": "Internet outage in Hamburg-Altona",
    "description": "Ein beschädigtes Glasfaserkabel unterbrach das Internet in Altona (PLZ 227) für drei Stunden.",
    "description_en": "A damaged fibre cable interrupted the internet in Altona (postcodes 227) for three hours.",
    "product": "Internet",
    "areas": ["227"],
}

# Community threads: (language, title, question, asker, [(answer, author, official)], accepted answer index)
THREADS = [
    (
        "de",
        "Fernseher schwarz in Hamburg-Nord – nur bei mir?",
        "Seit acht Uhr zeigt mein Fernseher „Kein Signal“. Ist das nur bei mir so? Wohne in Eppendorf.",
        "Thomas B.",
        [
            ("Bei uns in 22529 auch, die Statusseite zeigt eine Störung.", "Nachbar_Jens", False),
            (
                "Ja, es ist eine bekannte Störung am Verteiler in Hamburg-Nord. Ein Techniker ist vor Ort; Sie bekommen "
                "automatisch Bescheid, sobald es wieder geht.",
                "Jonas Becker",
                True,
            ),
        ],
        1,
    ),
    (
        "de",
        "Welches Kabel für den Receiver?",
        "Ich habe einen neuen Fernseher. Reicht das alte Antennenkabel oder brauche ich HDMI?",
        "Marion K.",
        [
            (
                "Receiver und Fernseher verbinden Sie per HDMI, das Antennenkabel bleibt zwischen Dose und Receiver.",
                "Technikfan",
                False,
            )
        ],
        0,
    ),
    (
        "en",
        "Router online light is red after a thunderstorm",
        "Since the storm last night the online light on my router is red. Restarting did not help.",
        "Priya S.",
        [
            (
                "Same here after storms: unplug the cable from the wall socket for a minute, that reset it for me.",
                "Mark_HH",
                False,
            )
        ],
        None,
    ),
]
