"""What a public post about the brand is: a complaint, a question, praise or an outage report (German, English).

Rules, each a weighted pattern; the kind with the highest score wins, ties go to the more urgent kind (an
outage before a complaint before a question before praise). Complaints get an earlier answer-by time; outage
reports need less evidence to be linked to an active incident. Measured on the labelled posts in
channels/social/tests/labelled_posts.py; the classify stage applies it to public posts (precision and recall per kind, with a floor).
"""

from __future__ import annotations

import re

OUTAGE, COMPLAINT, QUESTION, PRAISE = "outage", "complaint", "question", "praise"
KINDS = (OUTAGE, COMPLAINT, QUESTION, PRAISE)  # also the order of urgency

_RULES: dict[str, list[tuple[float, str]]] = {
    OUTAGE: [
        (3, r"\b(störung|stoerung|ausfall|ausgefallen|totalausfall|netzausfall|outage|down|offline)\b"),
        (3, r"\bkein(e|en)? (internet|netz|signal|empfang|tv|fernsehen|bild|verbindung|strom|telefon|dsl)\b"),
        (3, r"\bno (internet|signal|connection|service|broadband|tv|picture|dial tone|power)\b"),
        (2, r"\b(geht|funktioniert|läuft|laeuft) (seit|schon|gerade|heute|wieder)? ?\w* ?(nicht|nix|gar nichts)\b"),
        (
            2,
            r"\b(is|are|been|still|keeps?) (down|dropping|not working|cutting out)\b|\bnot working\b|\bstopped working\b",
        ),
        (
            2,
            r"\b(schwarz(er)? bildschirm|bildschirm (ist )?schwarz|fernseher (ist )?schwarz|black screen|screen (went|is) black)\b",
        ),
        (
            1.5,
            r"\b(bei euch auch|noch jemand|anyone else|everyone else|auch betroffen|whole street|ganze straße|ganzen straße)\b",
        ),
        (1.5, r"\b(router|modem|receiver)\b.*\b(blinkt|rot|leuchtet|blinking|red light)\b"),
        (1, r"\b\d{5}\b|\b(in|area|bereich|raum|gebiet) [A-ZÄÖÜ][a-zäöüß]+"),
    ],
    COMPLAINT: [
        (3, r"\b(frechheit|unverschämt|unverschaemt|skandal|katastrophe|katastrophal|zumutung|abzocke|unfassbar)\b"),
        (
            3,
            r"\b(disgrace|ridiculous|appalling|unacceptable|shocking|disgusting|rip[- ]?off|useless|worst|terrible|awful|pathetic)\b",
        ),
        (2.5, r"\b(warteschleife|hotline|niemand|keiner)\b.*\b(stunde|minuten|ewig|meldet|ruft|geht ran|erreichbar)\b"),
        (
            2.5,
            r"\b(on hold|hold music|nobody|no one|no-one)\b.*\b(hour|minutes|calls? back|answers?|replies|gets back)\b",
        ),
        (
            2,
            r"\b(kündig|kuendig|wechsle|wechseln|anbieter wechseln|never again|cancel(l?ing)? my|switching to|leaving)\w*",
        ),
        (
            2,
            r"\b(doppelt abgebucht|zu viel abgebucht|falsche rechnung|rechnung (ist )?falsch|overcharged|charged twice|double charged|wrong bill)\b",
        ),
        (
            2,
            r"\b(schon wieder|zum (dritten|x-ten|vierten) mal|immer noch|seit (tagen|wochen|monaten)|third time|again and again|still (waiting|no)|for (days|weeks|months))\b",
        ),
        (
            1.5,
            r"\b(versprochen|zugesagt|promised)\b.*\b(nicht|nie|nothing|never|no)\b|\b(nie|never) (gekommen|angekommen|arrived|came|showed up|called back)\b",
        ),
        (
            1.5,
            r"\b(enttäuscht|enttaeuscht|sauer|verärgert|ärgerlich|genervt|disappointed|fed up|angry|annoyed|furious|sick of)\b",
        ),
        (1, r"!{2,}|\b(danke für nichts|thanks for nothing)\b"),
    ],
    QUESTION: [
        (2, r"\?"),
        (
            1.5,
            r"^\W*(@\w+\s+)*(wie|wann|wo|was|welche[rsnm]?|warum|weshalb|kann|könnt|koennt|gibt es|habt ihr|ist es|muss|darf|bekomme)\b",
        ),
        (
            1.5,
            r"^\W*(@\w+\s+)*(how|when|where|what|which|why|can|could|do|does|is|are|will|should|any idea|is there)\b",
        ),
        (
            1.5,
            r"\b(weiß jemand|weiss jemand|frage|kurze frage|wie lange dauert|does anyone know|quick question|wondering|how long does)\b",
        ),
        (1, r"\b(möglich|moeglich|possible|option|tarif|vertrag wechseln|upgrade|umzug|moving house|change my plan)\b"),
    ],
    PRAISE: [
        (3, r"\b(danke|vielen dank|dankeschön|thanks|thank you|cheers)\b(?!.{0,12}\b(für nichts|for nothing)\b)"),
        (
            2.5,
            r"\b(lob|respekt|mega|love|super|toll(e[rsn]?)?|klasse|spitze|top|hervorragend|großartig|grossartig|great|excellent|brilliant|amazing|fantastic|awesome|spot on|lovely)\b",
        ),
        (
            2,
            r"\b(schnell geholfen|sofort geholfen|freundlich|kompetent|problem gelöst|läuft wieder|laeuft wieder|geht wieder|sorted|fixed it|works again|back up|quick(ly)? (fix|help|response)|helpful|friendly)\b",
        ),
        (
            1.5,
            r"\b(empfehle|empfehlen|weiter so|gerne wieder|recommend|keep it up|well done|kudos|shout ?out|impressed|beeindruckt|zufrieden|happy)\b",
        ),
        (1, r"[❤👍🙏😊👏🎉]"),
    ],
}
_COMPILED = {
    kind: [(w, re.compile(p, re.IGNORECASE | re.MULTILINE)) for w, p in rules] for kind, rules in _RULES.items()
}
# A post that names a problem and thanks ahead ("thanks in advance") is not praise.
_THANKS_AHEAD = re.compile(
    r"\b(danke im voraus|vielen dank im voraus|vorab danke|thanks in advance|thx in advance)\b", re.I
)


def scores(text: str) -> dict[str, float]:
    found = {kind: sum(w for w, p in rules if p.search(text)) for kind, rules in _COMPILED.items()}
    if _THANKS_AHEAD.search(text):
        found[PRAISE] = max(0.0, found[PRAISE] - 3)
    if found[OUTAGE] and found[PRAISE] >= found[OUTAGE] and re.search(r"\b(wieder|again|back)\b", text, re.I):
        found[OUTAGE] -= 1  # "läuft wieder" is thanks for the fix, not a new report
    return found


def classify(text: str) -> str:
    found = scores(text)
    best = max(found.values())
    if best <= 0:
        return QUESTION if "?" in text else COMPLAINT
    return next(kind for kind in KINDS if found[kind] == best)
