"""Export and safe loading: what was saved comes back, nothing altered is read, nothing is pickled."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.bundle import load_bundle, save_bundle, write_manifest
from pipeline.classifier import CategoryModel, _classifier
from pipeline.config import Config, FeatureConfig
from pipeline.errors import ModelLoadError
from pipeline.features import Featuriser
from pipeline.schema import OUTPUTS

TEXTS = [
    "you useless scumbag", "f*ck off the lot of you", "thanks for the update", "great work officers",
    "buy cheap followers now bit.ly/x", "win a free iphone click here", "when is the next surgery",
    "lovely event at the library", "he did the stabbing everyone knows it", "the accused is guilty as sin",
    "someone is breaking into my car right now", "lads dealing from the flat above the bookies",
    "vote labour on thursday", "the tories ruined policing", "how do i register to vote",
    "where do i report fly tipping",
] * 3
LABELS = np.array([  # abuse, spam, sub_judice, crime_report, party_political, urgent
    [1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0],
    [0, 1, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 1], [0, 0, 0, 1, 0, 0],
    [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0],
] * 3, dtype=float)


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    config = Config(features=FeatureConfig(min_df=1))
    model = CategoryModel.fit_new(TEXTS, LABELS, np.ones(len(TEXTS)), config, frozenset({"fuck"}))
    rules = tmp_path_factory.mktemp("rules")
    (rules / "terms.toml").write_text("x = 1\n")
    out = tmp_path_factory.mktemp("models") / "m1"
    save_bundle(model, out, rules_dir=rules, config={"seed": 13}, meta={"model_version": "test-1"})
    return out, model


def test_round_trip_gives_the_same_scores(bundle_dir):
    path, model = bundle_dir
    loaded = load_bundle(path)
    probe = ["you scumbag", "thanks officers", "vote tory"]
    np.testing.assert_array_equal(loaded.model.predict_proba(probe), model.predict_proba(probe))
    assert loaded.version == "test-1" and loaded.meta["categories"][0] == "abuse"
    assert (loaded.rules_dir / "terms.toml").read_text() == "x = 1\n"


def copy_of(bundle_dir, tmp_path):
    import shutil

    dst = tmp_path / "copy"
    shutil.copytree(bundle_dir[0], dst)
    return dst


def test_changed_weights_are_refused(bundle_dir, tmp_path):
    path = copy_of(bundle_dir, tmp_path)
    with (path / "arrays.npz").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelLoadError, match=r"arrays\.npz: file does not match the model's manifest"):
        load_bundle(path)


def test_a_bundle_holds_no_pickles(bundle_dir):
    path, _ = bundle_dir
    suffixes = {p.suffix for p in path.rglob("*") if p.is_file()}
    assert suffixes <= {".json", ".npz", ".toml"}, suffixes
    with np.load(path / "arrays.npz", allow_pickle=False) as npz:  # raises if any array needed pickle
        assert all(npz[name].dtype != object for name in npz.files)


def test_a_missing_manifest_is_refused(bundle_dir, tmp_path):
    path = copy_of(bundle_dir, tmp_path)
    (path / "MANIFEST.json").unlink()
    with pytest.raises(ModelLoadError, match="no MANIFEST.json"):
        load_bundle(path)


def test_an_added_file_is_refused(bundle_dir, tmp_path):
    path = copy_of(bundle_dir, tmp_path)
    (path / "extra.pkl").write_bytes(b"evil")
    with pytest.raises(ModelLoadError, match="extra.pkl: file is not in the model's manifest"):
        load_bundle(path)


def test_a_missing_file_is_refused(bundle_dir, tmp_path):
    path = copy_of(bundle_dir, tmp_path)
    (path / "features.json").unlink()
    with pytest.raises(ModelLoadError, match="found missing"):
        load_bundle(path)


def test_another_scikit_learn_version_is_refused(bundle_dir, tmp_path):
    path = copy_of(bundle_dir, tmp_path)
    meta = json.loads((path / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "1.2.2"
    (path / "meta.json").write_text(json.dumps(meta))
    write_manifest(path)  # even with a consistent manifest, the version alone refuses it
    with pytest.raises(ModelLoadError, match="made with scikit-learn 1.2.2"):
        load_bundle(path)


def test_not_a_model_folder(tmp_path):
    with pytest.raises(ModelLoadError, match="not a model folder"):
        load_bundle(tmp_path)


def test_scores_equal_the_fitted_scikit_learn_classifiers():
    config = Config(features=FeatureConfig(min_df=1))
    features = Featuriser.fit(TEXTS, config.features, {"fuck"})
    X = features.transform(TEXTS)[1]
    fitted = {c: _classifier(config).fit(X, LABELS[:, k].astype(int)) for k, c in enumerate(OUTPUTS)}
    model = CategoryModel.from_classifiers(features, fitted)
    probe = ["you scumbag", "thanks officers", "vote tory", "someone is breaking into my car right now", "x"]
    expected = np.column_stack([fitted[c].predict_proba(features.transform(probe)[1])[:, 1] for c in OUTPUTS])
    np.testing.assert_allclose(model.predict_proba(probe), expected, rtol=1e-5, atol=1e-6)
