"""The fast paths of feature computation give the featurizer's own values, on real passages."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from sbtext.tag.model import _word_ngrams, features, featurize, hash_char_ngrams, hash_word_ngrams


@pytest.fixture(scope="module")
def real_passages(letter_spans):
    """The processed passages of a real ministry letter in `corpora/real`."""
    return letter_spans


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "de",
        "zorg",
        "mantelzorgondersteuning",
        "Één  buurthuis\tvoor   iedereen, ook 's avonds!",
        "co-creatie — 10% (zie § 2.1) … “welzijn”",
        "",
        " \n ",
        "zorg zorg Zorg zorgen",  # a word again, and words sharing n-grams
    ],
)
def test_char_ngrams_hash_as_the_vectorizer_does(text: str) -> None:
    hasher = HashingVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False, binary=True, norm="l2"
    )
    expected, got = hasher.transform([text, text.upper()]), hash_char_ngrams(hasher, [text, text.upper()])
    assert (expected != got).nnz == 0
    assert np.array_equal(expected.indices, got.indices) and np.array_equal(expected.indptr, got.indptr)


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
@pytest.mark.parametrize(
    "texts",
    [
        ["de gemeente zet in op de sociale basis", "de sociale basis en de gemeente"],
        ["a b c", "", "één  buurthuis voor iedereen, ook 's avonds", "Zorg ZORG zorg"],
        ["vrijwilliger"],
    ],
)
def test_word_ngrams_hash_as_the_vectorizer_does(texts: list[str], ngram_range: tuple[int, int]) -> None:
    hasher = HashingVectorizer(ngram_range=ngram_range, n_features=2**18, alternate_sign=False, binary=True, norm="l2")
    expected, got = hasher.transform(texts), hash_word_ngrams(hasher, texts)
    assert (expected != got).nnz == 0
    assert np.array_equal(expected.indices, got.indices) and np.array_equal(expected.indptr, got.indptr)
    assert np.array_equal(hash_word_ngrams(hasher, texts).data, got.data)  # the remembered columns, again


@pytest.mark.parametrize("word", ["a", "ab", "abc", "abcd", "mantelzorg"])
def test_word_ngrams_are_the_analyzers(word: str) -> None:
    analyzer = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    assert _word_ngrams(word, 3, 5) == analyzer(word)


def test_featurize_gives_the_featurizers_matrix(tagger, real_passages) -> None:
    featurizer = tagger.models.featurizer
    x = features(real_passages)
    expected, got = featurizer.transform(x), featurize(featurizer, x)
    assert expected.shape == got.shape
    assert np.array_equal(expected.indptr, got.indptr) and np.array_equal(expected.indices, got.indices)
    assert np.array_equal(expected.data, got.data)
