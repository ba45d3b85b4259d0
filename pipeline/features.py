"""The shared feature space: every post is normalised and vectorised once, for all categories.

Word uni- and bigrams of spaCy lookup lemmas, plus character n-grams within word boundaries
(which survive spelling variants the folding does not catch), each TF-IDF weighted (sublinear tf,
l2-normalised per kind), the two kinds side by side in one sparse matrix.

scikit-learn's ``TfidfVectorizer`` *fits* the vocabularies and idf weights (min_df, max_features,
smoothed idf). The *transform* is ours, because scoring speed depends on it: the words of real
comments repeat (Zipf), so each distinct whitespace-separated chunk is tokenised and lemmatised
once, and each distinct word's character n-grams are looked up once, then cached as feature
indices. The result is the same matrix ``TfidfVectorizer.transform`` gives (``tests/unit/
test_features.py`` checks this), in a fraction of the time. A fitted ``Featuriser`` is plain data
(vocabularies, idf weights, the lemma table, the lexicon): it is saved as JSON and ``.npy``,
never pickled.

>>> feats = Featuriser.fit(["sh1t service", "good service"], FeatureConfig(min_df=1), lexicon={"shit"})
>>> feats.transform(["Sh1t service!"])[1].shape == (1, feats.n_features)
True
>>> "shit service" in feats.word_vocabulary
True
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from pipeline.config import FeatureConfig
from pipeline.text import english, normalise

CACHE_LIMIT = 200_000  # distinct chunks / words kept per cache before it is emptied (bounds memory)


def spacy_lemma_table() -> dict[str, str]:
    """spaCy's English lookup-lemma table (from spacy-lookups-data), as a plain dict."""
    from spacy.util import load_language_data, registry

    return dict(load_language_data(registry.lookups.get("en")["lemma_lookup"]))


