"""Actor knowledge base and resolution: real artifact, real spaCy parses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventwire.actors.kb import default_artifact_path, load_kb, normalise, translit_key
from eventwire.actors.resolve import ActorResolver
from eventwire.evaluation.actors import default_dev_path, evaluate_actor_resolution
from eventwire.nlp import get_nlp

MAY_2023 = dt.date(2023, 5, 24)


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def resolve(resolver: ActorResolver, text: str, date: dt.date | None = MAY_2023) -> tuple:
    ref = resolver.resolve_text(text, date)
    return ref.name, ref.country, ref.sector


# ---------------------------------------------------------------- knowledge base


def test_artifact_is_small_documented_and_cached() -> None:
    path = default_artifact_path()
    assert path.stat().st_size < 5_000_000
    kb = load_kb()
    assert kb is load_kb()
    licences = {source["name"]: source["licence"] for source in kb.meta["sources"]}
    assert licences["PETRARCH2/Phoenix actor and agent dictionaries"] == "MIT"
    assert kb.demonym_index["emirati"] == "ARE"
    assert kb.agent_index["soldiers"] == "MIL"
    assert kb.org("NATO").members and "FIN" in kb.org("NATO").members


def test_normalisation_and_transliteration_keys() -> None:
    assert normalise("the U.S.") == "us"
    assert normalise("Ukraine’s") == "ukraine"
    assert normalise("J. D. Vance") == normalise("J.D. Vance") == "jd vance"
    assert translit_key("Michoustine") == translit_key("Mishustin")
    assert translit_key("Volodymyr Zelenskyy") == translit_key("Volodimir Zelensky")


# ---------------------------------------------------------------- people


def test_transliterated_names_match_known_people(resolver: ActorResolver) -> None:
    assert resolve(resolver, "Michoustin") == ("Mikhail Mishustin", "RUS", "GOV")
    assert resolve(resolver, "Mikhail Michoustine") == ("Mikhail Mishustin", "RUS", "GOV")
    assert resolve(resolver, "Dimitro Kuleba") == ("Dmytro Kuleba", "UKR", "GOV")
    assert resolve(resolver, "Volodimir Zelensky") == ("Volodymyr Zelenskyy", "UKR", "GOV")


@pytest.mark.parametrize("name", ["Mikhail Mishkin", "Dmitri Kulikov", "Jonas Wellbrook", "Wellbrook",
                                  "Rakhine rebels", "Valentin Putinsky"])
def test_unrelated_names_do_not_match(resolver: ActorResolver, name: str) -> None:
    ref = resolver.resolve_text(name, MAY_2023)
    assert ref.actor_id is None


def test_near_miss_surname_does_not_match_leader(resolver: ActorResolver) -> None:
    assert resolver.resolve_text("Mishkin", MAY_2023).name != "Mikhail Mishustin"
    assert resolver.resolve_text("Kulebin", MAY_2023).name != "Dmytro Kuleba"


def test_roles_are_date_bounded(resolver: ActorResolver) -> None:
    assert resolve(resolver, "Li Qiang") == ("Li Qiang", "CHN", "GOV")
    assert resolve(resolver, "Angela Merkel", dt.date(2019, 1, 10)) == ("Angela Merkel", "DEU", "GOV")
    assert resolve(resolver, "Angela Merkel", dt.date(2022, 1, 10)) == ("Angela Merkel", "DEU", "ELI")
    assert resolve(resolver, "Dmitry Medvedev", dt.date(2022, 3, 1)) == ("Dmitry Medvedev", "RUS", "GOV")
    assert resolve(resolver, "Trump", dt.date(2022, 6, 1)) == ("Donald Trump", "USA", "ELI")
    assert resolve(resolver, "Trump", dt.date(2025, 6, 1)) == ("Donald Trump", "USA", "GOV")
    assert resolve(resolver, "former President Nursultan Nazarbayev")[1:] == ("KAZ", "ELI")


def test_international_officials_have_no_country(resolver: ActorResolver) -> None:
    assert resolve(resolver, "UN Secretary-General") == ("António Guterres", None, "IGO")
    assert resolve(resolver, "NATO chief", dt.date(2023, 5, 24))[0] == "Jens Stoltenberg"
    assert resolve(resolver, "NATO chief", dt.date(2025, 3, 1))[0] == "Mark Rutte"


# ---------------------------------------------------------------- titles


def test_title_resolves_to_holder_at_date(resolver: ActorResolver) -> None:
    assert resolve(resolver, "the Russian prime minister") == ("Mikhail Mishustin", "RUS", "GOV")
    assert resolve(resolver, "Russian Prime Minister", dt.date(2015, 6, 1))[0] == "Dmitry Medvedev"
    assert resolve(resolver, "the Chinese president")[0] == "Xi Jinping"
    assert resolve(resolver, "Ukraine's foreign minister", dt.date(2023, 5, 24))[0] == "Dmytro Kuleba"
    assert resolve(resolver, "Ukraine's foreign minister", dt.date(2025, 1, 1))[0] == "Andrii Sybiha"
    assert resolve(resolver, "the British foreign secretary", dt.date(2024, 1, 15))[0] == "David Cameron"
    assert resolve(resolver, "the Chinese leader")[0] == "Xi Jinping"


def test_title_without_date_gives_country_and_sector_only(resolver: ActorResolver) -> None:
    assert resolve(resolver, "the Russian prime minister", None) == (None, "RUS", "GOV")
    assert resolve(resolver, "Defense Minister", None) == (None, None, "GOV")


# ---------------------------------------------------------------- places, groups, organisations


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("the Kremlin", "RUS", "GOV"), ("Kremlin", "RUS", "GOV"), ("Beijing", "CHN", "GOV"),
    ("Washington", "USA", "GOV"), ("Kyiv", "UKR", "GOV"), ("the Pentagon", "USA", "MIL"),
    ("Downing Street", "GBR", "GOV"),
])
def test_metonyms_stand_for_governments(
    resolver: ActorResolver, text: str, country: str, sector: str
) -> None:
    assert resolve(resolver, text)[1:] == (country, sector)


@pytest.mark.parametrize(("text", "country", "sector"), [
    ("Chinese officials", "CHN", "GOV"), ("Russian troops", "RUS", "MIL"), ("Iraqi troops", "IRQ", "MIL"),
    ("Ukrainian army", "UKR", "MIL"), ("police", None, "COP"), ("rebels", None, "REB"),
    ("protesters", None, "OPP"), ("a Swiss court", "CHE", "JUD"), ("a US destroyer", "USA", "MIL"),
    ("Chinese Foreign Ministry", "CHN", "GOV"), ("Kyiv police", "UKR", "COP"), ("soldiers", None, "MIL"),
    ("Putin's troops", "RUS", "MIL"),
])
def test_groups_take_country_and_agent_sector(resolver: ActorResolver, text: str, country: str | None,
                                              sector: str) -> None:
    assert resolve(resolver, text)[1:] == (country, sector)


def test_demonyms_and_countries(resolver: ActorResolver) -> None:
    assert resolve(resolver, "four Saudi men")[1] == "SAU"
    assert resolve(resolver, "Emiratis")[1] == "ARE"
    assert resolve(resolver, "Great Britain")[1] == "GBR"
    assert resolve(resolver, "People's Republic of China")[1] == "CHN"


@pytest.mark.parametrize(
    "text", ["the United Nations", "UN", "NATO", "the Shanghai Cooperation Organization", "WHO"]
)
def test_international_organisations(resolver: ActorResolver, text: str) -> None:
    ref = resolver.resolve_text(text, MAY_2023)
    assert (ref.country, ref.sector, ref.kind) == (None, "IGO", "organisation")
    assert ref.actor_id.startswith("org:")


@pytest.mark.parametrize(("text", "date", "code"), [
    ("the United Nations", MAY_2023, "IGOUNO"), ("NATO", MAY_2023, "IGONAT"),
    ("the African Union", MAY_2023, "IGOAFRAU"), ("G7", MAY_2023, "IGOG7"),
    ("UNHCR", MAY_2023, "IGOUNOREFHCR"),  # Phoenix's code for the UN refugee agency
    ("UN Secretary-General", MAY_2023, "IGOUNO"), ("Jens Stoltenberg", MAY_2023, "IGONAT"),
    ("UN peacekeepers", MAY_2023, "IGOUNOMIL"),
    ("Russian troops", MAY_2023, "RUSMIL"), ("US President Joe Biden", dt.date(2022, 1, 1), "USAGOV"),
    ("Syrian rebels", MAY_2023, "SYRREB"), ("Indian police", MAY_2023, "INDCOP"),
    ("former President Nursultan Nazarbayev", MAY_2023, "KAZELI"), ("Russia", MAY_2023, "RUS"),
    ("protesters", MAY_2023, "OPP"), ("rebels", MAY_2023, "REB"), ("Amnesty International", MAY_2023, "NGO"),
])
def test_actor_codes(resolver: ActorResolver, text: str, date: dt.date, code: str) -> None:
    assert resolver.resolve_text(text, date).code == code


def test_actor_code_sits_beside_country_and_sector(resolver: ActorResolver) -> None:
    eu = resolver.resolve_text("the European Union", MAY_2023)
    assert eu.code.startswith("IGO") and len(eu.code) > 3
    assert (eu.country, eu.sector) == (None, "IGO")
    biden = resolver.resolve_text("US President Joe Biden", dt.date(2022, 1, 1))
    assert biden.to_json() == {"text": "US President Joe Biden", "name": "Joe Biden", "country": "USA",
                               "sector": "GOV", "code": "USAGOV"}
    assert resolver.resolve_text("the weather", MAY_2023).code is None


def test_document_merges_recode(resolver: ActorResolver, nlp) -> None:
    """An unknown name taking the country of its appositive title is coded with that country."""
    doc = nlp("Olga Brannigan, a Kenyan police commander, said the protest was peaceful.")
    ref = resolver.document(MAY_2023).resolve_span(_span(doc, "Olga Brannigan"))
    assert (ref.name, ref.country, ref.code) == ("Olga Brannigan", "KEN", "KEN" + ref.sector)


def test_casing_guards_common_words(resolver: ActorResolver) -> None:
    assert resolver.resolve_text("who").actor_id is None
    assert resolver.resolve_text("US").country == "USA"
    assert resolver.resolve_text("seoul metropolitan police").sector == "COP"


def test_unknown_person_keeps_text_and_takes_country_from_span(resolver: ActorResolver) -> None:
    ref = resolver.resolve_text("Chinese activist Wen Tiemo", MAY_2023)
    assert (ref.text, ref.name, ref.country, ref.actor_id) == (
        "Chinese activist Wen Tiemo",
        "Wen Tiemo",
        "CHN",
        None,
    )


def test_resolve_location(resolver: ActorResolver) -> None:
    beijing = resolver.resolve_location("Beijing")
    assert (beijing.text, beijing.country) == ("Beijing", "CHN")
    assert beijing.lat == pytest.approx(39.9, abs=0.2) and beijing.lon == pytest.approx(116.4, abs=0.2)
    assert resolver.resolve_location("Kiev").text == "Kyiv"
    assert resolver.resolve_location("Ukraine").country == "UKR"
    assert resolver.resolve_location("Atlantis").country == "ZAF"  # a town of the GeoNames gazetteer
    assert resolver.resolve_location("Qwertzuiop") is None


# ---------------------------------------------------------------- documents (real parses)


def _span(doc, text: str, occurrence: int = 0):
    starts = [i for i in range(len(doc)) if doc[i:i + len(text.split())].text == text]
    start = starts[occurrence]
    return doc[start:start + len(text.split())]


def test_surname_after_full_name_in_same_document(resolver: ActorResolver, nlp) -> None:
    doc = nlp("Chinese Premier Li Qiang met Russian Prime Minister Mikhail Mishustin in Beijing. "
              "Li said trade was growing, and Mishustin agreed. Xi Jinping joined them later; Xi spoke last.")
    actors = resolver.document(MAY_2023)
    first = actors.resolve_span(_span(doc, "Chinese Premier Li Qiang"))
    assert (first.name, first.country, first.sector) == ("Li Qiang", "CHN", "GOV")
    assert (
        actors.resolve_span(_span(doc, "Russian Prime Minister Mikhail Mishustin")).name
        == "Mikhail Mishustin"
    )
    assert actors.resolve_span(_span(doc, "Beijing")).country == "CHN"
    li = actors.resolve_span(_span(doc, "Li"))
    assert (li.text, li.name, li.actor_id) == ("Li", "Li Qiang", "person:li-qiang")
    assert actors.resolve_span(_span(doc, "Mishustin", 1)).name == "Mikhail Mishustin"
    actors.resolve_span(_span(doc, "Xi Jinping"))
    assert actors.resolve_span(_span(doc, "Xi", 1)).name == "Xi Jinping"
    assert resolver.document(MAY_2023).resolve_span(_span(doc, "Li")).name != "Li Qiang"


def test_apposition_names_the_titled_person(resolver: ActorResolver, nlp) -> None:
    doc = nlp("The Ukrainian President, Volodimir Zelensky, travelled to Hiroshima.")
    ref = resolver.document(MAY_2023).resolve_span(_span(doc, "The Ukrainian President"))
    assert (ref.text, ref.name, ref.country, ref.sector) == ("The Ukrainian President", "Volodymyr Zelenskyy",
                                                             "UKR", "GOV")


def test_document_title_uses_article_date(resolver: ActorResolver, nlp) -> None:
    doc = nlp("The Russian prime minister arrived in Shanghai.")
    span = _span(doc, "The Russian prime minister")
    assert resolver.document(MAY_2023).resolve_span(span).name == "Mikhail Mishustin"
    assert resolver.document(dt.date(2016, 5, 1)).resolve_span(span).name == "Dmitry Medvedev"
    assert resolver.document(None).resolve_span(span).name is None


# ---------------------------------------------------------------- evaluation


@pytest.mark.skipif(not default_dev_path().exists(), reason="shared reference data not available")
def test_evaluation_beats_majority_baselines() -> None:
    report = evaluate_actor_resolution(Path(default_dev_path()))
    assert report["n"] > 100
    for part in ("country", "sector", "overall"):
        assert report[part]["accuracy"] > report[part]["baseline"] + 0.2


@pytest.mark.parametrize(("text", "code"), [
    ("the Drug Enforcement Administration", "USACOP"), ("ATF", "USACOP"), ("U.S. Marshals", "USACOP"),
    ("Customs and Border Protection", "USACOP"), ("CBP", "USACOP"), ("the Border Patrol", "USACOP"),
    ("ICE", "USACOP"), ("the Justice Department", "USAGOV"), ("the U.S. Coast Guard", "USAMIL"),
    ("the Congress party", "INDPTY"), ("CPI(M)", "INDPTY"), ("Trinamool Congress", "INDPTY"),
    ("the VHP", "INDREL"), ("the Rashtriya Swayamsevak Sangh", "INDREL"), ("NHRC", "INDGOV"),
    ("the CBI", "INDCOP"), ("Lashkar-e-Taiba", "PAKREB"), ("ULFA", "INDREB"),
    ("the ELN", "COLREB"), ("the Gulf Clan", "COLCRM"),
])
def test_national_agencies_parties_and_armed_groups(resolver: ActorResolver, text: str, code: str) -> None:
    """The curated sets: US federal law enforcement, India's parties and bodies, Indian and Colombian armed groups."""
    assert resolver.resolve_text(text, MAY_2023).code == code


