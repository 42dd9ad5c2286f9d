"""End-to-end runs of main.py on slices of the bundled data."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import main
import mnist
import thetas
import training
from thetas import load_thetas

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA = ["--data", str(mnist.BUNDLED_DIR)]


@pytest.fixture(autouse=True)
def decoy_mat_in_current_folder(tmp_path_factory, monkeypatch):
    """Run every test from a folder holding a broken mnist-original.mat, as a user's might.

    The tests name their data, so a .mat a user put beside the project must not change them.
    """
    folder = tmp_path_factory.mktemp("cwd")
    (folder / "data").mkdir()
    for place in (folder, folder / "data"):
        (place / "mnist-original.mat").write_bytes(b"not the data the tests use")
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.slow
def test_training_on_a_slice_learns(tmp_path, capsys):
    status = main.main([*DATA, "--limit", "3000", "--maxiter", "60", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[0].startswith("Data: IDX files in")
    test_accuracy = float(re.search(r"Test set accuracy: ([\d.]+) %", out).group(1))
    assert test_accuracy > 85  # on all 10,000 test digits, none of them seen in training
    assert "confusion matrix" in out and "macro" in out
    Theta1, Theta2 = load_thetas(tmp_path)
    assert Theta1.shape == (100, 785) and Theta2.shape == (10, 101)


@pytest.mark.slow
def test_same_seed_same_weights(tmp_path):
    runs = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        main.main([*DATA, "--limit", "500", "--maxiter", "5", "--seed", str(seed), "--hidden", "20",
                   "--out", str(tmp_path / name)])
        runs[name] = (tmp_path / name / "Theta1.txt").read_bytes()
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_option_sets_the_products_precision(tmp_path, monkeypatch, capsys, dtype):
    seen = []
    real_objective = training.Objective

    def spy(design, *args):
        seen.append(design.dtype)
        return real_objective(design, *args)

    monkeypatch.setattr(training, "Objective", spy)
    assert main.main([*DATA, "--limit", "500", "--maxiter", "3", "--hidden", "10", "--dtype", dtype,
                      "--out", str(tmp_path)]) == 0
    assert seen == [np.dtype(dtype)]
    assert load_thetas(tmp_path)[0].shape == (10, 785)


def run_main(*args):
    """Run main.py as a user would; return the completed process."""
    return subprocess.run([sys.executable, str(PROJECT_DIR / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_help():
    result = run_main("--help")
    assert result.returncode == 0
    for option in ("--data", "--maxiter", "--lambda", "--hidden", "--seed", "--out", "--limit"):
        assert option in result.stdout
    assert "minute" in result.stdout  # how long a default run takes, before the user starts one


def test_missing_data_is_one_line_error(tmp_path):
    result = run_main("--data", str(tmp_path), "--out", str(tmp_path / "w"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not found" in result.stderr and "IDX files" in result.stderr
    assert not (tmp_path / "w").exists()


@pytest.mark.parametrize("bad, words", [
    (["--maxiter", "0"], "--maxiter: must be at least 1, got 0"),
    (["--lambda", "-1"], "--lambda: must be a number >= 0, got -1"),
    (["--lambda", "lots"], "--lambda: expected a number, got 'lots'"),
    (["--limit", "x"], "--limit: expected a whole number, got 'x'"),
    (["--seed", "-1"], "--seed: must be at least 0, got -1"),
    (["--hidden", "1.5"], "--hidden: expected a whole number, got '1.5'"),
])
def test_bad_options_are_refused_in_plain_words(bad, words):
    result = run_main(*bad)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.endswith(words) and "_" not in last.split(":", 1)[1]  # no internal names


def test_unusable_destinations_are_refused_before_loading_data(tmp_path):
    a_file = tmp_path / "weights.txt"
    a_file.write_text("not a folder")
    for args, words in ((["--out", a_file], "is a file, not a folder"),
                        (["--out", tmp_path / "w", "--report", a_file / "report"], "cannot be created"),
                        (["--preset", "best", "--out", a_file / "w"], "cannot be created")):
        result = run_main(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert words in result.stderr.strip().splitlines()[-1]
        assert "Data:" not in result.stdout  # refused before any loading or training
    assert not (tmp_path / "w").exists()


def interrupt(*args, **kwargs):
    """Stand-in for a function during which the user presses Ctrl-C."""
    raise KeyboardInterrupt


def saved_files(folder):
    """Return {name: bytes} of the files in ``folder``."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def earlier_model(tmp_path):
    """A folder holding a model saved by an earlier run; returns (folder, its files)."""
    folder = tmp_path / "w"
    thetas.save_thetas(np.zeros((3, 785)), np.zeros((10, 4)), folder, {"seed": 99})
    return folder, saved_files(folder)


