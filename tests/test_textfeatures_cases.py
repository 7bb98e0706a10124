"""Papers as tf-idf vectors (textfeatures.py), case by case: which words and pairs a text
gives, how authors and a category count, the column numbering, the sparse arithmetic
against dense numpy (the oracle), and the tf-idf weights against the formula written out
by hand."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from paperdeck.core.textfeatures import (
    Postings,
    Rows,
    Vocabulary,
    cosine_to,
    display_term,
    inverse_document_frequency,
    log_odds,
    paper_terms,
    sigmoid,
    stem,
    surname,
    text_terms,
    weigh,
)


@pytest.mark.parametrize("word, stemmed", [
    ("models", "model"), ("policies", "policy"), ("flies", "fly"), ("ties", "tie"), ("dies", "die"),
    ("series", "sery"),  # plain rules, no dictionary: harmless, both spellings agree
    ("glass", "glass"), ("corpus", "corpus"), ("analysis", "analysis"), ("famous", "famous"),
    ("gas", "gas"), ("bus", "bus"), ("arms", "arm"), ("robot", "robot"), ("its", "its"),
])
def test_stem(word, stemmed):
    assert stem(word) == stemmed


@pytest.mark.parametrize("text, terms", [
    ("World models for robots", ["world", "model", "world model", "robot"]),  # "for": a stop word
    ("Robot arms. Grasping cups", ["robot", "arm", "robot arm", "grasping", "cup", "grasping cup"]),
    ("RL in 3D: 2024 results", []),  # short words, digits and stop words only
    ("Self-supervised learners' skills", ["self-supervised", "learner", "self-supervised learner",
                                          "skill", "learner skill"]),
    ("'quoted' words", ["quoted", "word", "quoted word"]),
    ("We propose a novel method", []),
    ("GPT4 agents", ["gpt4", "agent", "gpt4 agent"]),
    ("Big cat robots", ["big", "cat", "big cat", "robot", "cat robot"]),  # three letters: kept
    ("", []),
])
def test_text_terms(text, terms):
    assert text_terms(text) == terms
    assert text_terms(text) == terms  # the second time from the words remembered


@pytest.mark.parametrize("name, key", [
    ("Ada Lovelace", "lovelace"), ("Lovelace, A.", "lovelace"), ("  Grace Brewster Hopper ", "hopper"),
    ("Plato", "plato"), ("", ""), ("   ", ""),
])
def test_surname(name, key):
    assert surname(name) == key


def test_paper_terms_count_titles_twice_and_prefix_authors_and_category():
    counts = paper_terms("Robot arms", "Robot arms grasp.", ["Ada Lovelace", "  ", "Bo An"],
                         venue="Robotics Conference", category=" CS.RO ")
    assert counts == Counter({"robot": 3, "arm": 3, "robot arm": 3, "grasp": 1, "arm grasp": 1,
                              "robotic": 1, "conference": 1, "robotic conference": 1,
                              "@lovelace": 1, "@an": 1, "cat:cs.ro": 1})
    assert paper_terms("", "") == Counter()


def test_display_term():
    assert display_term("@lovelace") == "Lovelace (author)"
    assert display_term("cat:cs.ro") == "cs.ro (category)"
    assert display_term("world model") == "world model"


def test_vocabulary_numbers_terms_in_order_met_and_sorts_a_row_by_column():
    vocab = Vocabulary()
    cols, vals = vocab.encode(Counter({"b": 2, "a": 1}))
    assert vocab.names == ["b", "a"] and vocab.ids == {"b": 0, "a": 1}
    assert cols.tolist() == [0, 1] and vals.tolist() == [2.0, 1.0]
    cols, vals = vocab.encode(Counter({"c": 5, "a": 3}))
    assert cols.tolist() == [1, 2] and vals.tolist() == [3.0, 5.0]  # sorted by column
    cols, vals = vocab.encode(Counter({"d": 1, "b": 4}), grow=False)  # "d" unknown: left out
    assert cols.tolist() == [0] and vals.tolist() == [4.0] and "d" not in vocab.ids
    assert cols.dtype == np.int32 and vals.dtype == np.float32


def _dense() -> np.ndarray:
    dense = np.zeros((5, 4))
    dense[1] = [0.0, 2.0, 0.0, 1.0]
    dense[2] = [3.0, 0.0, 0.0, 0.0]
    dense[4] = [0.0, 0.0, 5.0, 4.0]  # rows 0 and 3 empty
    return dense


def _rows(dense: np.ndarray) -> Rows:
    r, c = np.nonzero(dense)
    return Rows(len(dense), r.astype(np.int32), c.astype(np.int32), dense[r, c].astype(np.float32))


def test_sparse_products_match_dense_numpy():
    dense = _dense()
    rows = _rows(dense)
    w = np.array([1.0, 10.0, 100.0, 1000.0])
    assert rows.dot(w).tolist() == (dense @ w).tolist() == [0.0, 1020.0, 3.0, 0.0, 4500.0]
    v = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert rows.t_dot(v, 4).tolist() == (dense.T @ v).tolist()
    rows.by_columns(4)  # the column-ordered copy gives the same sums
    assert rows.t_dot(v, 4).tolist() == (dense.T @ v).tolist() == [9.0, 4.0, 25.0, 22.0]
    assert rows.t_dot(v, 5).tolist() == [9.0, 4.0, 25.0, 22.0, 0.0]  # another width: no copy
    assert cosine_to(rows, np.array([1, 3]), np.array([0.5, 2.0]), 4).tolist() == [0.0, 3.0, 0.0, 0.0, 8.0]


def test_an_empty_matrix_and_rows_without_entries():
    assert Rows(0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)).dot(
        np.ones(3)).tolist() == []
    empty = Rows(3, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32))
    assert empty.dot(np.ones(3)).tolist() == [0.0, 0.0, 0.0]
    empty.by_columns(2)
    assert empty.t_dot(np.ones(3), 2).tolist() == [0.0, 0.0]
    last_only = _rows(np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 7.0]]))
    assert last_only.dot(np.array([1.0, 2.0])).tolist() == [0.0, 0.0, 14.0]


def test_select_and_entries_read_the_given_rows():
    dense = _dense()
    rows = _rows(dense)
    pick = np.array([4, 0, 2, 1])
    chosen = rows.select(pick)
    assert chosen.n == 4 and chosen.row.tolist() == [0, 0, 2, 3, 3]
    w = np.array([1.0, 10.0, 100.0, 1000.0])
    assert chosen.dot(w).tolist() == (dense[pick] @ w).tolist()
    assert rows.select(np.array([0, 3])).dot(w).tolist() == [0.0, 0.0]
    cols, vals = rows.entries(4)
    assert cols.tolist() == [2, 3] and vals.tolist() == [5.0, 4.0]
    cols, vals = rows.entries(3)
    assert cols.tolist() == [] and vals.tolist() == []


def test_postings_cosine_matches_dense_numpy():
    dense = _dense()
    postings = Postings(_rows(dense), 4)
    q = np.array([0.0, 0.5, 0.0, 2.0])
    assert postings.cosine(np.array([1, 3]), np.array([0.5, 2.0])).tolist() == (dense @ q).tolist()
    assert postings.cosine(np.array([0]), np.array([1.0])).tolist() == [0.0, 0.0, 3.0, 0.0, 0.0]
    # a column the matrix never saw (the vocabulary grew since) counts nothing
    assert postings.cosine(np.array([3, 9]), np.array([1.0, 5.0])).tolist() == [0.0, 1.0, 0.0, 0.0, 4.0]
    assert postings.cosine(np.array([9]), np.array([1.0])).tolist() == [0.0] * 5


def test_weigh_is_sublinear_tf_times_idf_scaled_to_length_one():
    idf = np.array([2.0, 1.0, 0.0])
    rows = weigh([np.array([0, 1]), np.array([2]), np.array([0, 2])],
                 [np.array([1.0, math.e], np.float32), np.array([3.0], np.float32),
                  np.array([4.0, 1.0], np.float32)], idf)
    # row 0: (1 + ln 1) * 2 = 2 and (1 + ln e) * 1 = 2, scaled by sqrt(8); row 1: idf 0 drops
    # its only term; row 2: (1 + ln 4) * 2 and a dropped term, scaled to 1
    assert rows.n == 3 and rows.row.tolist() == [0, 0, 2] and rows.col.tolist() == [0, 1, 0]
    assert rows.val.tolist() == pytest.approx([1 / math.sqrt(2), 1 / math.sqrt(2), 1.0])
    none = weigh([], [], np.zeros(0))
    assert none.n == 0 and len(none.val) == 0


def test_idf_of_a_small_library_keeps_every_term():
    cols = [np.array([0, 1]), np.array([0]), np.array([0, 2])]
    idf = inverse_document_frequency(cols, 4)
    # ln((1 + n) / (1 + df)) + 1 with n = 3
    assert idf.tolist() == pytest.approx([math.log(4 / 4) + 1, math.log(4 / 2) + 1,
                                          math.log(4 / 2) + 1, math.log(4 / 1) + 1])
    assert inverse_document_frequency([], 3).tolist() == [0.0, 0.0, 0.0]


def test_idf_of_fifty_papers_drops_rare_and_everywhere_terms():
    # term 0 in every paper, 1 in one, 2 in exactly two, 3 in 25 (half), 4 in 26
    cols = [np.array(sorted({0} | ({1} if i == 0 else set()) | ({2} if i < 2 else set())
                            | ({3} if i < 25 else set()) | ({4} if i < 26 else set())))
            for i in range(50)]
    idf = inverse_document_frequency(cols, 5)
    assert idf[0] == 0.0 and idf[1] == 0.0 and idf[4] == 0.0
    assert idf[2] == pytest.approx(math.log(51 / 3) + 1) and idf[3] == pytest.approx(math.log(51 / 26) + 1)
    small = inverse_document_frequency(cols[:49], 5)  # 49 papers: nothing dropped
    assert small[1] == pytest.approx(math.log(50 / 2) + 1) and small[0] == pytest.approx(1.0)


def test_sigmoid_and_log_odds():
    assert sigmoid(np.array([0.0]))[0] == 0.5
    assert sigmoid(np.array([math.log(3.0)]))[0] == pytest.approx(0.75)
    assert log_odds(0.75) == pytest.approx(math.log(3.0))
    assert log_odds(0.5) == 0.0
