"""The user's own digits: samples kept from the window's corrections, and a model fine-tuned on them.

A person's handwriting differs from MNIST's writers in a few habits (a flagged 1, a crossed 7),
and a handful of corrections teaches the network those habits.  The window keeps each
corrected drawing here (:func:`keep`), one JSON file per sample, written atomically; Learn
(or ``main.py --fine-tune``) fine-tunes the model in use on them (:func:`fine_tune`): the
samples, distorted copies of them, and a replay of MNIST training digits, touching pairs and
pieces so that the rest is not forgotten, by L-BFGS-B from the model's own weights on the same
:class:`model.Objective`.  The result is saved beside the samples as an ordinary model folder
that records its base; the base model is never written to.

Layout of a personal folder (default ``weights/personal``)::

    samples/sample-<time>.json   label, the 28x28 form (0-255), the strokes and pen width
    model/                       Theta1.txt, Theta2.txt, model.json (base, samples, date)

What it leaves out: the samples are not checked for being digits, and learning starts from the
base model each time (never from a personal model), so it cannot drift.
"""

import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import numpy as np

import letters
import mnist
import thetas

DEFAULT_DIR = thetas.DEFAULT_DIR / "personal"
SAMPLES = "samples"
MODEL = "model"
# What a model without recorded settings was trained with: the article's.
ARTICLE_ROWS = 60000
ARTICLE_LAMBDA = 0.1
HELP = f"folder of your kept digits and the model learned from them (default: {DEFAULT_DIR})"


class PersonalError(ValueError):
    """A sample cannot be used, or there are none; the message is one line for the user."""


class Tuning(NamedTuple):
    """How a model is fine-tuned: ``copies`` distorted copies of each sample, a replay of
    ``replay`` MNIST training digits (each also distorted once) with ``pairs`` touching pairs,
    ``pieces`` pieces, ``negatives`` marks and ``letters`` real letters that are not digits,
    each when the base model was trained with them, ``maxiter`` L-BFGS-B iterations, and the
    ``seed`` of every random draw.  The values were chosen by bench/bench_personal.py
    (docs/experiments.md#personal)."""

    copies: int = 20
    replay: int = 20000
    pairs: int = 2000
    pieces: int = 4000
    negatives: int = 1000
    letters: int = 2000
    maxiter: int = 30
    seed: int = 0


# Samples ----------------------------------------------------------------------------------------

def samples_dir(folder=None):
    """Return the folder the samples live in."""
    return Path(folder if folder is not None else DEFAULT_DIR) / SAMPLES


def model_dir(folder=None):
    """Return the folder the personal model lives in."""
    return Path(folder if folder is not None else DEFAULT_DIR) / MODEL


def keep(folder, image, label, strokes=(), pen_width=None):
    """Keep one labelled drawing as a new sample file in ``folder``; return its path.

    ``image`` is its 28x28 form (784 values in [0, 1]), ``strokes`` lists of (x, y) points.
    Written to a temp file and renamed into place: a crash never leaves half a sample, and
    the samples kept before are never touched.
    """
    label = check_label(label)
    image = np.asarray(image, dtype=float).reshape(-1)
    if image.size != mnist.PIXELS:
        raise PersonalError(f"a sample must be 28x28, not {image.size} values")
    directory = samples_dir(folder)
    directory.mkdir(parents=True, exist_ok=True)
    record = {"label": label,
              "image": np.uint8(np.round(np.clip(image, 0, 1) * 255)).tolist(),
              "strokes": [[[int(x), int(y)] for x, y in stroke] for stroke in strokes],
              "pen_width": pen_width,
              "kept": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path = directory / f"sample-{time.time_ns()}.json"
    tmp = thetas.write_temp(path, lambda f: json.dump(record, f))
    os.replace(tmp, path)
    return path


def check_label(label):
    """Return ``label`` as an int 0-9; PersonalError otherwise."""
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label <= 9:
        raise PersonalError(f"label {label!r} is not a digit 0-9")
    return int(label)


def sample_paths(folder=None):
    """Return the sample files in ``folder``, oldest first."""
    directory = samples_dir(folder)
    return sorted(directory.glob("sample-*.json")) if directory.is_dir() else []


def load_samples(folder=None):
    """Return (images n x 784 float32 in [0, 1], labels n int) of every sample in ``folder``.

    PersonalError, naming the file, for a sample that is not valid JSON, not 28x28, or whose
    label is not a digit.
    """
    images, labels = [], []
    for path in sample_paths(folder):
        try:
            record = json.loads(path.read_text())
            pixels = np.asarray(record["image"], dtype=float)
            label = record["label"]
        except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError) as e:
            raise PersonalError(f"{path}: not a sample ({type(e).__name__}: {str(e).splitlines()[0]})") from None
        if pixels.shape != (mnist.PIXELS,) or not np.all((0 <= pixels) & (pixels <= 255)):
            raise PersonalError(f"{path}: the image must be 784 values 0-255 (28x28), not shape {pixels.shape}")
        try:
            labels.append(check_label(label))
        except PersonalError as e:
            raise PersonalError(f"{path}: {e}") from None
        images.append(pixels / 255)
    return np.array(images, dtype=np.float32).reshape(-1, mnist.PIXELS), np.array(labels, dtype=int)


# Learning ---------------------------------------------------------------------------------------

def samples_to_learn(folder):
    """Return :func:`load_samples`' (images, labels); PersonalError if there are none."""
    images, labels = load_samples(folder)
    if not len(images):
        raise PersonalError(f"no samples in {samples_dir(folder)}: correct a few drawings first "
                            "(type the right digit after a prediction)")
    return images, labels