@pytest.mark.slow
def test_ctrl_c_during_training_saves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(training, "minimize", interrupt)
    assert main.main([*DATA, "--limit", "100", "--out", str(tmp_path / "new")]) == 130
    assert "nothing saved" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["training", "evaluation"])
def test_ctrl_c_before_saving_leaves_earlier_files_untouched(earlier_model, monkeypatch, capsys, stage):
    folder, before = earlier_model
    monkeypatch.setattr(*((training, "minimize") if stage == "training" else (main, "predict")), interrupt)
    assert main.main([*DATA, "--limit", "100", "--maxiter", "2", "--hidden", "5", "--out", str(folder)]) == 130
    err = capsys.readouterr().err
    assert err.strip().startswith("interrupted: ") and err.count("\n") == 2
    assert ("nothing saved" if stage == "training" else "nothing was saved") in err
    assert saved_files(folder) == before


@pytest.mark.slow
def test_ctrl_c_during_the_report_says_the_weights_were_saved(earlier_model, monkeypatch, capsys):
    import report
    folder, before = earlier_model
    monkeypatch.setattr(report, "write_report", interrupt)
    assert main.main([*DATA, "--limit", "100", "--maxiter", "2", "--hidden", "5", "--out", str(folder),
                      "--report", str(folder / "report")]) == 130
    err = capsys.readouterr().err
    assert f"the weights were saved in {folder}" in err and "intact" not in err
    assert load_thetas(folder)[0].shape == (5, 785)  # the new model, not the earlier one


