"""The tools' decision on the network's outputs: not a digit, unsure, and models without one."""

import json
import shutil

import numpy as np
import pytest

import recognise
import scans
import thetas
from prediction import classify, judge, output_activations, prepare
from scan import annotate, segment
from synthetic import negatives
from thetas import PRETRAINED_DIR, Decision, ThetaError, load_network


@pytest.fixture(scope="module")
def network():
    return load_network(PRETRAINED_DIR)


@pytest.fixture(scope="module")
def digits():
    images, labels = scans.mnist_test_digits()
    return np.float32(images[:200].reshape(-1, 784)) / 255, labels[:200]


def with_decision(network, **values):
    """Return ``network`` judged by a Decision with ``values``."""
    return network._replace(decision=Decision(**values))


def test_a_model_without_a_decision_rejects_nothing_and_reads_as_before(network, digits, tmp_path):
    folder = tmp_path / "old"
    shutil.copytree(PRETRAINED_DIR, folder)
    info = json.loads((folder / "model.json").read_text())
    info.pop("decision", None)
    (folder / "model.json").write_text(json.dumps(info))
    old = load_network(folder)
    assert old.decision == Decision()
    judgement = judge(old, digits[0])
    assert not judgement.rejected.any()
    np.testing.assert_array_equal(judgement.labels, classify(old, digits[0]).argmax(axis=1))
    shares = judgement.probabilities.max(axis=1)
    np.testing.assert_array_equal(judgement.unsure, shares < thetas.LOW_CONFIDENCE)


def test_a_part_is_rejected_when_its_largest_output_is_under_the_threshold(network, digits):
    images = digits[0]
    largest = output_activations(network.Theta1, network.Theta2, prepare(network, images)).max(axis=1)
    threshold = float(np.median(largest))
    judgement = judge(with_decision(network, not_digit_below=threshold), images)
    np.testing.assert_array_equal(judgement.rejected, largest < threshold)
    assert 0 < judgement.rejected.sum() < len(images)
    assert not (judgement.rejected & judgement.unsure).any()  # a rejected part is not also "unsure"


def test_a_digit_is_unsure_when_its_two_best_are_close(network, digits):
    images = digits[0]
    shares = np.sort(classify(network, images), axis=1)
    judgement = judge(with_decision(network, unsure_below=0.0, unsure_ratio=0.01), images)
    np.testing.assert_array_equal(judgement.unsure, shares[:, -2] >= 0.01 * shares[:, -1])
    assert 0 < judgement.unsure.sum() < len(images)
    np.testing.assert_array_equal(judgement.runners_up, np.argsort(classify(network, images), axis=1)[:, -2])


@pytest.mark.parametrize("decision, message", [
    ([0.5], "decision must be a JSON object"),
    ({"not_digit_below": 2}, "decision.not_digit_below must be a number from 0 to 1"),
    ({"unsure_ratio": "high"}, "decision.unsure_ratio must be a number from 0 to 1"),
    ({"unsure_below": True}, "decision.unsure_below must be a number from 0 to 1"),
])
def test_a_bad_decision_in_model_json_is_one_line(tmp_path, decision, message):
    folder = tmp_path / "bad"
    shutil.copytree(PRETRAINED_DIR, folder)
    info = json.loads((folder / "model.json").read_text())
    info["decision"] = decision
    (folder / "model.json").write_text(json.dumps(info))
    with pytest.raises(ThetaError, match=message) as raised:
        load_network(folder)
    assert "\n" not in str(raised.value)


def page_of(digit_images, rng):
    """Return PNG bytes of a flat scan of the given 28x28 uint8 frames."""
    page, alpha = scans.write_number(list(digit_images), rng)
    data, _ = scans.as_file(page, alpha, "L", rng)
    return data


def test_the_scan_command_leaves_rejected_parts_out_and_marks_unsure_digits(network, digits, tmp_path, capsys):
    rng = np.random.default_rng(3)
    images, labels = scans.mnist_test_digits()
    path = tmp_path / "page.png"
    path.write_bytes(page_of(images[:4], rng))
    reading = segment.read_page(path, network)
    assert len(reading.digits) == 4
    everything_rejected = reading._replace(judgement=judge(with_decision(network, not_digit_below=1.0),
                                                          np.stack([d.image.ravel() for d in reading.digits])))
    assert recognise.describe(path, everything_rejected) == f"{path}: no digits found (4 marks not digits)"
    described = json.loads(recognise.describe(path, everything_rejected, as_json=True))
    assert described["lines"] == [] and len(described["rejected"]) == 4
    assert described["rejected"][0]["box"] == list(reading.digits[0].box)
    # One part rejected, the others unsure: the text skips it and marks the rest.
    judgement = reading.judgement
    rejected = np.array([False, True, False, False])
    unsure = ~rejected
    mixed = reading._replace(judgement=judgement._replace(rejected=rejected, unsure=unsure))
    read = judgement.labels
    text = f"{read[0]}?{read[2]}?{read[3]}?"
    assert recognise.describe(path, mixed).startswith(f"{path}: {text}  (")
    described = json.loads(recognise.describe(path, mixed, as_json=True))
    assert described["lines"][0]["text"] == text
    assert [d["unsure"] for d in described["lines"][0]["numbers"][0]["digits"]] == [True] * 3
    assert mixed.texts() == ["".join(str(d) for d in read[[0, 2, 3]])]


