"""The user's own digits (personal.py): keeping samples, fine-tuning on them, Forget, and main.py --fine-tune."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import drawing
import personal
import preprocess
import thetas
from prediction import classify

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Small enough to fit in a second or two, large enough to learn one habit.
QUICK = personal.Tuning(copies=10, replay=4000, pairs=200, pieces=400, maxiter=25)


def flagged_ones(count, seed, stroke):
    """Return ``count`` drawings of a European 1 (a long flag, no base) in the window's 28x28
    form: a habit the shipped model reads as 7."""
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(count):
        x, top, flag = rng.uniform(150, 170), rng.uniform(30, 50), rng.uniform(95, 125)
        stroke_points = [(x - 85, flag), (x, top), (x + rng.uniform(-8, 8), rng.uniform(235, 255))]
        dense = [tuple(a + (b - a) * t) for a, b in zip(np.array(stroke_points[:-1]), np.array(stroke_points[1:]))
                 for t in np.linspace(0, 1, 12)]
        image = drawing.render_strokes([dense], width=int(rng.integers(16, 26)))
        images.append(preprocess.to_mnist(np.asarray(image), stroke).ravel())
    return np.array(images)


def test_keep_writes_one_file_per_sample_and_loads_them_back(tmp_path):
    image = np.linspace(0, 1, 784)
    first = personal.keep(tmp_path, image, 3, strokes=[[(1, 2), (3, 4)]], pen_width=23)
    personal.keep(tmp_path, image[::-1], 8)
    assert first.parent == tmp_path / "samples" and len(personal.sample_paths(tmp_path)) == 2
    record = json.loads(first.read_text())
    assert record["label"] == 3 and record["strokes"] == [[[1, 2], [3, 4]]] and record["pen_width"] == 23
    images, labels = personal.load_samples(tmp_path)
    assert labels.tolist() == [3, 8]
    np.testing.assert_allclose(images[0], image, atol=0.5 / 255)
    assert list(tmp_path.glob("samples/*.tmp")) == []


@pytest.mark.parametrize("label", [10, -1, "7", True])
def test_a_label_outside_0_9_is_refused(tmp_path, label):
    with pytest.raises(personal.PersonalError, match="not a digit 0-9"):
        personal.keep(tmp_path, np.zeros(784), label)
    assert personal.sample_paths(tmp_path) == []


def test_a_crash_while_keeping_leaves_the_samples_kept_before(tmp_path, monkeypatch):
    personal.keep(tmp_path, np.zeros(784), 1)
    before = {p: p.read_bytes() for p in personal.sample_paths(tmp_path)}

    def crash(record, f):
        f.write('{"label": 2, "ima')  # half a sample written, then the process dies
        raise KeyboardInterrupt
    monkeypatch.setattr(personal.json, "dump", crash)
    with pytest.raises(KeyboardInterrupt):
        personal.keep(tmp_path, np.ones(784), 2)
    assert {p: p.read_bytes() for p in personal.sample_paths(tmp_path)} == before
    assert sorted(p.name for p in (tmp_path / "samples").iterdir()) == [p.name for p in before]


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a sample"),
    (json.dumps({"label": 4, "image": [0] * 100}), "784 values"),
    (json.dumps({"label": 12, "image": [0] * 784}), "not a digit 0-9"),
    (json.dumps({"image": [0] * 784}), "not a sample"),
], ids=["not json", "wrong shape", "label 12", "no label"])
def test_a_bad_sample_file_is_named_in_one_line(tmp_path, content, message):
    (tmp_path / "samples").mkdir()
    bad = tmp_path / "samples" / "sample-1.json"
    bad.write_text(content)
    with pytest.raises(personal.PersonalError, match=message) as error:
        personal.load_samples(tmp_path)
    assert str(bad) in str(error.value) and "\n" not in str(error.value)


def test_fine_tuning_learns_a_habit_the_model_misreads(weights):
    stroke = weights.preprocessing.stroke
    corrections, fresh = flagged_ones(10, 1, stroke), flagged_ones(40, 2, stroke)
    before = np.mean(classify(weights, fresh).argmax(axis=1) == 1)
    assert before < 0.5  # the habit is misread: the test would prove nothing otherwise
    from mnist import BUNDLED_DIR, load
    data = load(BUNDLED_DIR)
    Theta1, Theta2, result = personal.fine_tune(weights, corrections, np.ones(10, int), data.X[:20000],
                                                data.y[:20000], QUICK)
    tuned = weights._replace(Theta1=Theta1, Theta2=Theta2)
    assert np.mean(classify(tuned, fresh).argmax(axis=1) == 1) >= 0.9
    # ... without forgetting the rest: the replayed digits' neighbours, MNIST test digits.
    test = data.X[data.n_train:data.n_train + 2000] / 255
    truth = data.y[data.n_train:data.n_train + 2000]
    base_right = np.mean(classify(weights, test).argmax(axis=1) == truth)
    assert np.mean(classify(tuned, test).argmax(axis=1) == truth) >= base_right - 0.01


def test_learn_saves_a_personal_model_on_its_base_and_forget_goes_back(weights, tmp_path):
    for image in flagged_ones(3, 3, weights.preprocessing.stroke):
        personal.keep(tmp_path, image, 1)
    with pytest.raises(personal.PersonalError, match="no samples"):
        personal.learn(tmp_path / "empty", weights, tuning=QUICK)
    learned = personal.learn(tmp_path, weights, tuning=QUICK._replace(maxiter=3))
    assert learned.directory == tmp_path / "model"
    assert learned.info["samples"] == 3 and learned.info["base_model"] == str(weights.directory.resolve())
    assert "trained" in learned.info and learned.preprocessing == weights.preprocessing
    assert personal.personal_network(weights, tmp_path).info == learned.info
    assert personal.describe(learned, weights).startswith("personal (3 of your digits) on pretrained")
    other_base = weights._replace(directory=tmp_path / "elsewhere")
    assert personal.personal_network(other_base, tmp_path) is None  # learned on another model
    assert (weights.directory / thetas.THETA1_NAME).stat().st_mtime < learned.directory.stat().st_mtime
    personal.forget(tmp_path)
    assert personal.personal_network(weights, tmp_path) is None and len(personal.sample_paths(tmp_path)) == 3
    personal.forget(tmp_path, delete_samples=True)
    assert personal.sample_paths(tmp_path) == []


def run_main(*args):
    """Run main.py as a user would."""
    return subprocess.run([sys.executable, str(PROJECT_DIR / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("content, message", [
    (None, "no samples in"),
    (json.dumps({"label": 4, "image": [0] * 100}), "784 values"),
    (json.dumps({"label": 11, "image": [0] * 784}), "label 11 is not a digit 0-9"),
], ids=["none", "wrong shape", "label 11"])
def test_fine_tune_command_refuses_bad_samples_in_one_line(tmp_path, content, message):
    (tmp_path / "samples").mkdir()
    if content is not None:
        (tmp_path / "samples" / "sample-1.json").write_text(content)
    result = run_main("--fine-tune", tmp_path, "--from", thetas.PRETRAINED_DIR)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "model").exists()


@pytest.mark.slow
def test_fine_tune_command_saves_the_model_where_the_tools_find_it(weights, tmp_path):
    for image in flagged_ones(10, 4, weights.preprocessing.stroke):
        personal.keep(tmp_path, image, 1)
    result = run_main("--fine-tune", tmp_path, "--from", thetas.PRETRAINED_DIR, "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "iteration   30/30" in result.stdout and "Saved" in result.stdout
    learned = personal.personal_network(weights, tmp_path)
    assert learned.info["samples"] == 10 and learned.info["fine_tuning"]["seed"] == 3
    assert np.mean(classify(learned, flagged_ones(20, 5, weights.preprocessing.stroke)).argmax(axis=1) == 1) >= 0.9
    verbose = subprocess.run([sys.executable, str(PROJECT_DIR / "recognise.py"), "--verbose", "--weights",
                              str(thetas.PRETRAINED_DIR), "--personal", str(tmp_path), "--json", "nothing.png"],
                             capture_output=True, text=True, timeout=120)
    assert "learned from 10 samples" in verbose.stderr and "personal (10 of your digits)" in verbose.stderr
