"""Cleaning: the seeds lose their boilerplate and keep every real paragraph; language identification."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.clean import _clearly_english, clean_article, clean_text, detect_language
from eventwire.ingest import read_inputs
from eventwire.records import Article, RawArticle

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

SEED_BOILERPLATE = (
    "Advertisement",
    "READ",
    "Turkey: Beyond Erdogan",
    "Leave a Reply",
    "Your email address",
    "Required fields are marked",
    "You have 61.2% of this article left",
    "for subscribers only",
    "Source link -94",
    "source site-45",
    "To see in video",
    "Longest battle: What are the next steps",
    "Xinjiang for export",
    "And also: The attacks in the Belgorod region",
    "See it on five maps",
    "Search ptic",
)

FRENCH = (
    "Le président de la République a reçu mardi à l'Élysée le chancelier allemand pour évoquer "
    "la guerre en Ukraine et l'avenir de la défense européenne."
)
SPANISH = (
    "El presidente del Gobierno se reunió el martes en Madrid con el primer ministro de Marruecos "
    "para firmar un acuerdo sobre inmigración y comercio entre los dos países."
)


def clean_path(path: Path) -> tuple[RawArticle, Article]:
    (raw,) = [item for item in read_inputs([str(path)]) if isinstance(item, RawArticle)]
    return raw, clean_article(raw)


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, tuple[RawArticle, Article]]:
    """The five seed articles, read and cleaned, by their number ("000" ... "004")."""
    seeds = {path.name[:3]: clean_path(path) for path in sorted(seeds_dir.glob("*.txt"))}
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]
    return seeds


def test_no_seed_boilerplate_survives_cleaning(seeds: dict[str, tuple[RawArticle, Article]]) -> None:
    for _raw, article in seeds.values():
        for boilerplate in SEED_BOILERPLATE:
            assert boilerplate not in article.text, (article.path, boilerplate)


def test_every_other_seed_paragraph_is_kept_verbatim(seeds: dict[str, tuple[RawArticle, Article]]) -> None:
    for key in ("000", "002", "003", "004"):
        raw, article = seeds[key]
        removed = [line.text for line in article.removed]
        kept = article.text.split("\n\n")
        source_lines = [" ".join(line.split()) for line in raw.text.split("\n") if line.strip()]
        assert [line for line in source_lines if line not in removed] == kept, key


def test_removed_lines_are_recorded_in_order_with_their_rules(
    seeds: dict[str, tuple[RawArticle, Article]],
) -> None:
    rules = {key: [(r.rule, r.text[:24]) for r in article.removed] for key, (_, article) in seeds.items()}
    assert rules["002"] == [
        ("repeated-title", "Russia and China are fur"),
        ("paywall", "You have 61.2% of this a"),
        ("read-more", "READ Turkey: Beyond Erdo"),
        ("comment-form", "Leave a Reply"),
        ("comment-form", "Your email address will "),
    ]
    assert rules["003"] == [("source-trailer", "Source link -94")]
    assert rules["004"] == [("video-prompt", "To see in video"), ("source-trailer", "source site-45")]
    assert [rule for rule, _ in rules["001"]] == [
        "teaser-headline", "ad-teaser", "inline-teaser", "inline-teaser", "quoted-teaser",
    ]
    assert rules["000"] == []


def test_glued_ad_and_teaser_are_cut_out_of_the_paragraph(
    seeds: dict[str, tuple[RawArticle, Article]],
) -> None:
    _, article = seeds["001"]
    assert "\n\nThe Chinese leader cited the United Nations (UN) and the Shanghai" in article.text
    assert "Tajikistan and Kazakhstan. It was on the sidelines of last September’s" in article.text
    assert article.removed[1].text == (
        "Advertisement Xinjiang for export: discover the province that opposed China to the West"
    )


def test_headings_stay_as_their_own_paragraphs(seeds: dict[str, tuple[RawArticle, Article]]) -> None:
    paragraphs = seeds["000"][1].text.split("\n\n")
    assert "Trade relations" in paragraphs
    assert paragraphs[paragraphs.index("Trade relations") + 1].startswith("Trade relations between the two")
    assert "hopes" in seeds["003"][1].text.split("\n\n")


def test_cleaned_text_is_tidy_paragraphs(seeds: dict[str, tuple[RawArticle, Article]]) -> None:
    for _raw, article in seeds.values():
        assert "\n\n\n" not in article.text and "  " not in article.text
        assert article.text == article.text.strip()
        assert all(paragraph.strip() for paragraph in article.text.split("\n\n"))
        assert article.language == "en"


def test_example_boilerplate_is_removed_and_news_kept() -> None:
    _, eu = clean_path(EXAMPLES / "2025-06-18_eu-sanctions-kallas-kyiv.txt")
    assert [line.rule for line in eu.removed] == [
        "photo-credit", "ad-marker", "read-more", "share-prompt", "source-trailer",
    ]
    assert eu.text.startswith("European Union foreign ministers on Tuesday adopted a new package")
    _, ankara = clean_path(EXAMPLES / "2025-11-11_turkey-iran-ankara-talks.txt")
    assert ankara.removed[0].rule == "repeated-title"
    assert ankara.text.startswith("Turkish Foreign Minister Hakan Fidan hosted his Iranian counterpart")
    assert "Leave a Reply" not in ankara.text and "Related:" not in ankara.text


def test_real_news_lines_that_resemble_boilerplate_are_kept() -> None:
    lines = [
        "Share prices in Tokyo fell 2 percent on Monday after the announcement.",
        "More than 200 people were killed in the attack, officials said.",
        "Related talks will take place in Geneva next week, the ministry said.",
        "Photo opportunities were limited during the visit.",
        "Subscribers to the treaty include 34 countries.",
        "Read the statement in full, the spokesman told reporters on Friday.",
        "Advertising revenue at state media fell sharply, the regulator said.",
        "The agency said so on Monday. Advertisement revenues fell 4 percent last year.",
    ]
    text, removed = clean_text("\n\n".join(lines))
    assert removed == [] and text.split("\n\n") == lines


def test_inline_teaser_in_title_case_is_left_alone() -> None:
    paragraph = (
        "The minister spoke on Monday. And also: Russia And China Sign New Energy Deal The talks will go on."
    )
    text, removed = clean_text(paragraph)
    assert removed == [] and text == paragraph


@pytest.mark.parametrize(
    ("teaser", "rule"),
    [
        ("‘Total war’: Russia celebrates fall of the city but Kyiv says fighting continues", "quoted-teaser"),
        ('"Not one step back": Kenya sends more police to Haiti as gangs advance…', "quoted-teaser"),
        ("See it on three maps: How far have the rebels advanced since January?", "inline-teaser"),
        ("READ MORE: Moscow and Beijing sign energy deal after long talks", "inline-teaser"),
        ("Also read | Iran says nuclear talks with the West could resume soon…", "inline-teaser"),
        ("Related: Kenya to deploy police to Haiti within weeks, Ruto says", "inline-teaser"),
        ("WATCH: Zelensky visits troops near the front in rare trip", "inline-teaser"),
        ("Click here to read the full statement.", "click-prompt"),
    ],
)
def test_teaser_glued_between_sentences_is_cut_out(teaser: str, rule: str) -> None:
    before = "Trade between the two countries grew 40 percent in the first four months, customs data showed."
    after = "Fuel purchases have seen significant growth, the ministry said on Tuesday."
    text, removed = clean_text(f"{before} {teaser} {after}")
    assert text == f"{before} {after}"
    assert [(line.rule, line.text) for line in removed] == [(rule, teaser)]


def test_teaser_opening_a_paragraph_is_cut_out() -> None:
    paragraph = "‘Search party’: Police widen hunt for hikers as snow falls Rescue teams said the weather had cleared."
    text, removed = clean_text(paragraph)
    assert text == "Rescue teams said the weather had cleared."
    assert [(line.rule, line.text) for line in removed] == [
        ("quoted-teaser", "‘Search party’: Police widen hunt for hikers as snow falls"),
    ]


def test_teaser_whose_end_cannot_be_told_is_left_alone() -> None:
    """A headline ending in a name before a sentence opening with a name: no safe cut, nothing removed."""
    paragraph = "Talks ended. ‘Search party’: Police widen hunt for hikers in the Alps Officials said it had cleared."
    assert clean_text(paragraph) == (paragraph, [])


def test_real_sentences_with_quotes_and_colons_are_kept() -> None:
    lines = [
        "The minister said: 'We will not retreat.'",
        "Xi told Putin: the talks were useful.",
        "The talks ended on Monday. ‘Never again’: The minister repeated the phrase three times at the rally.",
        "“We are ready”: the general repeated the phrase to reporters in Kyiv.",
        "The ministry said on Monday. 'Very clear': That was how one diplomat described the message.",
        "Officials met in Geneva. Related talks: the agenda was not published.",
        "Police said people should click here and there on the map to find shelters.",
    ]
    text, removed = clean_text("\n\n".join(lines))
    assert removed == [] and text.split("\n\n") == lines


def test_hard_wrapped_paragraphs_are_rejoined_and_punctuation_lines_dropped() -> None:
    wrapped = (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy\n"
        "Ahmed in Addis Ababa on Thursday and the two leaders signed an\n"
        "agreement on electricity exports.\n\n* * *\n\nShort line.\nAnother short line."
    )
    text, removed = clean_text(wrapped)
    assert text.split("\n\n") == [
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Addis Ababa on Thursday "
        "and the two leaders signed an agreement on electricity exports.",
        "Short line.",
        "Another short line.",
    ]
    assert [(line.rule, line.text) for line in removed] == [("punctuation-only", "* * *")]


def test_language_is_detected_deterministically() -> None:
    english = "Chinese President Xi Jinping met Russian Prime Minister Mikhail Mishustin in Beijing."
    assert detect_language(english) == "en"
    assert [detect_language(FRENCH) for _ in range(3)] == ["fr", "fr", "fr"]
    assert detect_language(SPANISH) == "es"
    assert detect_language("Hi there") is None
    assert detect_language("") is None


def test_plain_english_skips_the_ngram_detector_but_other_languages_do_not() -> None:
    english = (
        "The minister said on Tuesday that the government would send more of its troops to the border "
        "after the attacks, and that it was ready to talk with the rebels if they laid down their arms."
    )
    dutch = (
        "De minister van buitenlandse zaken heeft op dinsdag in Den Haag met zijn collega gesproken over "
        "de oorlog in Oekraïne en de toekomst van de Europese defensie en de handel."
    )
    german = (
        "Der Präsident hat am Dienstag in Berlin den französischen Kanzler getroffen, um über den Krieg in "
        "der Ukraine und die Zukunft der europäischen Verteidigung zu sprechen."
    )
    assert _clearly_english(english) and detect_language(english) == "en"
    assert not _clearly_english(FRENCH) and not _clearly_english(SPANISH)
    assert not _clearly_english(dutch) and detect_language(dutch) == "nl"
    assert not _clearly_english(german) and detect_language(german) == "de"


def test_non_english_article_is_marked_with_its_language() -> None:
    text = FRENCH + "\n\n" + FRENCH.replace("mardi", "mercredi")
    raw = RawArticle(article_id="x", text=text, title="Titre")
    article = clean_article(raw)
    assert article.language == "fr" and not article.is_english


def test_a_table_of_figures_is_not_taken_for_swedish() -> None:
    """Wire tables of abbreviations fool character n-grams; without the language's little words, no language."""
    table = (
        "LOUISVILLE, Ky., Feb 26 - Shr one dlr vs 73 cts\n\nNet 12.6 mln vs 15.8 mln\n\n"
        "Revs 337.3 mln vs 315.2 mln\n\nNine mths\n\nShr 3.07 dlrs vs 3.08 dlrs\n\nNet 66 mln vs 66.2 mln"
    )
    assert detect_language(table) is None
    swedish = "Regeringen meddelade på onsdagen att den kommer att höja anslagen till försvaret och att det sker i år."
    assert detect_language(swedish) == "sv"
