"""The exported model: one self-describing folder of data, verified before it is read.

Layout of a bundle (after spaCy's ``Language.to_disk``: a folder of named parts and a meta)::

    models/<model_version>/
      meta.json            version, created time, MLflow run, data hashes, library versions, metrics
      config.json          the resolved training config
      thresholds.json      act and review thresholds per category, with their validation precision/recall
      validation_curves.json  validation PR curves, to move thresholds without retraining
      features.json        the feature space: settings, lexicon, lemma table, vocabularies
      arrays.npz           idf weights and each output's weights, intercept and calibration (no pickles)
      rules/               the rule data the model was exported with (TOML/text)
      MANIFEST.json        SHA-256 of every file above

Nothing in a bundle is pickled: JSON and ``.npy`` arrays read with ``allow_pickle=False`` cannot
run code. Loading still checks the manifest and the library versions first, so a file that does
not match, a missing manifest, or a model made with another minor version of the libraries that
fix its features (spaCy's tokenizer, scikit-learn's TF-IDF) is refused with a clear message.

>>> bundle = load_bundle("models/" + open("models/DEFAULT").read().strip())  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import platform
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np

from pipeline import errors
from pipeline.classifier import CategoryModel
from pipeline.features import Featuriser
from pipeline.config import REPO_ROOT
from pipeline.errors import ModelLoadError
from pipeline.schema import CATEGORIES, OUTPUTS

BUNDLE_FORMAT = 5  # 2: act/review thresholds; 3: an urgent classifier; 4: features.pkl; 5: no pickles
MANIFEST = "MANIFEST.json"
# Packages whose version changes can break unpickling or change predictions: (name, parts that must match).
CHECKED_PACKAGES = {"scikit-learn": 2, "numpy": 1, "spacy": 2}
ARRAYS = ("idf", "weights", "intercepts", "slopes", "offsets")


@dataclass
class Bundle:
    path: Path
    model: CategoryModel
    meta: dict

    @property
    def rules_dir(self) -> Path:
        return self.path / "rules"

    @property
    def version(self) -> str:
        return self.meta["model_version"]


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in (*CHECKED_PACKAGES, "spacy-lookups-data", "mlflow", "datasets", "pandas"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(folder: Path) -> None:
    """(Re)write the manifest over every file in ``folder`` but itself."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    manifest = {p.relative_to(folder).as_posix(): sha256_file(p) for p in files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def save_bundle(model: CategoryModel, out_dir: Path, *, rules_dir: Path, config: dict, meta: dict) -> Path:
    """Write ``model`` as a bundle into ``out_dir`` (replaced if it exists) and return the path."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    features, arrays = model.features.to_data()
    (out_dir / "features.json").write_text(json.dumps(features, ensure_ascii=False, separators=(",", ":")) + "\n",
                                           encoding="utf-8")
    arrays.update({name: getattr(model, name) for name in ARRAYS if name != "idf"})
    np.savez_compressed(out_dir / "arrays.npz", **arrays)
    shutil.copytree(rules_dir, out_dir / "rules", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (out_dir / "thresholds.json").write_text(json.dumps(model.points, indent=2) + "\n")
    (out_dir / "validation_curves.json").write_text(json.dumps(model.curves) + "\n")
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    full_meta = {
        "format": BUNDLE_FORMAT,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "categories": list(CATEGORIES),
        "outputs": list(OUTPUTS),
        "versions": package_versions(),
        **meta,
    }
    (out_dir / "meta.json").write_text(json.dumps(full_meta, indent=2, default=str) + "\n")
    write_manifest(out_dir)
    return out_dir


def verify_bundle(path: Path) -> dict:
    """The bundle's meta, after checking every file against the manifest and library versions."""
    path = Path(path)
    if not (path / "meta.json").is_file():
        raise ModelLoadError(f"{path}: not a model folder (no meta.json)")
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise ModelLoadError(errors.NO_MANIFEST.format(path=path))
    manifest = json.loads(manifest_path.read_text())
    present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file() and p.name != MANIFEST}
    for name in sorted(present - set(manifest)):
        raise ModelLoadError(f"{path / name}: file is not in the model's manifest; refusing to load.")
    for name, expected in manifest.items():
        file = path / name
        found = sha256_file(file) if file.is_file() else "missing"
        if found != expected:
            raise ModelLoadError(errors.TAMPERED.format(path=file, expected=expected[:12], found=found[:12]))
    meta = json.loads((path / "meta.json").read_text())
    if meta.get("format") != BUNDLE_FORMAT:
        raise ModelLoadError(f"{path}: model folder format {meta.get('format')}, this version of the pipeline reads "
                             f"format {BUNDLE_FORMAT}; retrain it with 'moderate train'")
    have = package_versions()
    for package, parts in CHECKED_PACKAGES.items():
        made = meta.get("versions", {}).get(package, "unknown")
        if made.split(".")[:parts] != have[package].split(".")[:parts]:
            raise ModelLoadError(errors.VERSION_MISMATCH.format(path=path, package=package, made=made,
                                                                have=have[package]))
    return meta


def load_bundle(path: str | Path) -> Bundle:
    """A verified bundle with its fitted model loaded."""
    path = Path(path)
    meta = verify_bundle(path)
    with np.load(path / "arrays.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in ARRAYS}
    features = Featuriser.from_data(json.loads((path / "features.json").read_text(encoding="utf-8")), arrays)
    points = json.loads((path / "thresholds.json").read_text())
    curves = json.loads((path / "validation_curves.json").read_text())
    model = CategoryModel(features, *(arrays[name] for name in ARRAYS[1:]), points=points, curves=curves)
    return Bundle(path, model, meta)


def default_model_path(models_dir: Path = REPO_ROOT / "models") -> Path:
    """The model named in ``models/DEFAULT``: the one ``moderate score`` uses without ``--model``."""
    pointer = models_dir / "DEFAULT"
    if not pointer.is_file():
        raise ModelLoadError(f"{pointer}: no default model; train one with 'moderate train' or pass --model")
    return models_dir / pointer.read_text().strip()


def set_thresholds(path: Path, points: dict) -> None:
    """Write new operating points into a verified bundle and re-sign its manifest."""
    verify_bundle(path)
    (Path(path) / "thresholds.json").write_text(json.dumps(points, indent=2) + "\n")
    write_manifest(Path(path))
