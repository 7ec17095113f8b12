"""Element suggestions: only above the measured threshold, ranked, each with the words that give it."""

from api.domain.text.mandate import SUGGESTION_THRESHOLD, Suggester, Suggestion
from bench.element_suggestions import cases, measure

ELEMENTS = [
    ("c", "需要解决移民现象的驱动因素 Addressing the drivers of migration"),
    ("k", "打击人口贩运、偷运移民和当代形式奴役 Trafficking, smuggling and contemporary slavery"),
    ("n", "解决危机中国家境内移民的处境 Migrants in countries in crisis"),
    ("v", "国际移民分类数据 Disaggregated migration data"),
]


def test_a_suggestion_says_which_words_of_the_paragraph_give_it() -> None:
    suggester = Suggester(ELEMENTS)
    assert suggester.suggest("Collect and utilize accurate and disaggregated data.") == [
        Suggestion("v", 0.3041, ("disaggregated", "data"))
    ]
    chinese = suggester.suggest("各国将改进国际移民分类数据的收集。")
    assert [(s.code, s.reasons) for s in chinese] == [("v", ("国际移民分类数据",))]


def test_below_the_threshold_nothing_is_suggested_rather_than_five_guesses() -> None:
    paragraph = "Save lives and establish coordinated international efforts on missing migrants."
    # Within its text, where most paragraphs speak of migrants, "migrants" alone says little.
    text = [paragraph, "Protect migrants.", "Migrants have rights.", "Data on migrants.", "Return."]
    assert Suggester(ELEMENTS, text).suggest(paragraph) == []
    everything = Suggester(ELEMENTS, text).suggest(paragraph, threshold=0.0)
    assert 0 < len(everything) <= 4 and all(s.score < SUGGESTION_THRESHOLD for s in everything)


def test_the_measured_precision_at_the_threshold_holds() -> None:
    # bench/element_suggestions.py prints the whole table; docs/ENGINE.md quotes it.
    assert len(cases()) == 27
    at_threshold = measure(SUGGESTION_THRESHOLD)
    assert (at_threshold.made, at_threshold.right) == (8, 5)
    assert at_threshold.precision >= 0.6 > measure(0.0).precision
    # The GCM zero draft's paragraph 11 (missing migrants): none of the five wrong guesses of before.
    eleven = next(c for c in cases() if c.name == "GCM zero draft 11")
    assert eleven.suggester.suggest(eleven.text) == []
