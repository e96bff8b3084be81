"""Synthetic ambassador questions with known recurring themes (demo, tests and benchmarks).

Made-up Dutch case questions without any client identity. Each theme has several ways of
asking the same thing; `questions(rng, n)` draws from them plus one-off questions, and returns
the theme label with every text so grouping quality can be measured.
"""

from __future__ import annotations

import random

# theme key → (topic key, organisation type asked, variants)
THEMES: dict[str, tuple[str, str, list[str]]] = {
    "wia_income": ("benefits", "uwv", [
        "Hoe wordt loon verrekend met de WIA-uitkering als een cliënt parttime gaat werken?",
        "Wat gebeurt er met de WIA-uitkering wanneer iemand een paar uur per week loon gaat verdienen?",
        "Verrekening van inkomsten uit werk met een WIA-uitkering: hoeveel blijft er over bij parttime loon?",
        "Cliënt met WIA wil parttime werken. Hoe werkt de verrekening van het loon met de uitkering?",
        "Mag iemand met een WIA-uitkering loon bijverdienen en hoe wordt dat verrekend?",
    ]),
    "wajong_dispensation": ("benefits", "uwv", [
        "Hoe vraag je loondispensatie aan voor een jongere met Wajong die bij een werkgever start?",
        "Wajong en loondispensatie: wie stelt de loonwaarde vast bij een nieuwe werkgever?",
        "Werkgever wil iemand met Wajong aannemen. Hoe gaat de aanvraag voor loondispensatie en loonwaardemeting?",
        "Loonwaarde en loondispensatie bij Wajong: hoe lang duurt de aanvraag?",
    ]),
    "volunteer_assistance": ("benefits", "municipality", [
        "Mag iemand in de bijstand vrijwilligerswerk doen zonder gevolgen voor de uitkering?",
        "Vrijwilligerswerk naast een bijstandsuitkering: moet dat gemeld worden en telt de vrijwilligersvergoeding mee?",
        "Telt een vrijwilligersvergoeding mee voor de bijstand als iemand vrijwilligerswerk gaat doen?",
        "Cliënt in de bijstand wil vrijwilligerswerk doen als opstap. Wat betekent dat voor de bijstandsuitkering?",
    ]),
    "garnishment_wage": ("debts", "debt_counselling", [
        "Wat gebeurt er met beslag op het loon als iemand met schulden weer gaat werken?",
        "Beslagvrije voet bij een nieuwe baan: hoeveel loon houdt iemand met beslag over?",
        "Loonbeslag door schuldeisers bij start van werk. Hoe wordt de beslagvrije voet berekend?",
        "Cliënt met schulden begint met werken, de deurwaarder legt beslag op het loon. Wat is de beslagvrije voet?",
        "Hoe voorkom je dat loonbeslag de motivatie om te werken ondermijnt? Beslagvrije voet klopt niet.",
    ]),
    "waiting_list": ("care", "ggz", [
        "Wat kunnen we doen tijdens de wachtlijst voor behandeling in de GGZ? Re-integratie ligt stil.",
        "Wachtlijst GGZ-behandeling: kan een traject naar werk al starten voordat de behandeling begint?",
        "Hoe lang is de wachtlijst voor behandeling en kan het werktraject tijdens het wachten doorgaan?",
        "Cliënt staat op de wachtlijst voor de GGZ. Mag de jobcoach tijdens de wachttijd al beginnen?",
    ]),
    "consent_employer": ("privacy", "ggz", [
        "Welke gegevens mag de behandelaar delen met de werkgever en is daar schriftelijke toestemming voor nodig?",
        "Toestemming voor het delen van gegevens met de werkgever: hoe leg je dat vast?",
        "Mag ik informatie over de psychische klachten delen met de werkgever als de cliënt mondeling toestemming geeft?",
        "Gegevens delen met werkgever: welke toestemming is nodig en wat mag wel en niet gedeeld worden?",
    ]),
    "jobcoach_request": ("work", "uwv", [
        "Hoe vraag je een jobcoach aan bij UWV voor een werknemer met een psychische kwetsbaarheid?",
        "Aanvraag jobcoach via UWV: wie doet de aanvraag, de werkgever of de werknemer?",
        "Werknemer heeft begeleiding op de werkplek nodig. Hoe verloopt de aanvraag van een jobcoach bij UWV?",
        "Hoe lang duurt het voordat UWV een aanvraag voor een jobcoach op de werkplek toekent?",
    ]),
    "no_risk_policy": ("work", "uwv", [
        "Geldt de no-riskpolis voor de werkgever als de nieuwe werknemer ziek wordt?",
        "Werkgever vraagt naar de no-riskpolis bij ziekte van een werknemer uit de doelgroep. Hoe werkt dat?",
        "No-riskpolis: krijgt de werkgever ziektewet vergoed als de werknemer uitvalt?",
        "Wat dekt de no-riskpolis bij ziekte en hoe lang geldt die voor de werkgever?",
    ]),
    "travel_costs": ("benefits", "municipality", [
        "Worden reiskosten vergoed tijdens een proefplaatsing?",
        "Wie betaalt de reiskosten van de cliënt tijdens de proefplaatsing, gemeente of werkgever?",
        "Vergoeding van reiskosten bij een proefplaatsing of werkervaringsplek: hoe vraag je dat aan?",
        "Cliënt kan de reiskosten naar de proefplaatsing niet betalen. Is er een vergoeding?",
    ]),
    "case_director": ("process", "municipality", [
        "Wie wordt regisseur als drie organisaties betrokken zijn en niemand de regie pakt?",
        "Overdracht van regie tussen gemeente en GGZ: wie is verantwoordelijk voor het plan?",
        "Onduidelijk wie de regie heeft bij een casus met GGZ, UWV en gemeente. Hoe spreken we dat af?",
        "Regie bij samenwerking tussen organisaties: wie neemt de regie over als de regisseur vertrekt?",
    ]),
    "job_search_exemption": ("benefits", "municipality", [
        "Kan iemand ontheffing van de sollicitatieplicht krijgen tijdens de behandeling?",
        "Sollicitatieplicht en behandeling in de GGZ: wanneer geeft de gemeente tijdelijk ontheffing?",
        "Tijdelijke ontheffing van de sollicitatieplicht aanvragen vanwege psychische klachten, hoe gaat dat?",
        "Cliënt is in behandeling en voelt druk van de sollicitatieplicht. Is ontheffing mogelijk?",
    ]),
    "special_assistance_debts": ("debts", "municipality", [
        "Kan bijzondere bijstand helpen bij een betalingsachterstand op de energierekening?",
        "Bijzondere bijstand voor achterstand energierekening bij schulden: wat zijn de voorwaarden?",
        "Achterstand bij de energieleverancier, afsluiting dreigt. Is er bijzondere bijstand of een noodfonds?",
        "Hoe vraag je snel bijzondere bijstand aan bij dreigende afsluiting van energie door schulden?",
    ]),
}