def test_lower_case_acronyms_of_bodies_resolve_in_lower_case_text_but_not_common_words(
    resolver: ActorResolver, nlp
) -> None:
    doc = nlp("the vhp and the rss called for calm, while nhrc officials visited the camps.")
    document = resolver.document(MAY_2023)
    assert document.resolve_span(_span(doc, "vhp")).country == "IND"
    assert document.resolve_span(_span(doc, "nhrc officials")).country == "IND"
    assert resolver.resolve_text("ice").actor_id is None  # the common word, not the agency


def test_the_european_community_is_the_international_body_before_the_union(resolver: ActorResolver) -> None:
    ref = resolver.resolve_text("European Community foreign ministers", dt.date(1991, 5, 1))
    assert (ref.country, ref.sector, ref.code) == (None, "IGO", "IGOEEC")


def test_an_outgoing_office_holder_still_holds_the_office(resolver: ActorResolver) -> None:
    assert resolve(resolver, "outgoing President Joe Biden", dt.date(2024, 12, 1)) == ("Joe Biden", "USA", "GOV")
    assert resolve(resolver, "former President Joe Biden", dt.date(2025, 6, 1))[2] == "ELI"


@pytest.mark.parametrize(("text", "country"), [
    ("Igbo leaders", "NGA"), ("Oromo protesters", "ETH"), ("Rohingya refugees", "MMR"),
    ("Chechen fighters", "RUS"), ("Uyghur activists", "CHN"), ("Xhosa chiefs", "ZAF"),
])
def test_peoples_of_one_country_give_its_country(resolver: ActorResolver, text: str, country: str) -> None:
    assert resolve(resolver, text)[1] == country


@pytest.mark.parametrize(("text", "code"), [
    ("the Liberation Tigers of Tamil Eelam", "LKAREB"), ("the LTTE", "LKAREB"), ("MILF", "PHLREB"),
    ("the Lord's Resistance Army", "UGAREB"), ("the Justice and Equality Movement", "SDNREB"),
])
def test_armed_groups_named_without_a_country_by_phoenix_have_one(resolver: ActorResolver, text: str,
                                                                 code: str) -> None:
    assert resolver.resolve_text(text, MAY_2023).code == code


@pytest.mark.parametrize(("text", "date", "name"), [
    ("the Zambian president", dt.date(2023, 1, 1), "Hakainde Hichilema"),
    ("President Joseph Kabila", dt.date(2015, 1, 1), "Joseph Kabila"),
    ("Myanmar's acting president Myint Swe", dt.date(2022, 1, 1), "Myint Swe"),
    ("Nayib Bukele", dt.date(2024, 1, 1), "Nayib Bukele"),
])
def test_heads_of_state_the_phoenix_dictionaries_lack(resolver: ActorResolver, text: str, date: dt.date,
                                                      name: str) -> None:
    ref = resolver.resolve_text(text, date)
    assert (ref.name, ref.sector) == (name, "GOV")