def read_test_digits(network, folder, count):
    """Write a page of the first ``count`` MNIST test digits in ``folder``; return (path, its reading)."""
    images, _ = scans.mnist_test_digits()
    path = folder / "page.png"
    path.write_bytes(page_of(images[:count], np.random.default_rng(4)))
    return path, segment.read_page(path, network)


def test_annotate_draws_rejected_parts_in_grey(network, tmp_path):
    path, reading = read_test_digits(network, tmp_path, 2)
    rejected = reading._replace(judgement=reading.judgement._replace(rejected=np.array([True, False])))
    picture = annotate.draw_reading(annotate.load_picture(path), rejected.digits, rejected.judgement)
    left, top, right, bottom = reading.digits[0].box
    edge = np.asarray(picture)[top, left:right]
    assert (np.abs(edge.astype(int) - annotate.REJECTED_COLOUR).sum(axis=1) < 10).mean() > 0.8
    left, top, right, bottom = reading.digits[1].box
    edge = np.asarray(picture)[top, left:right]
    assert (np.abs(edge.astype(int) - annotate.REJECTED_COLOUR).sum(axis=1) < 10).mean() < 0.2


def test_annotate_frames_a_word_left_out_in_grey(network, tmp_path):
    path, reading = read_test_digits(network, tmp_path, 3)
    assert len({d.number for d in reading.digits}) == 1 and len(reading.digits) == 3  # one number
    word = reading.judgement._replace(rejected=np.ones(3, bool))
    (left, top, right, bottom), = segment.left_out_words(reading.digits, word)
    assert (left, right) == (reading.digits[0].box[0], reading.digits[2].box[2])
    picture = np.asarray(annotate.draw_reading(annotate.load_picture(path), reading.digits, word))
    grey = np.abs(picture.astype(int) - annotate.REJECTED_COLOUR).sum(axis=2) < 10
    # The frame runs a little outside the word's box, along its whole width.
    assert grey[top - 8:top, left:right].any(axis=0).mean() > 0.9


def test_negatives_are_marks_framed_as_parts_and_reproducible():
    first = negatives.negatives(40, np.random.default_rng(0), 0.138)
    again = negatives.negatives(40, np.random.default_rng(0), 0.138)
    np.testing.assert_array_equal(first, again)
    assert first.shape == (40, 784) and first.dtype == np.float32
    assert 0 <= first.min() and first.max() <= 1
    images = first.reshape(-1, 28, 28)
    inked = images > 0.2
    extent = np.maximum(inked.any(axis=2).sum(axis=1), inked.any(axis=1).sum(axis=1))
    assert (extent >= 12).all()  # scaled up as to_mnist frames a part, whatever its size drawn
    centre = np.einsum("nij,i->n", images, np.arange(28)) / images.sum(axis=(1, 2))
    assert (np.abs(centre - 13.5) < 4).all()  # centred by mass, then shifted a little


def test_the_letters_trained_on_leave_out_the_ones_a_digit_can_look_like():
    assert not set(negatives.LETTERS) & set("0123456789OoQDIlijZzSsBbGgq|/!")


def test_a_number_mostly_of_marks_that_are_not_digits_is_a_word_left_out_whole():
    digits = [segment.Digit(np.zeros((28, 28)), (10 * i, 0, 10 * i + 8, 10), line, number)
              for i, (line, number) in enumerate([(0, 0), (0, 0), (0, 0), (0, 1), (0, 1), (1, 0)])]
    rejected = np.array([True, True, False, True, False, False])  # a word; "-5"; a digit alone
    judgement = judge_of(rejected, unsure=[False] * 6)
    left_out = segment.words_left_out(digits, judgement)
    np.testing.assert_array_equal(left_out.rejected, [True, True, True, True, False, False])
    assert segment.left_out_words(digits, left_out) == [(0, 0, 28, 10)]