ONE_OFFS: list[tuple[str, str, str]] = [
    ("process", "reintegration", "Hoe regelen we een warme overdracht als de jobcoach met zwangerschapsverlof gaat?"),
    ("work", "work_company", "Is er plek bij het werkbedrijf voor iemand die graag buiten in de groenvoorziening werkt?"),
    ("care", "ggz", "Welke training over omgaan met stress op het werk raden jullie aan voor een werknemer?"),
    ("privacy", "uwv", "Mag een arbeidsdeskundige een rapport doorsturen naar een re-integratiebureau?"),
    ("process", "ggz", "Hoe plannen we een driegesprek met ervaringsdeskundige, behandelaar en klantmanager?"),
    ("work", "reintegration", "Kent iemand een werkgever in de logistiek die openstaat voor IPS-kandidaten?"),
    ("debts", "debt_counselling", "Hoe lang duurt een stabilisatietraject voordat schuldregeling kan starten?"),
    ("care", "ggz", "Is er een lotgenotengroep voor mensen die na een burn-out weer willen starten?"),
    ("benefits", "uwv", "Hoe werkt de WW als iemand een tijdelijk contract had en nu ziek is?"),
    ("process", "municipality", "Welke afspraken gelden er voor de maandelijkse casusbespreking in de regio?"),
    ("work", "employer", "Kan een werkgever subsidie krijgen voor aanpassing van de werkplek?"),
    ("privacy", "municipality", "Hoe lang bewaart de gemeente gespreksverslagen van het keukentafelgesprek?"),
    ("care", "experience_experts", "Kan een ervaringsdeskundige meegaan naar het eerste gesprek bij de werkgever?"),
    ("work", "work_company", "Wat is het verschil tussen beschut werk en een garantiebaan?"),
    ("process", "reintegration", "Wie betaalt de inzet van de re-integratiecoach na afloop van het traject?"),
    ("benefits", "municipality", "Hoe zit het met de kostendelersnorm als een volwassen kind weer thuis komt wonen?"),
    ("care", "ggz", "Bestaat er een crisisplan dat ook op het werk gebruikt kan worden?"),
    ("work", "uwv", "Hoe vraag je een werkvoorziening zoals een aangepaste stoel aan?"),
    ("debts", "municipality", "Kan de gemeente de huur rechtstreeks betalen om huisuitzetting te voorkomen?"),
    ("process", "ggz", "Hoe organiseren we de kennislunch over IPS voor nieuwe collega's?"),
]


