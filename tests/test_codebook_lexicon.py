"""The sphere and core lexicons of the default codebook, on sentences written for these tests: each
policy-Dutch name of the sociale basis passes codebook rule 1 with its sphere, and each word that
looks like one but means something else (a false friend, the other sense of a word) does not."""

from __future__ import annotations

import pytest

from sbtext.tag import Tagger, names_the_basis
from sbtext.tag.rules import cue_spans


@pytest.fixture(scope="module")
def rules(nlp) -> Tagger:
    """The codebook alone: these tests read cues, never a trained model."""
    return Tagger(nlp, models="rules")


def basis_cues(tagger: Tagger, text: str) -> list[tuple[str, str]]:
    """(cue list, matched words) of every `core` and sphere cue in `text`."""
    doc = next(tagger.docs([text]))
    return [(s.label_, s.text.lower()) for s in cue_spans(doc) if s.label_ == "core" or s.label_.startswith("sphere:")]


def passes_rule_one(tagger: Tagger, text: str) -> bool:
    return names_the_basis(cue_spans(next(tagger.docs([text]))))


ADMITTED = [
    # persoonlijk: a resident and their own network
    ("Mantelzorg is voor veel gezinnen vanzelfsprekend.", "sphere:persoonlijk", "mantelzorg"),
    ("De mantelzorgtaken worden verdeeld over de kinderen.", "sphere:persoonlijk", "mantelzorgtaken"),
    ("In deze dorpen zorgen bewoners voor elkaar.", "sphere:persoonlijk", "voor elkaar"),
    ("Ze leren ook voor zichzelf en elkaar te zorgen.", "sphere:persoonlijk", "elkaar te zorgen"),
    ("Wie voor een ander zorgt, verdient erkenning.", "sphere:persoonlijk", "voor een ander zorgt"),
    ("Jongeren zoeken eerst steun in hun directe omgeving.", "sphere:persoonlijk", "hun directe omgeving"),
    ("De omgeving van het kind werkt goed samen.", "sphere:persoonlijk", "omgeving van het kind"),
    ("Ouderen met weinig mensen om zich heen voelen zich vaker eenzaam.", "sphere:persoonlijk", "mensen om zich heen"),
    ("De coach betrekt het netwerk van de inwoner bij het plan.", "sphere:persoonlijk", "netwerk van de inwoner"),
    ("Een steunend netwerk helpt bij herstel.", "sphere:persoonlijk", "steunend netwerk"),
    (
        "Ouderen moeten kunnen terugvallen op een groot netwerk.",
        "sphere:persoonlijk",
        "terugvallen op een groot netwerk",
    ),
    (
        "Lichte vragen gaan van formele zorg naar informele ondersteuning.",
        "sphere:persoonlijk",
        "informele ondersteuning",
    ),
    (
        "Belangrijke personen in het leven van jongeren herkennen signalen.",
        "sphere:persoonlijk",
        "belangrijke personen",
    ),
    ("Oplossingen liggen vaak in het gewone leven.", "sphere:persoonlijk", "het gewone leven"),
    ("Het versterken van het normale leven gaat voor behandeling.", "sphere:persoonlijk", "het normale leven"),
    # gemeenschappelijk: communities and voluntary effort
    ("Saamhorigheid houdt het dorp leefbaar.", "sphere:gemeenschappelijk", "saamhorigheid"),
    ("Onderlinge betrokkenheid van ouders helpt kinderen.", "sphere:gemeenschappelijk", "onderlinge betrokkenheid"),
    ("Sterke sociale verbanden verkleinen de kans op eenzaamheid.", "sphere:gemeenschappelijk", "sociale verbanden"),
    ("In nieuwe wijken is de sociale binding nog zwak.", "sphere:gemeenschappelijk", "sociale binding"),
    ("Samenredzaamheid vraagt tijd om te groeien.", "sphere:gemeenschappelijk", "samenredzaamheid"),
    ("Noaberschap is op het platteland nog springlevend.", "sphere:gemeenschappelijk", "noaberschap"),
    ("Nabuurschap krijgt in de nieuwe wijk een kans.", "sphere:gemeenschappelijk", "nabuurschap"),
    ("Steun aan elkaar is in deze straat gewoon.", "sphere:gemeenschappelijk", "steun aan elkaar"),
    ("Zo helpen ze elkaar met de boodschappen.", "sphere:gemeenschappelijk", "helpen ze elkaar"),
    ("Buren gaan meer op elkaar letten.", "sphere:gemeenschappelijk", "op elkaar letten"),
    ("Het plein nodigt uit om elkaar te ontmoeten.", "sphere:gemeenschappelijk", "elkaar te ontmoeten"),
    ("Er is in de straat aandacht voor elkaar.", "sphere:gemeenschappelijk", "aandacht voor elkaar"),
    ("Kleine vragen lossen bewoners met en voor elkaar op.", "sphere:gemeenschappelijk", "met en voor elkaar"),
    ("De gemeente benut de kracht van inwoners.", "sphere:gemeenschappelijk", "kracht van inwoners"),
    ("Kracht en verantwoordelijkheid van burgers worden beter benut.", "sphere:gemeenschappelijk", "van burgers"),
    ("Informele initiatieven vullen het aanbod aan.", "sphere:gemeenschappelijk", "informele initiatieven"),
    ("Professionals uit het informeel domein signaleren problemen.", "sphere:gemeenschappelijk", "informeel domein"),
    ("In de dorpsgemeenschappen ligt veel kracht.", "sphere:gemeenschappelijk", "dorpsgemeenschappen"),
    ("Voorzorgcirkels verbinden vitale en kwetsbare ouderen.", "sphere:gemeenschappelijk", "voorzorgcirkels"),
    ("De herstelacademie is open voor iedereen.", "sphere:gemeenschappelijk", "herstelacademie"),
    ("De AED-burgerhulpverlening is in het hele dorp geregeld.", "sphere:gemeenschappelijk", "burgerhulpverlening"),
    ("Betrokkenheid bij de eigen buurt geeft woonplezier.", "sphere:gemeenschappelijk", "betrokkenheid bij"),
    ("De draagkracht van de wijk is beperkt.", "sphere:gemeenschappelijk", "draagkracht van de wijk"),
    ("Maatschappelijke inzet van jongeren wordt beloond.", "sphere:gemeenschappelijk", "maatschappelijke inzet"),
    ("Zelforganisaties bereiken nieuwkomers als eersten.", "sphere:gemeenschappelijk", "zelforganisaties"),
    ("Een zorgcooperatie regelt het vervoer in het dorp.", "sphere:gemeenschappelijk", "zorgcooperatie"),
    ("Het buurtpreventieteam loopt elke week een ronde.", "sphere:gemeenschappelijk", "buurtpreventieteam"),
    ("De voedselbank draait op de inzet van velen.", "sphere:gemeenschappelijk", "voedselbank"),
    ("Het maatschappelijk middenveld staat onder druk.", "sphere:gemeenschappelijk", "maatschappelijk middenveld"),
    ("Steungezinnen vangen kinderen een weekend per maand op.", "sphere:gemeenschappelijk", "steungezinnen"),
    ("Ontmoeting staat centraal in de week tegen eenzaamheid.", "sphere:gemeenschappelijk", "ontmoeting"),
    ("Het initiatief van bewoners krijgt de ruimte.", "sphere:gemeenschappelijk", "initiatief van bewoners"),
    ("Sleutelpersonen brengen signalen uit de wijk in.", "sphere:gemeenschappelijk", "sleutelpersonen"),
    ("Ouderen worden gewezen op het sport- en beweegaanbod.", "sphere:gemeenschappelijk", "beweegaanbod"),
    ("Wijkinitiatieven krijgen een eigen budget.", "sphere:gemeenschappelijk", "wijkinitiatieven"),
    ("Actieve bewonersgroepen beheren het park.", "sphere:gemeenschappelijk", "bewonersgroepen"),
    ("De buurtconciërge houdt een oogje in het zeil.", "sphere:gemeenschappelijk", "buurtconciërge"),
    ("Het burennetwerk regelt de boodschappen.", "sphere:gemeenschappelijk", "burennetwerk"),
    (
        "Buurtbemiddeling helpt twee gezinnen hun ruzie over de schutting bij te leggen.",
        "sphere:gemeenschappelijk",
        "buurtbemiddeling",
    ),
    ("Twee buurtbemiddelaars gaan met beide partijen om tafel.", "sphere:gemeenschappelijk", "buurtbemiddelaars"),
    ("De dorpsraad organiseert elk voorjaar een opruimdag.", "sphere:gemeenschappelijk", "dorpsraad"),
    ("Wijkraden en dorpsraden kennen hun buurt het best.", "sphere:gemeenschappelijk", "dorpsraden"),
    ("Dorpsbelangen houdt de ijsbaan open.", "sphere:gemeenschappelijk", "dorpsbelangen"),
    (
        "Tijdens de maatschappelijke diensttijd helpen jongeren in een zorginstelling.",
        "sphere:gemeenschappelijk",
        "maatschappelijke diensttijd",
    ),
    (
        "Na de overstroming bleek de sociale veerkracht van het dorp groot.",
        "sphere:gemeenschappelijk",
        "sociale veerkracht",
    ),
    # institutioneel: places and paid, non-indicated support
    ("Samenlevingsopbouw maakt de wijk sterker.", "sphere:institutioneel", "samenlevingsopbouw"),
    ("Welzijnsinitiatieven nemen vragen over van de huisarts.", "sphere:institutioneel", "welzijnsinitiatieven"),
    ("Het jeugdwelzijnswerk krijgt meer uren.", "sphere:institutioneel", "jeugdwelzijnswerk"),
    ("Sociaalwerkorganisaties zijn hierop aanspreekbaar.", "sphere:institutioneel", "sociaalwerkorganisaties"),
    ("Sociaal professionals trekken op met bewoners.", "sphere:institutioneel", "sociaal professionals"),
    ("De sportinfrastructuur draagt bij aan een gezonde leefstijl.", "sphere:institutioneel", "sportinfrastructuur"),
    ("Er zijn voorzieningen op loopafstand voor ontmoeting.", "sphere:institutioneel", "voor ontmoeting"),
    ("De jongereninloop is drie avonden per week open.", "sphere:institutioneel", "jongereninloop"),
    ("Jongereninlopen bereiken kwetsbare jongeren.", "sphere:institutioneel", "jongereninlopen"),
    ("Het straathoekwerk zoekt jongeren op straat op.", "sphere:institutioneel", "straathoekwerk"),
    ("Het wijkontmoetingscentrum is dagelijks open.", "sphere:institutioneel", "wijkontmoetingscentrum"),
    ("Welzijnsmedewerkers begeleiden patiënten naar een activiteit.", "sphere:institutioneel", "welzijnsmedewerkers"),
    ("De sociaal makelaar legt verbindingen.", "sphere:institutioneel", "sociaal makelaar"),
    ("De dorpsondersteuner kent iedereen.", "sphere:institutioneel", "dorpsondersteuner"),
    ("Het ouderenwerk legt huisbezoeken af.", "sphere:institutioneel", "ouderenwerk"),
    (
        "Wijkgerichte preventie en ondersteuning voorkomen zware zorg.",
        "sphere:institutioneel",
        "wijkgerichte preventie",
    ),
    ("De ouderenadviseur bezoekt alle 75-plussers.", "sphere:institutioneel", "ouderenadviseur"),
    ("Het taalpunt in de bibliotheek helpt bij het invullen van formulieren.", "sphere:institutioneel", "taalpunt"),
    ("Taalhuizen bereiken laaggeletterden die zelf niet om hulp vragen.", "sphere:institutioneel", "taalhuizen"),
    # core: the concept itself and its synonyms
    ("Het voorveld vangt lichte vragen op.", "core", "voorveld"),
    ("Zorgzame buurten vangen veel vragen op.", "core", "zorgzame buurten"),
    ("Gemeenten investeren in de sociale infrastructuur van hun wijken.", "core", "sociale infrastructuur"),
]