@pytest.mark.slow
def test_report_that_fails_says_the_weights_were_saved(tmp_path, monkeypatch, capsys):
    import report

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "r" / "cost.png"))

    monkeypatch.setattr(report, "write_report", disk_full)
    assert main.main([*DATA, "--limit", "100", "--maxiter", "2", "--hidden", "5", "--out", str(tmp_path / "w"),
                      "--report", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert f"the weights were saved in {tmp_path / 'w'}" in err
    assert load_thetas(tmp_path / "w")[0].shape == (5, 785)


@pytest.mark.slow
def test_quick_try_does_not_replace_the_model_the_tools_use(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(thetas, "DEFAULT_DIR", tmp_path / "weights")
    monkeypatch.setattr(thetas, "TRIAL_DIR", tmp_path / "weights" / "trial")
    assert thetas.default_dir() == thetas.PRETRAINED_DIR
    assert main.main([*DATA, "--limit", "200", "--maxiter", "2", "--hidden", "5"]) == 0
    out = capsys.readouterr().out
    assert load_thetas(tmp_path / "weights" / "trial")[0].shape == (5, 785)
    assert thetas.default_dir() == thetas.PRETRAINED_DIR  # still the shipped model
    assert f"still use {thetas.PRETRAINED_DIR}" in out and "--weights" in out
    # A quick try saved where the user asks becomes the tools' model, and main.py says so.
    assert main.main([*DATA, "--limit", "200", "--maxiter", "2", "--hidden", "5",
                      "--out", str(tmp_path / "weights")]) == 0
    assert thetas.default_dir() == tmp_path / "weights"
    assert "now use this model" in capsys.readouterr().out


@pytest.mark.slow
def test_deskew_model_travels_with_its_json(tmp_path, capsys):
    import preprocess
    from prediction import classify, load_network, predict_proba
    assert main.main([*DATA, "--limit", "800", "--maxiter", "15", "--deskew", "--out", str(tmp_path)]) == 0
    network = load_network(tmp_path)
    assert network.preprocessing.deskew is True
    assert network.info["settings"]["lambda"] == 0.1 and network.info["seed"] == 0
    assert len(network.info["data_sha256"]) == 64 and 0 < network.info["test_accuracy"] <= 1
    images = mnist.scale(mnist.load(mnist.BUNDLED_DIR).X[-200:])
    by_hand = predict_proba(network.Theta1, network.Theta2, preprocess.deskew(images))
    np.testing.assert_array_equal(classify(network, images), by_hand)
    assert not np.array_equal(by_hand, predict_proba(network.Theta1, network.Theta2, images))


@pytest.mark.slow
def test_report_pictures(tmp_path, capsys):
    from PIL import Image
    report = tmp_path / "report"
    assert main.main([*DATA, "--limit", "1000", "--maxiter", "12", "--hidden", "30", "--out", str(tmp_path),
                      "--report", str(report)]) == 0
    for name, smallest in (("cost.png", (300, 200)), ("confusion.png", (300, 300)), ("mistakes.png", (300, 100))):
        with Image.open(report / name) as image:
            image.verify()
            assert image.format == "PNG"
            assert image.size[0] >= smallest[0] and image.size[1] >= smallest[1]
    confusion = np.loadtxt(report / "confusion.csv", delimiter=",")
    assert confusion.shape == (10, 10) and confusion.sum() == 10000


def test_presets_fill_defaults_but_options_win():
    # The article's settings are the design's own numbers; best turns on what the README says.
    article = main.parse_args([])
    assert (article.lamb, article.maxiter, article.hidden, article.seed) == (0.1, 100, 100, 0)
    assert not (article.deskew or article.recentre or article.stroke_width or article.augment
                or article.pairs or article.pieces or article.report)
    assert article.out == str(thetas.DEFAULT_DIR)
    best = main.parse_args(["--preset", "best", "--out", "x"])
    assert best.deskew and best.recentre and best.stroke_width
    assert best.augment > 0 and best.pairs > 0 and best.pieces > 0 and best.maxiter > article.maxiter
    assert best.report == str(Path("x") / "report")
    mixed = main.parse_args(["--preset", "best", "--lambda", "2", "--no-deskew", "--maxiter", "7",
                             "--augment", "0", "--no-stroke-width"])
    assert (mixed.lamb, mixed.maxiter, mixed.deskew, mixed.augment, mixed.stroke_width) == (2.0, 7, False, 0, False)
    assert mixed.pairs == best.pairs  # what was not given still comes from the preset
    assert main.parse_args(["--deskew"]).deskew is True


@pytest.mark.slow
def test_augmented_training_is_repeatable_and_recorded(tmp_path, capsys):
    runs = {}
    for name in ("a", "b"):
        assert main.main([*DATA, "--limit", "300", "--maxiter", "6", "--hidden", "10", "--augment", "3",
                          "--deskew", "--recentre", "--stroke-width", "--out", str(tmp_path / name)]) == 0
        runs[name] = (tmp_path / name / "Theta1.txt").read_bytes()
    out = capsys.readouterr().out
    assert runs["a"] == runs["b"]
    assert "Distorting: a fresh copy of the 300 digits in each of 3 rounds" in out
    assert "(6 iterations," in out  # the rounds share the iterations asked for
    network = thetas.load_network(tmp_path / "a")
    assert network.preprocessing == (True, True, 0.138)
    assert network.info["settings"]["augment"] == 3 and network.info["settings"]["iterations_run"] == 6


def test_pieces_on_a_slice_missing_digits_is_one_line_and_nothing_saved(tmp_path, capsys):
    # A piece labelled d is cut from a training digit d: the first 5 examples lack most digits.
    status = main.main([*DATA, "--limit", "5", "--pieces", "20", "--maxiter", "2", "--out", str(tmp_path / "w")])
    err = capsys.readouterr().err.strip()
    assert status == 1 and "\n" not in err and "Traceback" not in err
    assert err.startswith("error: --pieces needs every digit") and "2, 3, 6, 7, 8" in err
    assert not (tmp_path / "w").exists()


def test_threshold_is_calibrated_on_digits_and_letters_kept_out(tmp_path, capsys, monkeypatch):
    calibrated = {}
    real_calibrate = main.calibrate

    def spy(Theta1, Theta2, pixels, held_out, prep, rng, real_letters=None):
        calibrated["pixels"], calibrated["held_out"] = pixels, held_out
        return real_calibrate(Theta1, Theta2, pixels, held_out, prep, rng, real_letters)

    monkeypatch.setattr(main, "calibrate", spy)
    assert main.main([*DATA, "--limit", "400", "--maxiter", "4", "--hidden", "10", "--negatives", "30",
                      "--letters", "40", "--held-out", "300", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Letters: 40 of 2258 real handwritten letters" in out
    data = mnist.load(mnist.BUNDLED_DIR)
    # The threshold was chosen on the last 300 training digits, which were not trained on.
    assert calibrated["held_out"] and np.array_equal(calibrated["pixels"], data.X[data.n_train - 300:data.n_train])
    network = thetas.load_network(tmp_path)
    assert network.info["settings"]["letters"] == 40 and network.info["settings"]["held_out"] == 300
    recorded = network.info["decision"]["calibrated_on"]
    assert "300 held-out training digits" in recorded and "held-out real letters" in recorded
    # The threshold is the quantile it says: that share of the distorted held-out digits fall under.
    from prediction import output_activations
    from synthetic import distort
    rng = np.random.default_rng([0, 2])
    digits = distort.distort(np.repeat(calibrated["pixels"], main.CALIBRATION_COPIES, axis=0), rng)
    largest = output_activations(network.Theta1, network.Theta2, digits).max(axis=1)
    under = np.mean(largest < network.decision.not_digit_below)
    assert abs(under - main.CALIBRATION_SHARE) <= 1 / len(largest) + 1e-4


def test_held_out_leaving_nothing_to_train_is_one_line(tmp_path, capsys):
    assert main.main([*DATA, "--held-out", "60000", "--out", str(tmp_path / "w")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --held-out 60000 leaves none") and "\n" not in err