def questions(rng: random.Random, n: int, *, one_off_share: float = 0.2) -> list[tuple[str, str, str, str]]:
    """`n` questions as (label, topic key, organisation type, text).

    The label is the theme key, or "one-off:k" for a question asked once. Texts vary: a variant
    of the theme, sometimes with a short opening or closing sentence. Beyond the written one-off
    questions, further one-offs are built from a list of other subjects (labelled "misc:k", so a
    subject that comes back in a very large set counts as recurring).
    """
    openers = ["", "", "Vraag over een casus. ", "Ik loop vast: ", "Korte vraag. ", "Graag advies. "]
    closers = ["", "", " Alvast bedankt.", " Het is nogal dringend.", " Wie weet dit?", " Wat is jullie ervaring?"]
    themes = sorted(THEMES)
    result = []
    one_offs = 0
    for _i in range(n):
        if rng.random() < one_off_share:
            if one_offs < len(ONE_OFFS):
                topic, org, body = ONE_OFFS[one_offs]
                label = f"one-off:{one_offs}"
            else:
                k = (one_offs - len(ONE_OFFS)) % len(_SUBJECTS)
                topic, org = "process", "municipality"
                body = f"{rng.choice(_ASKS)} {_SUBJECTS[k]}?"
                label = f"misc:{k}"
            one_offs += 1
        else:
            key = themes[rng.randrange(len(themes))]
            topic, org, variants = THEMES[key]
            body = variants[rng.randrange(len(variants))]
            label = key
        result.append((label, topic, org, rng.choice(openers) + body + rng.choice(closers)))
    return result


_SUBJECTS = [
    "de fietsenwerkplaats in Tiel", "kinderopvangtoeslag bij een nieuwe baan", "het inburgeringsexamen", "een verhuizing naar een andere gemeente",
    "de rijbewijskeuring na medicatie", "een taalcursus Nederlands op B1-niveau", "huurtoeslag na een loonsverhoging", "een studieschuld bij DUO",
    "het aanvullende zorgverzekeringspakket", "een avondopleiding met studiefinanciering", "mantelzorgwaardering", "een sportabonnement via het kindpakket",
    "een scootmobiel aanpassen", "tandartskosten zonder aanvullende verzekering", "een bewindvoerder wisselen", "de Wmo-indicatie voor dagbesteding",
    "een VOG aanvragen met een strafblad", "statushouders en diplomawaardering", "een hond als hulpdier op kantoor", "nachtdiensten en slaapmedicatie",
    "pensioenopbouw bij beschut werk", "de keuring voor het taxidiploma", "een stage in de zorg zonder diploma", "digitaal solliciteren zonder laptop",
    "werken met een alarmknop voor thuiswerkers", "een leerwerktraject in de bouw", "belastingaangifte na een jaar bijstand", "een boete van het CJIB",
    "het ophalen van grofvuil bij verhuizing", "een gezamenlijke huishouding met een huisgenoot", "zwemles voor volwassenen", "de OV-kaart voor minima",
    "een cursus financiële vaardigheden", "een buddy voor de eerste werkweken", "reistijd als onderdeel van werktijd", "een kookcursus als dagbesteding",
    "meedoen aan een hardloopgroep voor herstel", "de bibliotheek als plek voor taalhulp", "een tweedehands fiets via de kringloop", "een muziekschool voor kinderen",
    "de wachttijd voor een nieuw paspoort", "een internetaansluiting voor minima", "vakantiegeld bij een deeltijdbaan", "een tuinproject als werkervaringsplek",
    "de verjaardag van een collega vieren", "kerstpakketten via de voedselbank",
]
_ASKS = ["Wie weet iets over", "Heeft iemand ervaring met", "Hoe zit het met", "Wat weten jullie over", "Wie kan mij helpen met"]


