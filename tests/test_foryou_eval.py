"""Offline evaluation of the for-you ranking against recency, on labelled realistic papers."""

from __future__ import annotations

from triage_eval import evaluate


def test_for_you_beats_recency_on_a_mixed_digest_and_suggests_the_right_tags(tmp_path):
    res = evaluate(tmp_path / "lib")
    # A third of the digest is from the liked categories: recency finds them by chance.
    assert 0.2 < res["digest_liked_share"] < 0.45
    assert res["digest_p10_for_you"] >= 0.9
    assert res["digest_p10_for_you"] >= res["digest_p10_recency"] + 0.3
    assert res["queue_p10_for_you"] >= 0.9
    assert res["queue_p10_for_you"] >= res["queue_p10_recency"] + 0.3
    assert res["tags_top3"] >= 0.8
    # The narrower reader (two sub-topics inside categories that share their words).
    assert res["fine_digest_p10_for_you"] >= 0.6
    assert res["fine_digest_p10_for_you"] >= res["fine_digest_p10_recency"] + 0.4
