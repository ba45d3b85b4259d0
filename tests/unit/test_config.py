"""Experiment configs: typos and wrong types are errors, never silent defaults."""
import pytest

from pipeline.config import load_config, tracking_uri
from pipeline.errors import ConfigError

SOURCE = '[[data.sources]]\nname = "opcc"\npath = "data/opcc/posts.jsonl"\n'


def write(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


def test_shipped_configs_load():
    for name in ("configs/default.toml", "configs/demo.toml"):
        config = load_config(name)
        assert config.data.sources


def test_params_are_flat_strings(tmp_path):
    params = load_config(write(tmp_path, "seed = 7\n" + SOURCE)).to_params()
    assert params["seed"] == "7"
    assert params["data.sources.opcc.path"] == "data/opcc/posts.jsonl"
    assert params["model.C"] == "4.0"


@pytest.mark.parametrize("text, message", [
    ("sede = 7\n" + SOURCE, "unknown key"),
    ("seed = 'seven'\n" + SOURCE, "seed must be int"),
    ("[model]\nC = true\n" + SOURCE, "model.C must be float"),
    ("[features]\nmin_df = 1.5\n" + SOURCE, "features.min_df must be int"),
    ("seed = 1\n", "no \\[\\[data.sources\\]\\]"),
    ('[[data.sources]]\nname = "x"\n', "give exactly one of 'path' or 'corpus'"),
    ('[[data.sources]]\nname = "x"\npath = "a"\nweight = 0\n', "weight must be > 0"),
    ("seed = \n", "not valid TOML"),
    ("[thresholds]\nact_precision = 1.5\n" + SOURCE, "act_precision must be in"),
    ("[thresholds]\ntune_on = ['nope']\n" + SOURCE, "tune_on names unknown source"),
])
def test_bad_configs_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_tracking_uri_honours_the_environment(monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert tracking_uri() == "sqlite:///mlruns/mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////tmp/elsewhere.db")
    assert tracking_uri() == "sqlite:////tmp/elsewhere.db"


@pytest.mark.parametrize("argv, seed, held_out", [
    ([], 13, set()),
    (["--seed", "7"], 7, set()),
    (["--seed", "21", "--holdout", "youtube_spam"], 21, {"youtube_spam"}),
])
def test_train_applies_seed_and_holdout_to_the_config(argv, seed, held_out):
    from pipeline.cli import build_parser, train_config

    config = train_config(build_parser().parse_args(["train", "--config", "configs/default.toml", *argv]))
    assert config.seed == seed
    assert {s.name for s in config.data.sources if s.holdout} == held_out
    assert load_config("configs/default.toml").seed == 13  # the file is not changed


def test_train_refuses_an_unknown_holdout():
    from pipeline.cli import build_parser, train_config

    with pytest.raises(ConfigError, match="unknown source"):
        train_config(build_parser().parse_args(["train", "--holdout", "nope"]))
