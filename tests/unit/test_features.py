"""The feature space: our cached transform gives exactly the matrix scikit-learn's would."""
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from pipeline.config import FeatureConfig
from pipeline.features import Featuriser, spacy_lemma_table

TEXTS = [
    "The lads were running off with the bikes!!", "Sh1t service from @Cleveland_PCC, see www.example.com/x",
    "b @ s t a r d coppers", "I'm not saying he's guilty... but", "£50 cash, DM me 07700 900123",
    "ok", "A a a a", "Scunthorpe and Penistone", "naïve café ﬁne\u200b wоrk", "😡😡 useless", "",
]


@pytest.fixture(scope="module")
def featuriser():
    return Featuriser.fit(TEXTS * 2, FeatureConfig(min_df=1), {"shit", "bastard"})


def test_lemmas_are_spacys_lookup_lemmas(featuriser):
    assert featuriser.lemmas_of("the lads were running") == ["the", "lad", "be", "run"]
    assert featuriser.lemmas_of("i'm not") == ["i", "be", "not"]


def test_transform_equals_scikit_learns_tfidf(featuriser):
    # The same vocabularies and settings through scikit-learn's own transform (the reference).
    cfg = featuriser.config
    words = TfidfVectorizer(analyzer=featuriser.word_ngrams, sublinear_tf=True, dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(cfg.char_ngram_min, cfg.char_ngram_max),
                            sublinear_tf=True, dtype=np.float32)
    union = FeatureUnion([("words", words), ("chars", chars)])
    normalised = featuriser.normalise(TEXTS * 2)
    union.fit(normalised)
    assert words.vocabulary_ == featuriser.word_vocabulary and chars.vocabulary_ == featuriser.char_vocabulary
    probe = ["lads running with sh1t bikes", "unknown words only zzq", "", "ok ok ok", "A a a a a"]
    expected = union.transform(featuriser.normalise(probe))
    got = featuriser.transform(probe)[1]
    assert got.shape == expected.shape
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-6, atol=1e-7)
    assert got.has_canonical_format


def test_plain_data_round_trip(featuriser):
    data, arrays = featuriser.to_data()
    again = Featuriser.from_data(data, arrays)
    probe = ["b @ s t a r d lads", "thanks"]
    assert (again.transform(probe)[1] != featuriser.transform(probe)[1]).nnz == 0
    assert again.feature_names()[featuriser.word_vocabulary["lad"]] == "lad"


def test_caches_are_bounded(featuriser, monkeypatch):
    # A full cache is emptied before new entries go in: it never holds more than the limit plus
    # one batch's new chunks, and emptying it changes no result.
    monkeypatch.setattr("pipeline.features.CACHE_LIMIT", 3)
    before = featuriser.transform(["alpha beta gamma delta epsilon"])[1]
    featuriser.transform(["zeta eta"])
    assert "alpha" not in featuriser._chunks and set(featuriser._chunks) <= {"", "zeta", "eta"}
    assert "alpha" not in featuriser._columns and len(featuriser._columns) <= 3
    assert (featuriser.transform(["alpha beta gamma delta epsilon"])[1] != before).nnz == 0


def test_the_lemma_table_is_spacys():
    table = spacy_lemma_table()
    assert table["were"] == "be" and table["coppers"] == "copper"


def test_chunk_tokenising_equals_spacy_on_whole_texts(featuriser):
    # Chunks are tokenised in one call and cached; spaCy on each whole text must agree.
    texts = featuriser.normalise(TEXTS + ["can't won't y'all e.g. U.K. 3pm £5 :-) #tag @x it's-not ok!!"])
    featuriser._chunks.clear()
    nlp_tokens = featuriser.tokenizer
    for text in texts:
        expected = [featuriser.lemmas.get(t.text, t.text).lower() for t in nlp_tokens(text) if not t.is_space]
        assert featuriser.lemmas_of(text) == expected, text
