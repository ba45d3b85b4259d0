"""The feature pipeline and its custom transformer honour scikit-learn's estimator contract."""
import pickle

import pytest
from sklearn.base import clone
from sklearn.utils import estimator_checks as checks

from pipeline.config import FeatureConfig
from pipeline.features import LemmaTokenizer, Normaliser, build_features


@pytest.mark.parametrize("check", [
    checks.check_no_attributes_set_in_init,
    checks.check_parameters_default_constructible,
    checks.check_get_params_invariance,
    checks.check_set_params,
    checks.check_dont_overwrite_parameters,
])
def test_normaliser_estimator_contract(check):
    # scikit-learn's full check_estimator skips string-input transformers, so run the
    # contract checks that apply to one: parameters stored as given, nothing set in __init__.
    check("Normaliser", Normaliser(lexicon=("shit",)))


def test_normaliser_is_stateless_and_clonable():
    n = Normaliser(lexicon=("shit",))
    assert n.fit(["x"]) is n and n.n_features_in_ == 1
    assert clone(n).get_params() == {"lexicon": ("shit",)}
    assert n.transform(["Sh1t  service"]).tolist() == ["shit service"]
    with pytest.raises(ValueError, match="not a single string"):
        n.transform("one text")


def test_lemma_tokenizer_pickles_without_spacy_state():
    tok = LemmaTokenizer()
    assert tok("The lads were running") == ["the", "lad", "be", "run"]
    again = pickle.loads(pickle.dumps(tok))
    assert again._nlp is None and again("coppers") == ["copper"]


def test_features_are_word_and_char_ngrams():
    feats = build_features(FeatureConfig(min_df=1), lexicon={"shit"})
    X = feats.fit_transform(["sh1t service", "good service"])
    words = feats.named_steps["vectorise"].transformer_list[0][1].vocabulary_
    assert "shit service" in words and X.shape[0] == 2