def test_two_rejected_parts_make_a_word_however_long():
    # "EVALUATION" with 3 of its 10 letters rejected: real digits are rejected 1 time in 200.
    digits = [segment.Digit(np.zeros((28, 28)), (10 * i, 0, 10 * i + 8, 10), 0, 0) for i in range(10)]
    for rejected, word in (([True, True] + [False] * 8, True), ([True] + [False] * 9, False)):
        left_out = segment.words_left_out(digits, judge_of(rejected, unsure=[False] * 10))
        assert left_out.rejected.all() == word and left_out.rejected.any()


def test_sure_digits_standing_apart_at_a_words_end_are_read():
    # F, Z (both rejected), then 4 and 2: one number by the gaps, two rejected, so a word.
    lefts = {"apart": [0, 30, 60, 75], "evenly": [0, 15, 30, 45]}  # 10-wide parts
    for spacing, read in (("apart", [False, False]), ("evenly", [True, True])):
        digits = [segment.Digit(np.zeros((28, 28)), (x, 0, x + 10, 20), 0, 0) for x in lefts[spacing]]
        left_out = segment.words_left_out(digits, judge_of([True, True, False, False], unsure=[False] * 4))
        assert list(left_out.rejected) == [True, True] + read, spacing
    # An unsure digit is not a sure run: it goes with the word.
    digits = [segment.Digit(np.zeros((28, 28)), (x, 0, x + 10, 20), 0, 0) for x in lefts["apart"]]
    left_out = segment.words_left_out(digits, judge_of([True, True, False, False], unsure=[False, False, True, False]))
    assert left_out.rejected.all()


def test_in_a_line_of_text_only_numbers_of_sure_digits_are_read():
    # "Room 42 ok 7": a word (3 of 4 rejected), "42" sure, "ok" (one letter passes, unsure), "7" unsure.
    # Most of the line is letters, so it is text: "ok" and the unsure 7 go, 42 stays.
    places = [(0, 0)] * 4 + [(0, 1)] * 2 + [(0, 2)] * 2 + [(0, 3)] + [(1, 0)]
    digits = [segment.Digit(np.zeros((28, 28)), (10 * i, 0, 10 * i + 8, 10), line, number)
              for i, (line, number) in enumerate(places)]
    rejected = [True, True, False, True, False, False, True, False, False, False]
    unsure = [False, False, False, False, False, False, False, True, True, True]
    left_out = segment.words_left_out(digits, judge_of(rejected, unsure))
    np.testing.assert_array_equal(left_out.rejected, [True] * 4 + [False] * 2 + [True] * 3 + [False])
    # The line below is not text: its unsure digit is read, marked unsure.
    assert left_out.unsure[-1] and not left_out.rejected[-1]


def judge_of(rejected, unsure=None):
    """Return a Judgement of len(rejected) parts, every one unsure unless rejected or ``unsure`` says."""
    n = len(rejected)
    unsure = ~np.array(rejected) if unsure is None else np.array(unsure) & ~np.array(rejected)
    return segment.Judgement(np.full((n, 10), 0.1), np.array(rejected), unsure)


def test_a_word_of_real_letters_is_left_out_and_the_number_after_it_read(network):
    # Four real letters kept out of training (three the network rejects alone, one it takes for
    # a digit), then a gap and two MNIST test digits, scanned: the word goes whole, the number
    # stays.  How often letters are rejected is bench_reject.py's business; this is the page's
    # logic, so the letters are ones no wider than tall, which are never cut into pieces.
    import io

    import letters
    kept_out = letters.load().part("final").only(letters.NO_DIGIT_SHAPE)
    inked = kept_out.X.reshape(-1, 28, 28) > 64
    narrow = inked.any(axis=1).sum(axis=1) <= inked.any(axis=2).sum(axis=1)
    rejected = judge(network, kept_out.X / 255.0).rejected
    chosen = list(np.flatnonzero(rejected & narrow)[:3]) + [int(np.flatnonzero(~rejected & narrow)[0])]
    images, labels = scans.mnist_test_digits()
    frames = np.array([kept_out.X[i].reshape(28, 28) for i in chosen] + [images[0], images[1]])
    rng = np.random.default_rng(3)
    page, alpha = scans.write_number(frames, rng, breaks=(4,))
    data, _ = scans.as_file(page, alpha, "L", rng)
    reading = segment.read_page(io.BytesIO(data), network)
    assert reading.texts() == [f"{labels[0]}{labels[1]}"]
    words = segment.left_out_words(reading.digits, reading.judgement)
    assert len(words) == 1 and words[0][2] < min(d.box[0] for d in reading.digits if d.number == 1)
