"""End-to-end runs of main.py on slices of the bundled data."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import main
from thetas import load_thetas

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_training_on_a_slice_learns(tmp_path, capsys):
    status = main.main(["--limit", "3000", "--maxiter", "60", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[0].startswith("Data: IDX files in")
    test_accuracy = float(re.search(r"Test set accuracy: ([\d.]+) %", out).group(1))
    assert test_accuracy > 85  # on all 10,000 test digits, none of them seen in training
    assert "confusion matrix" in out and "macro" in out
    Theta1, Theta2 = load_thetas(tmp_path)
    assert Theta1.shape == (100, 785) and Theta2.shape == (10, 101)


def test_same_seed_same_weights(tmp_path):
    runs = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        main.main(["--limit", "500", "--maxiter", "5", "--seed", str(seed), "--hidden", "20",
                   "--out", str(tmp_path / name)])
        runs[name] = (tmp_path / name / "Theta1.txt").read_bytes()
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]


def test_float64_option(tmp_path, capsys):
    assert main.main(["--limit", "500", "--maxiter", "3", "--hidden", "10", "--dtype", "float64",
                      "--out", str(tmp_path)]) == 0
    assert load_thetas(tmp_path)[0].shape == (10, 785)


def run_main(*args):
    """Run main.py as a user would; return the completed process."""
    return subprocess.run([sys.executable, str(PROJECT_DIR / "main.py"), *args],
                          capture_output=True, text=True, timeout=120)


def test_help():
    result = run_main("--help")
    assert result.returncode == 0
    for option in ("--data", "--maxiter", "--lambda", "--hidden", "--seed", "--out", "--limit"):
        assert option in result.stdout


def test_missing_data_is_one_line_error(tmp_path):
    result = run_main("--data", str(tmp_path), "--out", str(tmp_path / "w"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not found" in result.stderr and "--data" in result.stderr
    assert not (tmp_path / "w").exists()


@pytest.mark.parametrize("bad", [["--maxiter", "0"], ["--lambda", "-1"], ["--limit", "x"]])
def test_bad_options_are_refused(bad):
    result = run_main(*bad)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_ctrl_c_during_training_saves_nothing(tmp_path, monkeypatch, capsys):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(main, "minimize", interrupt)
    assert main.main(["--limit", "100", "--out", str(tmp_path / "w")]) == 130
    assert "nothing saved" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()


def test_deskew_model_travels_with_its_json(tmp_path, capsys):
    import mnist
    import preprocess
    from prediction import classify, load_network, predict_proba
    assert main.main(["--limit", "800", "--maxiter", "15", "--deskew", "--out", str(tmp_path)]) == 0
    network = load_network(tmp_path)
    assert network.deskew is True
    assert network.info["settings"]["lambda"] == 0.1 and network.info["seed"] == 0
    assert len(network.info["data_sha256"]) == 64 and 0 < network.info["test_accuracy"] <= 1
    images = mnist.scale(mnist.load(mnist.BUNDLED_DIR).X[-200:])
    by_hand = predict_proba(network.Theta1, network.Theta2, preprocess.deskew(images))
    np.testing.assert_array_equal(classify(network, images), by_hand)
    assert not np.array_equal(by_hand, predict_proba(network.Theta1, network.Theta2, images))


def test_report_pictures(tmp_path, capsys):
    from PIL import Image
    report = tmp_path / "report"
    assert main.main(["--limit", "1000", "--maxiter", "12", "--hidden", "30", "--out", str(tmp_path),
                      "--report", str(report)]) == 0
    for name, smallest in (("cost.png", (300, 200)), ("confusion.png", (300, 300)), ("mistakes.png", (300, 100))):
        with Image.open(report / name) as image:
            image.verify()
            assert image.format == "PNG"
            assert image.size[0] >= smallest[0] and image.size[1] >= smallest[1]
    confusion = np.loadtxt(report / "confusion.csv", delimiter=",")
    assert confusion.shape == (10, 10) and confusion.sum() == 10000


def test_presets_fill_defaults_but_options_win():
    best = main.parse_args(["--preset", "best", "--out", "x"])
    assert best.deskew is True and best.lamb == main.BEST_LAMBDA and best.report == str(Path("x") / "report")
    article = main.parse_args([])
    assert (article.lamb, article.maxiter, article.deskew, article.report) == (0.1, 100, False, None)
    assert main.parse_args(["--preset", "best", "--lambda", "2", "--no-deskew"]).lamb == 2.0