def settings_of(info):
    """Return model.json's training settings ({} when it has none)."""
    settings = info.get("settings")
    return settings if isinstance(settings, dict) else {}


def base_rows(info):
    """Return how many rows the base model was trained on (model.json's settings), the scale of
    its ``lambda``: the article's 60,000 when it does not say."""
    settings = settings_of(info)
    digits = settings.get("training_examples", ARTICLE_ROWS)
    copies = 1 if settings.get("augment") else 0
    return int(digits * (1 + copies) + sum(settings.get(k, 0) for k in ("pieces", "pairs", "negatives", "letters")))


def fine_tune(network, images, labels, pixels, pixel_labels, tuning=Tuning(), callback=None):
    """Return (Theta1, Theta2, result): ``network``'s weights fine-tuned on the samples.

    ``images`` (n x 784 in [0, 1]) with ``labels`` are the user's samples; ``pixels`` (uint8,
    m x 784) and ``pixel_labels`` are MNIST training digits to replay.  The design holds the
    replay (digits, a distorted copy each, and touching pairs, pieces, marks and real letters
    if the base model was trained with them, so that it still says "not a digit" as calibrated),
    then the samples and their distorted copies.  Lambda is scaled to the design's size so that
    each weight is held back as much as in the base training.
    """
    # The optimizer and the training rows are loaded only to learn: the scan command looks up
    # personal models here and would start 0.36 s slower with SciPy's optimizer imported.
    from scipy.optimize import minimize

    from model import Objective, pack, unpack
    from synthetic import distort
    from training import Rows, build_design, single_threaded_optimizer_blas

    rng = np.random.default_rng([tuning.seed, 2])
    prep = network.preprocessing
    trained_on = settings_of(network.info)
    chosen = rng.choice(len(pixels), min(tuning.replay, len(pixels)), replace=False)
    rows = Rows(len(chosen), 1, *(getattr(tuning, k) if trained_on.get(k) else 0
                                  for k in ("pieces", "pairs", "negatives", "letters")))
    written = letters.load().part("train").only(letters.TRAINED).X if rows.letters else None
    replay = build_design(pixels[chosen], pixel_labels[chosen], rows, prep, rng, letters=written)
    own = np.repeat(np.asarray(images, dtype=np.float32), 1 + tuning.copies, axis=0)
    distorted = np.arange(len(own)) % (1 + tuning.copies) != 0
    own[distorted] = distort.distort(own[distorted], rng)
    own = prep.apply(own, in_place=True)
    design = np.concatenate([replay, np.column_stack([np.ones(len(own), np.float32), own])])
    y = np.concatenate([rows.labels(pixel_labels[chosen]), np.repeat(labels, 1 + tuning.copies)])
    lamb = float(trained_on.get("lambda", ARTICLE_LAMBDA)) * len(design) / base_rows(network.info)
    hidden = network.Theta1.shape[0]
    objective = Objective(design, y, hidden, mnist.NUM_CLASSES, lamb)
    with single_threaded_optimizer_blas():
        result = minimize(objective, pack(network.Theta1, network.Theta2), jac=True, method="L-BFGS-B",
                          options={"maxiter": tuning.maxiter}, callback=callback)
    Theta1, Theta2 = unpack(result.x, mnist.PIXELS, hidden, mnist.NUM_CLASSES)
    return Theta1, Theta2, result


def learn(folder, base, data=None, tuning=Tuning(), callback=None, out=None):
    """Fine-tune ``base`` (a :class:`thetas.Network`) on ``folder``'s samples and save the result
    in ``out`` (default: the folder's ``model/``); return the personal :class:`thetas.Network`.

    ``data`` is the MNIST set to replay (default: the bundled one).  PersonalError without samples.
    """
    images, labels = samples_to_learn(folder)
    if data is None:
        data = mnist.load(mnist.find_default_data())
    start = time.perf_counter()
    Theta1, Theta2, result = fine_tune(base, images, labels, data.X[:data.n_train], data.y[:data.n_train],
                                       tuning, callback)
    # The base's decision goes with the weights: the replay keeps the outputs it was calibrated on.
    info = {key: base.info[key] for key in ("preprocessing", "decision", "data_sha256") if key in base.info}
    info.update({"base_model": str(Path(base.directory).resolve()), "samples": int(len(images)),
                 "fine_tuning": {**tuning._asdict(), "iterations_run": int(result.nit),
                                 "seconds": round(time.perf_counter() - start, 1)},
                 "trained": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    out = Path(out) if out is not None else model_dir(folder)
    thetas.save_thetas(Theta1, Theta2, out, info)
    return thetas.load_network(out)


def personal_network(base, folder=None):
    """Return the personal model learned on ``base`` in ``folder``, or None if there is none
    (or it was learned on another base model, or cannot be read)."""
    directory = model_dir(folder)
    if not (directory / thetas.MODEL_NAME).is_file():
        return None
    try:
        network = thetas.load_network(directory)
    except thetas.ThetaError:
        return None
    if network.info.get("base_model") != str(Path(base.directory).resolve()):
        return None
    return network


def forget(folder=None, delete_samples=False):
    """Remove the personal model (the tools go back to the base model), and the samples if asked."""
    shutil.rmtree(model_dir(folder), ignore_errors=True)
    if delete_samples:
        for path in sample_paths(folder):
            path.unlink(missing_ok=True)


def describe(network, base):
    """Return the status line's words for a personal model: "personal (12 of your digits) on pretrained/"."""
    return f"personal ({network.info.get('samples', '?')} of your digits) on {thetas.folder_of(base)}"
