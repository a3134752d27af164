"""The scikit-learn models: one feature space, five decisions, saved with skops (no code on load).

Features, shared by every decision and computed once per passage: word uni- and bigrams over
lemmas, character 3-5-grams over the lower-case text (both hashed: no vocabulary to fit, so the
text part of a passage's features is the same whatever the training data, and leave-one-document-out
computes it once), the codebook's cue counts, and where the actors stand (with role words in one
clause, at the start of the passage). Only the cue counts' scale is fitted on the training passages;
each decision is a logistic regression with
balanced class weights on top of it, calibrated by sigmoid on three stratified folds (trained with
balanced sample weights, see `sbtext.train.fit_balanced`), with a fixed random state, so that the
same data give the same model. Beside them travels the purpose span model
(`sbtext.tag.purpose_model`, a CRF in CRFsuite's own file format).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import skops.io as sio
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MaxAbsScaler, normalize
from spacy.attrs import IS_ALPHA, LEMMA, ORTH
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span

from sbtext.codebook import CATEGORIES, CUE_LISTS, SPHERES, Codebook
from sbtext.errors import Errors, SbtextError
from sbtext.tag.purpose_model import FILE_NAME as PURPOSE_FILE
from sbtext.tag.purpose_model import SpanModel, load_span_model
from sbtext.tag.rules import cue_counts, cue_spans_of
from sbtext.tag.scoring import positive_proba
from sbtext.tag.tokens import passage_text, token_array

RANDOM_STATE = 0
CUE_FEATURES = (
    *CUE_LISTS,
    *(f"sphere:{s}" for s in SPHERES),
    *(f"category:{c}" for c in CATEGORIES if c != "other"),
)
SHAPE_COLUMNS = ["has_purpose", "any_actor", "actor_and_role_in_one_clause", "actor_opens", "n_actors", "length"]
CUE_COLUMNS = [f"cue_{name}" for name in CUE_FEATURES] + SHAPE_COLUMNS
CLAUSE_BREAKS = {",", ";", ":", "(", ")", "–", "-", "—"}
ROLE_CUES = {"expectation", "instrumental", "purpose_markers"}
MODEL_NAMES = ("expectation", "framing", "spheres", "category", "goal")
SAVED = ("featurizer", *MODEL_NAMES, "expectation_calibration")
DEFAULT_THRESHOLD = 0.5
WORD_FEATURES = 2**18
CHAR_FEATURES = 2**18
TEXT_COLUMNS = ("words", "chars")
WEIGHTS = {"words": 1.0, "chars": 0.5, "cues": 1.5}
Classifier: TypeAlias = CalibratedClassifierCV | OneVsRestClassifier
# Every type a saved model may contain; skops refuses anything else on load.
TRUSTED_TYPES = [
    "collections.defaultdict",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "builtins.float",
    "builtins.int",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.preprocessing._data.MaxAbsScaler",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.utils._bunch.Bunch",
    "sklearn.compose._column_transformer._RemainderColsList",
    "builtins.slice",
    "numpy.random._mt19937.MT19937",
    "numpy.random.mtrand.RandomState",
    "numpy.str_",
    "sklearn.frozen._frozen.FrozenEstimator",
    "builtins.bool",
    "builtins.NoneType",
]


def features(
    docs: Sequence[Doc | Span],
    *,
    has_purpose: Sequence[bool] | None = None,
    cues: Sequence[list[Span]] | None = None,
    texts: dict[int, str] | None = None,
) -> pd.DataFrame:
    """One row per passage: lemmas, lower-case text and cue counts (`cues`: each passage's
    `cue_spans`, when the caller has them already; `texts`: the documents' texts by id, as
    `passage_text` keeps them, shared with the caller)."""
    cues = cues if cues is not None else cue_spans_of(docs)
    lemmas, passages, numbers = [], [], []
    arrays: dict[int, np.ndarray] = {}
    whole = texts if texts is not None else {}
    for k, doc in enumerate(docs):
        strings = doc.vocab.strings
        # Token attributes as arrays: creating a Token object per word costs more than the rest.
        values = token_array(doc, FEATURE_ATTRS, arrays).tolist()
        lemmas.append(" ".join([_lower_lemma(strings, lemma) for lemma, alpha, _ in values if alpha]))
        passages.append(passage_text(doc, whole).lower())
        counts = cue_counts(cues[k])
        purpose = float(bool(has_purpose[k])) if has_purpose is not None else 0.0
        shape = _shape(doc, cues[k], [orth for _, _, orth in values])
        numbers.append([float(counts.get(name, 0)) for name in CUE_FEATURES] + [purpose, *shape])
    table = pd.DataFrame(np.array(numbers, dtype=float).reshape(len(docs), len(CUE_COLUMNS)), columns=CUE_COLUMNS)
    table.insert(0, "text", passages)
    table.insert(0, "lemmas", lemmas)
    return table


FEATURE_ATTRS = (LEMMA, IS_ALPHA, ORTH)
CLAUSE_BREAK_IDS = frozenset(get_string_id(b) for b in CLAUSE_BREAKS)


def _lower_lemma(strings: StringStore, lemma: int) -> str:
    """The lower-case text of the lemma `lemma` (a string id), remembered per lemma."""
    found = _LOWER_LEMMAS.get(lemma)
    if found is None:
        if len(_LOWER_LEMMAS) >= WORD_CACHE:
            _LOWER_LEMMAS.clear()
        found = _LOWER_LEMMAS[lemma] = strings[lemma].lower()
    return found


_LOWER_LEMMAS: dict[int, str] = {}


def _shape(doc: Doc | Span, spans: list[Span], orths: list[int]) -> tuple[float, ...]:
    """Where the actors stand (`SHAPE_COLUMNS` after has_purpose): with role words in one clause,
    at the start (as subject), how many; and the passage's length (`orths`: its words' ids)."""
    first = doc.start if isinstance(doc, Span) else 0
    clauses = list(itertools.accumulate(int(orth in CLAUSE_BREAK_IDS) for orth in orths))
    actors = [s for s in spans if s.label_ == "core" or s.label_.startswith("sphere:")]
    roles = {clauses[s.start - first] for s in spans if s.label_ in ROLE_CUES}
    return (
        float(bool(actors)),
        float(any(clauses[a.start - first] in roles for a in actors)),
        float(any(a.start - first <= 3 for a in actors)),
        min(len(actors), 4) / 4,
        min(len(orths), 60) / 60,
    )


def make_featurizer() -> ColumnTransformer:
    """The shared feature space: hashed lemma n-grams and character n-grams, scaled cue counts."""
    return ColumnTransformer(
        [
            ("words", _hashing(analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES), "lemmas"),
            ("chars", _hashing(analyzer="char_wb", ngram_range=(3, 5), n_features=CHAR_FEATURES), "text"),
            ("cues", MaxAbsScaler(), CUE_COLUMNS),
        ],
        transformer_weights=WEIGHTS,
    )


def _hashing(**kwargs: Any) -> HashingVectorizer:
    """Binary hashed n-grams, each row of unit length (no sign flips: the features stay counts)."""
    return HashingVectorizer(alternate_sign=False, binary=True, norm="l2", **kwargs)


def fit_featurizer(x: pd.DataFrame) -> ColumnTransformer:
    """The featurizer fitted on `features(...)` rows: only the cue scale is learnt, so the texts
    are left out of the fit (hashing them would change nothing and cost seconds per fold)."""
    return make_featurizer().fit(x.assign(lemmas="", text=""))


def text_features(x: pd.DataFrame) -> sparse.csr_matrix:
    """The hashed text columns of `features(...)` rows, weighted as the featurizer weighs them:
    independent of any training data, so they can be computed once and reused."""
    blank = make_featurizer()
    hashers = {name: transformer for name, transformer, _ in blank.transformers}
    blocks = [WEIGHTS[n] * hashers[n].transform(x["lemmas" if n == "words" else "text"]) for n in TEXT_COLUMNS]
    return sparse.hstack(blocks, format="csr")


def assemble(featurizer: ColumnTransformer, x: pd.DataFrame, text: sparse.csr_matrix) -> sparse.csr_matrix:
    """`featurizer.transform(x)` from text columns already computed by `text_features(x)`."""
    cues = featurizer.named_transformers_["cues"].transform(x[CUE_COLUMNS])
    return sparse.hstack([text, sparse.csr_matrix(WEIGHTS["cues"] * np.asarray(cues))], format="csr")


def words_and_cues(x: sparse.csr_matrix) -> sparse.csr_matrix:
    """Feature rows with the character n-gram columns set to zero: a model fitted on them learns no
    weight there (the goal model, fitted on every passage, is ten times faster so, and goal openers
    are words); it is applied to the full rows as the others are."""
    keep = np.ones(x.shape[1])
    keep[WORD_FEATURES : WORD_FEATURES + CHAR_FEATURES] = 0.0
    out = sparse.csr_matrix(x @ sparse.diags(keep))
    out.eliminate_zeros()
    return out


def featurize(featurizer: ColumnTransformer, x: pd.DataFrame) -> Any:
    """`featurizer.transform(x)`, the same matrix, with binary character n-grams hashed by
    `hash_char_ngrams` (scikit-learn lists every n-gram of every passage in Python and hashes each
    repeat, which binary features do not need: half the tagging time went there)."""
    blocks = []
    weights = featurizer.transformer_weights or {}
    for name, transformer, columns in featurizer.transformers_:
        if isinstance(transformer, str):  # "drop": no column is left to the remainder
            if transformer != "drop":
                return featurizer.transform(x)
            continue
        if isinstance(transformer, HashingVectorizer) and _plain(transformer, "char_wb"):
            block = hash_char_ngrams(transformer, x[columns])
        elif isinstance(transformer, HashingVectorizer) and _plain(transformer, "word"):
            block = hash_word_ngrams(transformer, x[columns])
        else:
            block = transformer.transform(x[columns])
        blocks.append(block * weights[name] if name in weights else block)
    return sparse.hstack(blocks).tocsr()


def _plain(hasher: HashingVectorizer, analyzer: str) -> bool:
    """A binary hasher of lower-case `analyzer` n-grams with nothing else to apply (for words, a
    token pattern without groups, whose matches are the words)."""
    options = (hasher.preprocessor, hasher.strip_accents, hasher.tokenizer, hasher.stop_words)
    return (
        hasher.analyzer == analyzer
        and hasher.binary
        and hasher.lowercase
        and hasher.input == "content"
        and not hasher.alternate_sign
        and all(o is None for o in options)
        and (analyzer != "word" or re.compile(hasher.token_pattern).groups == 0)
    )


def hash_word_ngrams(hasher: HashingVectorizer, texts: Iterable[str]) -> Any:
    """`hasher.transform(texts)` for a binary lower-case word hasher (`_plain`).

    Each distinct n-gram is hashed once, by the hasher's own FeatureHasher, and its column kept (up
    to `GRAM_CACHE` n-grams, then the store starts again); an n-gram of several words is looked up
    by its words, without joining them. scikit-learn joins and hashes every n-gram of every
    passage in Python.
    """
    low, high = hasher.ngram_range
    pattern = re.compile(hasher.token_pattern)
    known = _HASHED_GRAMS.setdefault((hasher.n_features, hasher.token_pattern), {})
    if len(known) > GRAM_CACHE:
        known.clear()
    rows = [_grams(pattern.findall(text.lower()), low, high) for text in texts]
    new = list(dict.fromkeys(g for grams in rows for g in grams if g not in known))
    if new:
        hashed = FeatureHasher(
            n_features=hasher.n_features, input_type="string", dtype=hasher.dtype, alternate_sign=False
        ).transform([g if isinstance(g, str) else " ".join(g)] for g in new)
        known.update(zip(new, hashed.indices.tolist()))
    return _binary_rows([list(map(known.__getitem__, grams)) for grams in rows], hasher)


def _grams(tokens: list[str], low: int, high: int) -> list[str | tuple[str, ...]]:
    """The word n-grams of `tokens` from `low` to `high` words: a word as itself, several as a
    tuple of them."""
    grams: list[str | tuple[str, ...]] = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams += zip(*(tokens[k:] for k in range(n)))
    return grams


def _binary_rows(columns: list[list[int]], hasher: HashingVectorizer) -> Any:
    """Rows with a 1 in each of their columns (a column named twice counts once), normalised as
    the hasher normalises."""
    indptr = np.cumsum([0, *map(len, columns)])
    indices = np.fromiter(itertools.chain.from_iterable(columns), dtype=np.int32, count=int(indptr[-1]))
    return _binary_matrix(indices, indptr, hasher)


def _binary_matrix(indices: np.ndarray, indptr: np.ndarray, hasher: HashingVectorizer) -> Any:
    """The CSR rows of `indices` and `indptr` with each column once, as 1, normalised as the
    hasher normalises (the same matrix, column order included, as its own `transform`)."""
    x = sparse.csr_matrix(
        (np.ones(len(indices), dtype=hasher.dtype), indices, indptr), shape=(len(indptr) - 1, hasher.n_features)
    )
    x.sum_duplicates()
    x.data[:] = 1  # binary
    return normalize(x, norm=hasher.norm, copy=False) if hasher.norm is not None else x


_HASHED_GRAMS: dict[tuple[int, str], dict[str | tuple[str, ...], int]] = {}
GRAM_CACHE = 1 << 15  # word n-grams, each a tuple and a column: a few MB at most


def hash_char_ngrams(hasher: HashingVectorizer, texts: Iterable[str]) -> Any:
    """`hasher.transform(texts)` for a binary lower-case `char_wb` hasher (`_plain`).

    A passage's binary n-gram columns are the union of its words' columns, and words recur from
    passage to passage: each new word's n-grams are hashed once, by the hasher's own
    FeatureHasher, and kept (up to `WORD_CACHE` words, then the store starts again).
    """
    low, high = hasher.ngram_range
    known = _HASHED_WORDS.setdefault((hasher.n_features, low, high), {})
    if len(known) > WORD_CACHE:
        known.clear()
    words = [set(text.lower().split()) for text in texts]
    new = sorted({w for passage in words for w in passage if w not in known})
    if new:
        hashed = FeatureHasher(
            n_features=hasher.n_features, input_type="string", dtype=hasher.dtype, alternate_sign=False
        ).transform(_word_ngrams(w, low, high) for w in new)
        hashed.sum_duplicates()  # each word's columns once, in order
        bounds = hashed.indptr.tolist()
        for k, word in enumerate(new):
            known[word] = hashed.indices[bounds[k] : bounds[k + 1]].astype(np.int32)
    # The rows with every word's columns, then each column once per row (merged and ordered in
    # C, where a set per passage took most of the time).
    pieces = [known[w] for passage in words for w in passage]
    sizes = np.cumsum([0, *(len(piece) for piece in pieces)])
    ends = np.cumsum([len(passage) for passage in words])
    indptr = sizes[np.concatenate([[0], ends])]
    indices = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)
    return _binary_matrix(indices, indptr, hasher)


_HASHED_WORDS: dict[tuple[int, int, int], dict[str, np.ndarray]] = {}
WORD_CACHE = 1 << 14  # words, each an array of its columns (a few hundred bytes): at most a few MB


def _word_ngrams(word: str, low: int, high: int) -> list[str]:
    """The `char_wb` n-grams of one word, as scikit-learn's analyzer cuts them: padded by a space
    on both sides; a word no longer than n gives itself once and no longer n-grams."""
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if size <= n:
            grams.append(padded)
            break
        grams += [padded[i : i + n] for i in range(size - n + 1)]
    return grams


def make_linear(*, c: float = 4.0) -> LogisticRegression:
    """A yes/no logistic regression with balanced class weights, by liblinear's dual solver (the
    same model; on half a million hashed columns and a few thousand rows some fifty times faster
    than the primal one: what leave-one-document-out can afford)."""
    return LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", dual=True, max_iter=3000, random_state=RANDOM_STATE
    )


def make_classifier(*, multilabel: bool = False, binary: bool = False, c: float = 4.0) -> Classifier:
    """The one factory for every decision: a calibrated logistic regression over the features
    (one against the rest, by liblinear, where there are several classes)."""
    linear: Any = make_linear(c=c)
    if not (binary or multilabel):
        linear = OneVsRestClassifier(linear)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=RANDOM_STATE)
    calibrated = CalibratedClassifierCV(linear, method="sigmoid", cv=folds)
    return OneVsRestClassifier(calibrated) if multilabel else calibrated


@dataclass
class Models:
    """The fitted featurizer, five classifiers and the purpose span model (each may be None when
    its training data was too thin; without a featurizer there are no models and the codebook
    rules decide)."""

    featurizer: ColumnTransformer | None = None
    expectation: Classifier | None = None
    framing: Classifier | None = None
    spheres: Classifier | None = None
    category: Classifier | None = None
    goal: Classifier | None = None
    # A sigmoid over the expectation model's decision values, fitted on held-out whole documents
    # (so that its probabilities carry their base rate); None in models trained without them.
    expectation_calibration: LogisticRegression | None = None
    # The learned purpose span (a CRF, saved in its own format); None: the rules cut purposes.
    purpose: SpanModel | None = None
    sphere_names: tuple[str, ...] = SPHERES
    # The featurizer's columns that `compact` models read (None: all of them).
    columns: np.ndarray | None = None
    manifest: dict[str, Any] | None = None
    sha256: str = ""
    folder: str = ""

    @property
    def threshold(self) -> float:
        """The expectation threshold recorded in the manifest (0.5 when none is)."""
        thresholds = (self.manifest or {}).get("thresholds") or {}
        return float(thresholds.get("expectation", DEFAULT_THRESHOLD))

    def save(self, folder: Path, manifest: dict[str, Any]) -> None:
        """Write every model as `<name>.skops` (coefficients sparse) and the manifest as JSON,
        each atomically."""
        if self.columns is not None:
            raise ValueError("compacted models read only some columns and are not saved; save them as trained")
        folder.mkdir(parents=True, exist_ok=True)
        self.sparsify()
        for name in SAVED:
            model = getattr(self, name)
            if model is not None:
                tmp = folder / f".{name}.skops.tmp"
                sio.dump(model, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
                tmp.replace(folder / f"{name}.skops")
        if self.purpose is not None:
            self.purpose.save(folder)
        tmp = folder / ".manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(folder / "manifest.json")

    def sparsify(self) -> Models:
        """These models with every coefficient matrix sparse (`sparse_coefficients`), as they are
        saved and loaded."""
        for name in MODEL_NAMES:
            if getattr(self, name) is not None:
                sparse_coefficients(getattr(self, name))
        return self

    def compact(self) -> Models:
        """These models reading only the featurizer's columns that some model weighs, each with
        its weights as a dense array over them; `transform` then gives those columns only.

        Of half a million hashed columns a few tens of thousands carry a weight. Held sparse,
        scikit-learn multiplies by the weights through a copy of them over every column, on
        every call (tens per batch of passages); dense over every column they take 200 MB. The
        scores stay the same: the same non-zero terms are added."""
        if self.columns is not None:
            return self
        seen: set[int] = set()
        linears = [m for name in MODEL_NAMES for m in _fitted_linear(getattr(self, name), seen)]
        if not linears:
            return self
        weights = [sparse.csr_matrix(m.coef_) for m in linears]
        columns = np.unique(np.concatenate([w.indices for w in weights]))
        for model, w in zip(linears, weights):
            model.coef_ = w[:, columns].toarray()
            model.n_features_in_ = len(columns)
        self.columns = columns
        return self

    def transform(self, x: pd.DataFrame) -> Any:
        """The feature matrix of `features(...)` rows (in the columns of `compact` models)."""
        if self.featurizer is None:
            raise SbtextError(Errors.E071, path="(models)", detail="no featurizer: these models are not trained")
        matrix = featurize(self.featurizer, x)
        return matrix if self.columns is None else matrix[:, self.columns]


def default_models_path() -> Path:
    return Path(str(resources.files("sbtext").joinpath("models")))


def sparse_coefficients(model: Any) -> Any:
    """`model` with the coefficients of every fitted logistic regression inside it held as a CSR
    matrix (`sparsify`): over half a million hashed columns only the few seen in training carry a
    weight, and the dense arrays took some 200 MB. The scores stay what they were: a sparse product
    adds the same non-zero terms in the same order, and adding a zero term changes no sum."""
    for linear in _fitted_linear(model, set()):
        if not sparse.issparse(linear.coef_):
            linear.sparsify()
    return model


def _fitted_linear(item: Any, seen: set[int]) -> Iterator[LogisticRegression]:
    """Every fitted logistic regression reachable from `item` through the attributes of
    scikit-learn's objects (estimators, and the calibration's fold models, which are not)."""
    if id(item) in seen:
        return
    seen.add(id(item))
    if isinstance(item, list | tuple):
        for part in item:
            yield from _fitted_linear(part, seen)
    elif isinstance(item, LogisticRegression):
        if hasattr(item, "coef_"):
            yield item
    elif type(item).__module__.startswith("sklearn.") and hasattr(item, "__dict__"):
        for value in vars(item).values():
            yield from _fitted_linear(value, seen)


def load_models(folder: str | Path | None = None, *, compact: bool = True) -> Models:
    """Load saved models, refusing any type outside `TRUSTED_TYPES`; `compact` (the default, as
    the tagger uses them): reading only the columns they weigh (`Models.compact`), else as
    trained, every column, coefficients sparse."""
    folder = Path(folder) if folder else default_models_path()
    manifest_file = folder / "manifest.json"
    if not manifest_file.is_file():
        raise SbtextError(Errors.E071, path=str(folder), detail="manifest.json is missing")
    digest = hashlib.sha256()
    for file in [*sorted(folder.glob("*.skops")), *sorted(folder.glob(PURPOSE_FILE)), manifest_file]:
        digest.update(file.read_bytes())
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    models = Models(manifest=manifest, sha256=digest.hexdigest(), folder=str(folder))
    if not (folder / "featurizer.skops").is_file():
        raise SbtextError(
            Errors.E071, path=str(folder), detail="featurizer.skops is missing: retrain with `sbtext train`"
        )
    for name in SAVED:
        file = folder / f"{name}.skops"
        if file.is_file():
            untrusted = [t for t in sio.get_untrusted_types(file=file) if t not in TRUSTED_TYPES]
            if untrusted:
                raise SbtextError(Errors.E071, path=str(file), detail=f"untrusted types {untrusted!r}")
            setattr(models, name, sio.load(file, trusted=sio.get_untrusted_types(file=file)))
    models.purpose = load_span_model(folder)
    # Models saved before their coefficients were stored sparse are made so here; then each reads
    # only the columns some model weighs.
    models.sparsify()
    return models.compact() if compact else models


def check_codebook(models: Models, codebook: Codebook) -> None:
    """Refuse (E072) models trained with another codebook than `codebook`.

    The manifest's `codebook_rules_sha256` (the rules the tagger reads) is compared; a manifest
    that records only `codebook_sha256` (the file's bytes) is compared on that. Models without a
    manifest record of their codebook, and no models at all, pass.
    """
    manifest = models.manifest or {}
    kind, recorded, used = "rules sha256", manifest.get("codebook_rules_sha256"), codebook.rules_sha256
    if recorded is None:
        kind, recorded, used = "file sha256", manifest.get("codebook_sha256"), codebook.sha256
    if models.featurizer is None or recorded is None or recorded == used:
        return
    raise SbtextError(
        Errors.E072,
        path=models.folder,
        trained=str(manifest.get("codebook_name", "unnamed")),
        trained_sha256=f"{kind} {str(recorded)[:12]}",
        used=f"{codebook.name}, {codebook.path}",
        used_sha256=f"{kind} {used[:12]}",
    )


def expectation_proba(models: Models, x: Any) -> np.ndarray:
    """The calibrated probability that each passage is an expectation."""
    if models.expectation is None:
        return np.zeros(x.shape[0])
    if models.expectation_calibration is None:
        return positive_proba(models.expectation, x)
    raw = models.expectation.decision_function(x).reshape(-1, 1)
    return positive_proba(models.expectation_calibration, raw)