@dataclass
class Featuriser:
    """A fitted feature space: normalise, then TF-IDF word and character n-grams.

    Columns ``[0, n_words)`` are word n-grams, ``[n_words, n_features)`` character n-grams.
    """

    config: FeatureConfig
    lexicon: frozenset[str]
    lemmas: dict[str, str]
    word_vocabulary: dict[str, int]
    char_vocabulary: dict[str, int]
    idf: np.ndarray  # float64, one per column
    _chunks: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _columns: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)

    # ----- fitting (training only) -----
    @classmethod
    def fit(cls, texts: Sequence[str], config: FeatureConfig, lexicon: Iterable[str] = (),
            lemmas: dict[str, str] | None = None) -> "Featuriser":
        """Fit vocabularies and idf weights on ``texts`` with scikit-learn's ``TfidfVectorizer``."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        feats = cls(config, frozenset(lexicon), spacy_lemma_table() if lemmas is None else dict(lemmas), {}, {},
                    np.zeros(0))
        normalised = feats.normalise(texts)
        feats.tokenise_chunks(c for doc in normalised for c in doc.split(" "))
        common = dict(min_df=config.min_df, sublinear_tf=True, lowercase=False, dtype=np.float32)
        words = TfidfVectorizer(analyzer=feats.word_ngrams, max_features=config.max_word_features, **common)
        chars = TfidfVectorizer(analyzer=feats.char_ngrams, max_features=config.max_char_features, **common)
        words.fit(normalised)
        chars.fit(normalised)
        feats.word_vocabulary = {str(k): int(v) for k, v in words.vocabulary_.items()}
        feats.char_vocabulary = {str(k): int(v) for k, v in chars.vocabulary_.items()}
        feats.idf = np.concatenate([words.idf_, chars.idf_]).astype(np.float64)
        return feats

    # ----- the analysis both fitting and transforming use -----
    @property
    def n_words(self) -> int:
        return len(self.word_vocabulary)

    @property
    def n_features(self) -> int:
        return len(self.word_vocabulary) + len(self.char_vocabulary)

    def normalise(self, texts: Iterable[str]) -> list[str]:
        return [normalise(str(t), self.lexicon) for t in texts]

    def lemmas_of(self, normalised: str) -> list[str]:
        """Lower-case lookup lemmas of the spaCy tokens of a normalised text (single-spaced)."""
        chunks = normalised.split(" ")
        cache = self._chunks
        if any(c not in cache for c in chunks):
            self.tokenise_chunks(chunks)
        out: list[str] = []
        for chunk in chunks:
            out.extend(cache[chunk])
        return out

    def tokenise_chunks(self, chunks: Iterable[str]) -> None:
        """Tokenise and lemmatise the space-free chunks not yet cached, in one spaCy call.

        spaCy's tokenizer splits on spaces first and tokenises each chunk on its own, so the
        chunks joined by single spaces give the tokens of each chunk in turn, each chunk's last
        token carrying the space (``tests/unit/test_features.py`` checks it against whole texts).
        """
        new = [c for c in dict.fromkeys(chunks) if c not in self._chunks]
        if not new:
            return
        if len(self._chunks) + len(new) > CACHE_LIMIT:
            self._chunks.clear()
        self._chunks[""] = ()  # the one chunk of an empty text
        words = [c for c in new if c]
        lemmas, current, k = self.lemmas, [], 0
        doc = self.tokenizer(" ".join(words))
        for token in doc:
            current.append(lemmas.get(token.text, token.text).lower())
            if token.whitespace_ or token.i == len(doc) - 1:
                self._chunks[words[k]] = tuple(current)
                current, k = [], k + 1
        if k != len(words):
            raise AssertionError(f"spaCy gave tokens for {k} of {len(words)} chunks")

    def word_ngrams(self, normalised: str) -> list[str]:
        """Word uni- to n-grams (scikit-learn's ``_word_ngrams`` order: unigrams, then bigrams…)."""
        tokens = self.lemmas_of(normalised)
        grams = list(tokens)
        for n in range(2, self.config.word_ngram_max + 1):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def char_ngrams(self, normalised: str) -> list[str]:
        """Character n-grams within word boundaries (scikit-learn's ``char_wb``)."""
        return [g for word in normalised.lower().split() for g in self._word_char_ngrams(word)]

    def _word_char_ngrams(self, word: str) -> list[str]:
        padded = f" {word} "
        lo, hi = self.config.char_ngram_min, self.config.char_ngram_max
        out = []
        for n in range(lo, hi + 1):
            if len(padded) <= n:  # a word no longer than n counts once, as scikit-learn does
                out.append(padded)
                break
            out.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
        return out

    @property
    def tokenizer(self):
        """spaCy's English tokenizer (rules only, nothing downloaded), shared with the urgent rule."""
        return english().tokenizer

    # ----- transforming (training and scoring) -----
    def char_columns(self, word: str) -> tuple[int, ...]:
        """Column indices of one word's known character n-grams, repeats kept (they are counts)."""
        vocab, offset = self.char_vocabulary, self.n_words
        return tuple(offset + vocab[g] for g in self._word_char_ngrams(word) if g in vocab)

    def _add_columns(self, normalised: str, out: list[int]) -> None:
        """Append every known feature occurrence of one normalised text to ``out``, as column indices.

        Per chunk (cached): its lemmas' unigram columns and its character n-gram columns; then the
        word n-grams that span chunks.
        """
        columns, lemmas, vocab = self._columns, self._chunks, self.word_vocabulary
        tokens: list[str] = []
        for chunk in normalised.split(" "):
            cols = columns.get(chunk)
            if cols is None:
                if len(columns) >= CACHE_LIMIT:
                    columns.clear()
                if chunk not in lemmas:
                    self.tokenise_chunks([chunk])
                unigrams = [vocab[t] for t in lemmas[chunk] if t in vocab]
                cols = columns[chunk] = (*unigrams, *self.char_columns(chunk.lower()))
            out.extend(cols)
            tokens.extend(lemmas[chunk])
        for n in range(2, self.config.word_ngram_max + 1):
            for i in range(len(tokens) - n + 1):
                j = vocab.get(" ".join(tokens[i:i + n]))
                if j is not None:
                    out.append(j)

    def vectorise(self, normalised: Sequence[str]) -> sp.csr_matrix:
        """The TF-IDF matrix of normalised texts: counts, 1 + log(count), × idf, l2 per kind."""
        n = len(normalised)
        self.tokenise_chunks(c for doc in normalised for c in doc.split(" "))
        cols: list[int] = []
        indptr = np.zeros(n + 1, dtype=np.int64)
        for i, doc in enumerate(normalised):
            self._add_columns(doc, cols)
            indptr[i + 1] = len(cols)
        X = sp.csr_matrix((np.ones(len(cols)), np.array(cols, dtype=np.int32), indptr), shape=(n, self.n_features))
        X.sum_duplicates()  # sorts each row's columns and turns repeats into counts
        rows = np.repeat(np.arange(n), np.diff(X.indptr))
        data = (1.0 + np.log(X.data)) * self.idf[X.indices]
        part = rows * 2 + (X.indices >= self.n_words)  # each kind is normalised on its own, as in a FeatureUnion
        norms = np.sqrt(np.bincount(part, weights=data * data, minlength=2 * n))
        X.data = (data / norms[part]).astype(np.float32)
        return X

    def transform(self, texts: Sequence[str]) -> tuple[list[str], sp.csr_matrix]:
        """The normalised texts and their feature matrix (one row per text)."""
        normalised = self.normalise(texts)
        return normalised, self.vectorise(normalised)

    # ----- plain-data form (saved in the model folder) -----
    def to_data(self) -> tuple[dict, dict[str, np.ndarray]]:
        """JSON-able settings and vocabularies, and the arrays, from which ``from_data`` rebuilds it."""
        data = {
            "config": self.config.__dict__,
            "lexicon": sorted(self.lexicon),
            "lemmas": self.lemmas,
            "word_vocabulary": _in_order(self.word_vocabulary),
            "char_vocabulary": _in_order(self.char_vocabulary),
        }
        return data, {"idf": self.idf}

    @classmethod
    def from_data(cls, data: dict, arrays: dict[str, np.ndarray]) -> "Featuriser":
        return cls(FeatureConfig(**data["config"]), frozenset(data["lexicon"]), data["lemmas"],
                   {g: i for i, g in enumerate(data["word_vocabulary"])},
                   {g: i for i, g in enumerate(data["char_vocabulary"])}, np.asarray(arrays["idf"], dtype=np.float64))

    def word_names(self) -> list[str]:
        """The word n-grams, in column order (``[0, n_words)``)."""
        return _in_order(self.word_vocabulary)

    def feature_names(self) -> np.ndarray:
        return np.array(self.word_names() + _in_order(self.char_vocabulary), dtype=object)


def _in_order(vocabulary: dict[str, int]) -> list[str]:
    names = [""] * len(vocabulary)
    for gram, i in vocabulary.items():
        names[i] = gram
    return names
