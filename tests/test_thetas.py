"""Saving and loading the weights files: atomic writes and clear errors."""

import numpy as np
import pytest

import thetas
from preprocess import MNIST_STROKE, Preprocessing
from thetas import ThetaError, load_thetas, save_thetas


def random_thetas(hidden=4, seed=0):
    """A Theta1 (hidden x 785) and Theta2 (10 x hidden+1) of random values."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(hidden, 785)), rng.normal(size=(10, hidden + 1))


def test_round_trip_is_exact(tmp_path):
    Theta1, Theta2 = random_thetas()
    save_thetas(Theta1, Theta2, tmp_path / "new")
    loaded1, loaded2 = load_thetas(tmp_path / "new")
    np.testing.assert_array_equal(loaded1, Theta1)
    np.testing.assert_array_equal(loaded2, Theta2)
    # The article's format: space-delimited text, one row per line.
    first_line = (tmp_path / "new" / "Theta1.txt").read_text().splitlines()[0]
    assert len(first_line.split(" ")) == 785


def test_failure_mid_write_leaves_old_file(tmp_path, monkeypatch):
    old1, old2 = random_thetas(seed=1)
    save_thetas(old1, old2, tmp_path)
    before = (tmp_path / "Theta1.txt").read_bytes()

    def half_then_crash(f, array):
        f.write("1.0 2.0 3")
        raise KeyboardInterrupt

    monkeypatch.setattr(thetas.np, "savetxt", half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        save_thetas(*random_thetas(seed=2), tmp_path)
    assert (tmp_path / "Theta1.txt").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Theta1.txt", "Theta2.txt", "model.json"]  # no temp left


def message_for(directory):
    """Return the one-line ThetaError message for loading ``directory``."""
    with pytest.raises(ThetaError) as info:
        load_thetas(directory)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_missing_weights_say_how_to_train(tmp_path):
    message = message_for(tmp_path)
    assert "Theta1.txt" in message and "not found" in message and "python main.py" in message


def test_wrong_shapes(tmp_path):
    Theta1, Theta2 = random_thetas(hidden=4)
    save_thetas(Theta1[:, :700], Theta2, tmp_path)
    assert "Theta1.txt" in message_for(tmp_path) and "4x700" in message_for(tmp_path)
    save_thetas(Theta1, Theta2[:, :3], tmp_path)
    message = message_for(tmp_path)
    assert "Theta2.txt" in message and "10x5" in message


def test_not_numbers_empty_and_nan(tmp_path):
    Theta1, Theta2 = random_thetas()
    save_thetas(Theta1, Theta2, tmp_path)
    (tmp_path / "Theta2.txt").write_text("hello world\n")
    assert "Theta2.txt" in message_for(tmp_path)
    (tmp_path / "Theta2.txt").write_text("")
    assert "empty" in message_for(tmp_path)
    Theta2[3, 3] = np.nan
    save_thetas(Theta1, Theta2, tmp_path)
    assert "NaN" in message_for(tmp_path)


def test_model_json_round_trip_and_missing(tmp_path):
    Theta1, Theta2 = random_thetas(hidden=4)
    save_thetas(Theta1, Theta2, tmp_path, {"preprocessing": {"deskew": True}, "seed": 3})
    network = thetas.load_network(tmp_path)
    assert network.preprocessing.deskew is True and network.info["seed"] == 3
    assert network.info["architecture"] == [784, 4, 10]
    (tmp_path / "model.json").unlink()
    assert thetas.load_network(tmp_path).preprocessing == Preprocessing()  # the article's: none


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    ('{"architecture": [784, 50, 10]}', "does not match"),
    ('{"preprocessing": {"deskew": "yes"}}', "deskew must be true or false"),
    ("[1, 2]", "JSON object"),
])
def test_bad_model_json(tmp_path, text, words):
    save_thetas(*random_thetas(hidden=4), tmp_path)
    (tmp_path / "model.json").write_text(text)
    with pytest.raises(ThetaError) as info:
        thetas.load_network(tmp_path)
    assert "model.json" in str(info.value) and words in str(info.value) and "\n" not in str(info.value)


def test_failure_on_second_file_leaves_the_whole_set(tmp_path, monkeypatch):
    save_thetas(*random_thetas(seed=1), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_savetxt = np.savetxt
    calls = []

    def fail_second_time(f, array):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_savetxt(f, array)

    monkeypatch.setattr(thetas.np, "savetxt", fail_second_time)
    with pytest.raises(OSError):
        save_thetas(*random_thetas(seed=2), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # Theta1 too, no temps


def test_deeply_nested_model_json_is_one_line(tmp_path):
    save_thetas(*random_thetas(), tmp_path)
    (tmp_path / "model.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ThetaError) as info:
        thetas.load_network(tmp_path)
    assert "model.json" in str(info.value) and "nested" in str(info.value) and "\n" not in str(info.value)


def test_tools_use_the_users_model_once_saved_else_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.setattr(thetas, "DEFAULT_DIR", tmp_path / "weights")
    assert thetas.default_dir() == thetas.PRETRAINED_DIR
    assert thetas.load_network().directory == thetas.PRETRAINED_DIR
    (tmp_path / "weights").mkdir()  # a folder alone (say with a trial/ inside) is not a model
    assert thetas.default_dir() == thetas.PRETRAINED_DIR
    save_thetas(*random_thetas(hidden=4), tmp_path / "weights", {"test_accuracy": 0.5})
    assert thetas.default_dir() == tmp_path / "weights"
    network = thetas.load_network()
    assert network.directory == tmp_path / "weights" and network.Theta1.shape == (4, 785)


def test_describe_says_folder_accuracy_and_date(tmp_path):
    save_thetas(*random_thetas(), tmp_path, {"test_accuracy": 0.98765, "trained": "2026-11-29T03:43:19+00:00"})
    described = thetas.describe(thetas.load_network(tmp_path))
    assert tmp_path.name in described and "98.77 % on MNIST's test set" in described
    assert "trained 2026-11-29" in described
    save_thetas(*random_thetas(), tmp_path)  # nothing recorded: said so, not invented
    described = thetas.describe(thetas.load_network(tmp_path))
    assert "test accuracy not recorded" in described and "training date not recorded" in described


def test_ctrl_c_while_renaming_replaces_the_whole_set_then_says_so(tmp_path, monkeypatch):
    import os
    import signal
    save_thetas(*random_thetas(seed=1), tmp_path)
    new1, new2 = random_thetas(seed=2)
    real_replace = os.replace

    def replace_with_ctrl_c(source, target):
        signal.raise_signal(signal.SIGINT)  # the user presses Ctrl-C mid-way through the renames
        real_replace(source, target)

    monkeypatch.setattr(thetas.os, "replace", replace_with_ctrl_c)
    with pytest.raises(thetas.SavedThenInterrupted):
        save_thetas(new1, new2, tmp_path)
    loaded1, loaded2 = load_thetas(tmp_path)
    np.testing.assert_array_equal(loaded1, new1)
    np.testing.assert_array_equal(loaded2, new2)


def test_stroke_width_in_model_json(tmp_path):
    save_thetas(*random_thetas(), tmp_path, {"preprocessing": {"deskew": True, "stroke_width": 0.138}})
    assert thetas.load_network(tmp_path).preprocessing.stroke == 0.138
    # Weights saved before the key existed read strokes as they are.
    save_thetas(*random_thetas(), tmp_path, {"preprocessing": {"deskew": True}})
    assert thetas.load_network(tmp_path).preprocessing.stroke is None
    # The shipped model was trained by --preset best, which records all three.
    shipped = thetas.load_network(thetas.PRETRAINED_DIR).preprocessing
    assert shipped == Preprocessing(deskew=True, recentre=True, stroke=MNIST_STROKE)
    for bad in ('"thin"', "0", "1.5", "true"):
        (tmp_path / "model.json").write_text('{"preprocessing": {"stroke_width": %s}}' % bad)
        with pytest.raises(ThetaError, match="stroke_width must be a number between 0 and 1"):
            thetas.load_network(tmp_path)
