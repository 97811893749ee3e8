"""Words and sentences for generated customer-service text in German and English (utilities, telecoms, TV)."""

# ruff: noqa: SIM905 - word lists read best as one string

from __future__ import annotations

FIRST = {
    "de": "Jana Lukas Anna Felix Marie Jonas Lea Paul Sophie Leon Emma Ben Mia Elias Hannah Noah Lina Finn Klara"
    " Moritz Ida Jakob Greta Anton Frieda Emil Martha Karl Ursula Dieter Heike Uwe Sabine Jürgen Renate".split(),
    "en": "Oliver Amelia George Isla Harry Ava Jack Mia Jacob Emily Charlie Grace Thomas Sophie Oscar Lily James"
    " Ella William Freya Henry Evie Alfie Chloe Leo Ruby Arthur Alice Edward Daisy".split(),
}
LAST = {
    "de": "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter"
    " Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause"
    " Meier Lehmann Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung".split(),
    "en": "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White"
    " Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell Rose Davis Cooper".split(),
}
STREETS = (
    "Hauptstraße Bahnhofstraße Gartenweg Lindenallee Schillerstraße Goethestraße Marktplatz Birkenweg Mühlenweg"
    " Kirchgasse Hafenstraße Deichweg Elbchaussee Rosenstraße Bergstraße Wiesenweg Parkallee Kastanienweg"
).split()
CITIES = (
    "Hamburg Bremen Kiel Lübeck Rostock Schwerin Hannover Oldenburg Flensburg Husum Stade Lüneburg Cuxhaven".split()
)
MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "en": "January February March April May June July August September October November December".split(),
}
# Each topic: subjects, the customer's first message (sentences), the agent's answer sentences.
TOPICS = {
    "de": [
        (
            ["Rechnung {month} zu hoch", "Frage zur Rechnung {number}", "Rechnung doppelt abgebucht"],
            [
                "Meine Rechnung für {month} ist viel zu hoch.",
                "Sie haben {amount} Euro abgebucht, vereinbart waren {amount2} Euro.",
                "Die Rechnungsnummer ist {number}.",
                "Bitte prüfen Sie die Abbuchung und erstatten Sie den Differenzbetrag.",
            ],
            ["Ich habe Ihre Rechnung geprüft.", "Die Gutschrift über {amount} Euro geht heute raus."],
        ),
        (
            ["Zählerstand für {street}", "Zählerstand melden", "Ablesung falsch"],
            [
                "Ich möchte meinen Zählerstand melden: {meter}.",
                "Der Ableser war am {day}. {month} nicht da.",
                "Die Zählernummer ist {number}, Adresse {street} {house} in {city}.",
                "Die Schätzung auf der letzten Abrechnung stimmt nicht.",
            ],
            ["Danke, ich habe den Zählerstand {meter} eingetragen.", "Die Abrechnung wird korrigiert."],
        ),
        (
            ["Kein Internet seit {day}. {month}", "Internet sehr langsam", "Router blinkt rot"],
            [
                "Seit dem {day}. {month} habe ich kein Internet mehr.",
                "Der Router blinkt rot, ich habe ihn schon dreimal neu gestartet.",
                "Ich arbeite im Homeoffice und brauche die Leitung dringend.",
                "Die Geschwindigkeit liegt bei {speed} Mbit statt 250.",
            ],
            ["Wir haben eine Störung in {city} gefunden.", "Ein Techniker kommt am {day}. {month}."],
        ),
        (
            ["Fernseher schwarz", "Kein Signal auf allen Sendern", "Sender fehlen nach Update"],
            [
                "Seit gestern Abend ist mein Fernseher schwarz, kein Signal.",
                "Der Receiver zeigt Fehler {code}.",
                "Alle Sender sind weg, auch nach dem Sendersuchlauf.",
                "Meine Nachbarin in der {street} hat dasselbe Problem.",
            ],
            ["Das ist eine bekannte Störung im Kabelnetz.", "Bitte starten Sie den Receiver neu."],
        ),
        (
            ["Umzug nach {city}", "Vertrag mitnehmen bei Umzug", "Neue Adresse ab {month}"],
            [
                "Ich ziehe zum {day}. {month} nach {city} in die {street} {house}.",
                "Kann ich meinen Vertrag mitnehmen?",
                "Bitte schicken Sie die Post ab dann an die neue Adresse.",
            ],
            ["Ihr Umzug ist vorgemerkt.", "Der Anschluss in {city} ist ab dem {day}. {month} aktiv."],
        ),
        (
            ["Kündigung Vertrag {number}", "Vertrag kündigen", "Sonderkündigung wegen Preiserhöhung"],
            [
                "Hiermit kündige ich meinen Vertrag {number} fristgerecht.",
                "Die Preiserhöhung um {amount} Euro akzeptiere ich nicht.",
                "Bitte bestätigen Sie mir die Kündigung schriftlich.",
            ],
            ["Ihre Kündigung zum {day}. {month} ist bestätigt.", "Schade, dass Sie gehen."],
        ),
        (
            ["Abschlag ändern", "Abschlag zu hoch", "Neuer Abschlag ab {month}"],
            [
                "Mein monatlicher Abschlag von {amount} Euro ist zu hoch.",
                "Wir sind nur noch zu zweit im Haushalt.",
                "Bitte senken Sie den Abschlag auf {amount2} Euro.",
            ],
            ["Ihr Abschlag beträgt ab {month} nun {amount2} Euro."],
        ),
        (
            ["Heizung kalt", "Fernwärme ausgefallen", "Warmwasser fehlt"],
            [
                "Unsere Heizung ist seit {day}. {month} kalt.",
                "Im ganzen Haus {street} {house} gibt es kein Warmwasser.",
                "Wir haben ein Baby und brauchen dringend Wärme.",
            ],
            ["Der Notdienst ist informiert.", "Die Fernwärme läuft wieder."],
        ),
    ],
    "en": [
        (
            ["Invoice {number} is wrong", "Charged twice in {month}", "Question about my invoice"],
            [
                "My invoice for {month} is far too high.",
                "You charged {amount} pounds but we agreed on {amount2}.",
                "The invoice number is {number}.",
                "Please refund the difference as soon as possible.",
            ],
            ["I have checked your invoice.", "A credit of {amount} has been issued today."],
        ),
        (
            ["Meter reading for {street}", "Submit meter reading", "Estimated bill is wrong"],
            [
                "I would like to submit my meter reading: {meter}.",
                "The meter number is {number}, address {house} {street}, {city}.",
                "The estimate on my last bill is wrong.",
            ],
            ["Thank you, the reading {meter} is recorded.", "Your bill will be corrected."],
        ),
        (
            ["No internet since {month} {day}", "Broadband very slow", "Router light is red"],
            [
                "Since {month} {day} I have had no internet at all.",
                "The router light is red and restarting did not help.",
                "I work from home and need the connection urgently.",
                "Speed is down to {speed} Mbit instead of 250.",
            ],
            ["We found an outage in {city}.", "An engineer will visit on {month} {day}."],
        ),
        (
            ["TV has no signal", "All channels missing", "Set-top box error {code}"],
            [
                "Since last night my TV shows no signal.",
                "The set-top box shows error {code}.",
                "All channels are gone even after a rescan.",
            ],
            ["This is a known outage in the cable network.", "Please restart the box."],
        ),
        (
            ["Moving to {city}", "Change of address", "Take my contract when moving"],
            [
                "I am moving to {house} {street}, {city} on {month} {day}.",
                "Can I keep my contract at the new address?",
            ],
            ["Your move is booked.", "The line in {city} will be active on {month} {day}."],
        ),
        (
            ["Cancel contract {number}", "Cancellation request", "Cancel after price increase"],
            [
                "I hereby cancel my contract {number}.",
                "I do not accept the price increase of {amount}.",
                "Please confirm the cancellation in writing.",
            ],
            ["Your cancellation is confirmed for {month} {day}."],
        ),
    ],
}
CLOSINGS = {
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Danke und Gruß", "Freundliche Grüße"],
    "en": ["Kind regards", "Best wishes", "Thanks", "Regards"],
}
FOLLOW_UPS = {
    "de": [
        "Ich habe immer noch keine Antwort erhalten.",
        "Das Problem besteht weiterhin.",
        "Vielen Dank, jetzt funktioniert alles wieder.",
        "Anbei noch ein Foto vom Zähler.",
        "Wann kommt denn der Techniker?",
    ],
    "en": [
        "I still have not heard back from you.",
        "The problem is still there.",
        "Thank you, everything works again now.",
        "Attached is a photo of the meter.",
        "When will the engineer come?",
    ],
}