@pytest.mark.parametrize(("text", "label", "words"), ADMITTED)
def test_a_name_of_the_sociale_basis_passes_rule_one(rules, text, label, words):
    found = basis_cues(rules, text)
    assert any(lab == label and words in matched for lab, matched in found), found
    assert passes_rule_one(rules, text)


REFUSED = [
    # omgeving as the physical surroundings
    ("De geluidsoverlast in de directe omgeving van het bedrijventerrein neemt toe.", "omgeving"),
    ("De crisis grijpt snel om zich heen.", "om zich heen"),
    # the normal life after a crisis
    ("Na de lockdown gaan we terug naar het normale leven.", "normale leven"),
    # ontmoeting with an office holder, not people meeting each other
    ("De staatssecretaris had een ontmoeting met de burgemeester van Rotterdam.", "ontmoeting"),
    ("Er volgt een ontmoeting met de minister over de begroting.", "ontmoeting"),
    # youth health care calls itself a basisvoorziening; it is professional care
    ("De jeugdgezondheidszorg is een basisvoorziening voor alle kinderen.", "basisvoorziening"),
    ("Als basisvoorziening bereikt de JGZ vrijwel ieder kind.", "basisvoorziening"),
    # vrijwillig as not compulsory, vereniging of owners
    ("De reclassering biedt vrijwillige nazorg aan ex-gedetineerden.", "vrijwillige"),
    ("Vereniging Eigen Huis adviseert huiseigenaren over isolatie.", "vereniging"),
    # one resident on their own, everyone, or professionals among themselves
    ("De inwoner neemt zelf contact op met de huisartsenpraktijk.", "zelf"),
    ("Gelijkwaardigheid en wederkerigheid tussen huisarts en gemeente zijn belangrijk.", "wederkerigheid"),
    ("Maatschappelijke organisaties en bedrijven tekenen het convenant.", "maatschappelijke organisaties"),
    ("De buurtteams voeren de keukentafelgesprekken voor de Wmo.", "buurtteams"),
    ("Het wijkgerichte werken van de politie wordt uitgebreid.", "wijkgerichte"),
    ("Het maatschappelijk werk van het ziekenhuis begeleidt de patiënt.", "maatschappelijk werk"),
    ("Het netwerk van de GGD deelt de gegevens.", "netwerk"),
    # an abbreviation with another sense in care, and the resilience of one person
    ("Het MDT bespreekt de behandeling van de patiënt.", "mdt"),
    ("Zijn mentale veerkracht is na de revalidatie hersteld.", "veerkracht"),
    # words that contain a lexicon word without being one
    ("De leerlingen moeten hun achterstanden snel inlopen.", "inlopen"),
    ("De gemeenschappelijke regeling stelt de begroting vast.", "gemeenschappelijke"),
    ("De werkgroep stelt een nieuwe leidraad op.", "werkgroep"),
]


@pytest.mark.parametrize(("text", "word"), REFUSED)
def test_a_false_friend_does_not_pass_rule_one(rules, text, word):
    found = basis_cues(rules, text)
    assert not any(word in matched for _, matched in found), found
    assert not passes_rule_one(rules, text)