ANSWERS: dict[str, str] = {
    "wia_income": "Loon uit werk wordt verrekend met de WGA-uitkering: UWV trekt 70 % van het verdiende loon af. Geef het loon door via Mijn UWV; de werkgever hoeft niets te doen. Bij twijfel: bel de arbeidsdeskundige.",
    "wajong_dispensation": "De werkgever vraagt loondispensatie aan bij UWV. UWV laat een loonwaardemeting doen op de werkplek; reken op vier tot acht weken. Start gerust al: de dispensatie geldt vanaf de aanvraagdatum.",
    "volunteer_assistance": "Vrijwilligerswerk mag met bijstand, maar meld het vooraf bij de klantmanager. Een vrijwilligersvergoeding tot het wettelijke maximum telt niet mee als inkomen.",
    "garnishment_wage": "Bij een nieuwe baan rekent de deurwaarder de beslagvrije voet opnieuw uit. Laat de cliënt de loonstrook direct doorsturen; klopt de voet niet, dan kan de schuldhulpverlener bezwaar maken. Meld het ook in het team: het raakt de motivatie.",
    "waiting_list": "Ja, een werktraject kan starten tijdens de wachtlijst. Spreek met de huisarts of POH-GGZ af wie contact houdt. IPS gaat uit van 'eerst plaatsen': wachten is niet nodig.",
    "consent_employer": "Alleen met uitdrukkelijke toestemming van de cliënt, voor die werkgever en dat soort gegevens. Leg de toestemming vast in Werkbrug. Deel functionele beperkingen, geen diagnose.",
    "jobcoach_request": "De werkgever vraagt de jobcoach aan bij UWV, binnen zes maanden na de start. De werknemer tekent mee. UWV beslist meestal binnen acht weken.",
    "no_risk_policy": "De no-riskpolis geldt vijf jaar voor werknemers uit het doelgroepregister. Bij ziekte vraagt de werkgever ziektewet aan bij UWV en krijgt die het loon (deels) vergoed.",
    "travel_costs": "De gemeente vergoedt reiskosten tijdens een proefplaatsing als de cliënt een uitkering heeft. Vraag het aan via de klantmanager, met een overzicht van de reisdagen.",
    "case_director": "Spreek in het eerste teamoverleg af wie planregisseur is. Vertrekt die, dan draagt hij of zij de rol over in Werkbrug voordat hij het team verlaat.",
    "job_search_exemption": "Tijdelijke ontheffing van de sollicitatieplicht kan bij de gemeente, op advies van de behandelaar. Meestal voor drie tot zes maanden, daarna samen opnieuw bekijken.",
    "special_assistance_debts": "Vraag bijzondere bijstand aan bij de gemeente en meld de dreigende afsluiting ook bij de energieleverancier: die mag niet afsluiten zolang er schuldhulp loopt.",
}
DEFAULT_ANSWER = "Goede vraag. Neem contact op met het aanspreekpunt van onze organisatie; ik heb je gegevens doorgegeven."
