"""Train the 784-100-10 sigmoid network on MNIST, report its accuracy and save its weights.

The article's settings are the defaults (``--preset article``): weights uniform in
[-0.15, 0.15], lambda 0.1, 100 iterations of L-BFGS-B, the first 60,000 examples to train and
the last 10,000 to test.  ``--preset best`` trains the same network on deskewed, recentred
digits with more regularisation and iterations, in rounds of fresh distortions, touching
pairs and pieces cut from them (for the scan command's cutting) and marks that are not
digits (so the tools can say so), by default with 300 hidden units, and records stroke-width
normalisation for the tools.  The fitting itself is :mod:`training`'s; run
``python main.py --help`` for the options.  What it leaves out: a validation split (the
test set is only scored, never used to choose) and any kind of network but this one.
"""

import argparse
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

import letters
import mnist
import personal
import preprocess
import thetas
from evaluation import accuracy, format_report
from prediction import output_activations, predict
from synthetic import distort
from preprocess import Preprocessing
from training import Fit, Rows, build_design, train_in_rounds


# Each preset fills in the options the user did not give.  "best"'s values were chosen on
# held-out training digits and the benchmark sets: see docs/experiments.md#best-preset.
BEST_LAMBDA = 3.0
BEST_MAXITER = 800
BEST_AUGMENT = 8  # rounds, each with fresh distortions
BEST_PAIRS = 6000  # touching pairs per round, "no digit"
BEST_PIECES = 12000  # pieces cut from touching pairs per round
BEST_NEGATIVES = 12000  # marks that are not digits per round, "no digit"
BEST_HIDDEN = 300  # hidden units of the shipped reader (docs/experiments.md#not-a-digit)
BEST_LETTERS = 12000  # real handwritten letters per round, "no digit" (docs/experiments.md, "Real letters")
BEST_HELD_OUT = 5000  # training digits kept out of training to choose the threshold on
# A model trained with negatives records the tools' decision (thetas.Decision): a part is not a
# digit when its largest output is under the value that CALIBRATION_SHARE of held-out training
# digits, each distorted CALIBRATION_COPIES times, fall under; distorted digits are harder than
# MNIST's test set, as hard as real writers'.  (With no digits held out: CALIBRATION_DIGITS of
# the trained ones.)  A digit is unsure below UNSURE_BELOW of the normalised confidence, or with
# a runner-up at UNSURE_RATIO of it (docs/experiments.md#not-a-digit).
CALIBRATION_SHARE = 0.005
CALIBRATION_DIGITS = 10000
CALIBRATION_COPIES = 2
UNSURE_BELOW = 0.6
UNSURE_RATIO = 0.5
PRESETS = {
    "article": {"lamb": 0.1, "maxiter": 100, "deskew": False, "recentre": False, "augment": 0,
                "stroke_width": False, "pairs": 0, "pieces": 0, "negatives": 0, "hidden": 100,
                "letters": 0, "held_out": 0},
    "best": {"lamb": BEST_LAMBDA, "maxiter": BEST_MAXITER, "deskew": True, "recentre": True,
             "augment": BEST_AUGMENT, "stroke_width": True, "pairs": BEST_PAIRS,
             "pieces": BEST_PIECES, "negatives": BEST_NEGATIVES, "hidden": BEST_HIDDEN,
             "letters": BEST_LETTERS, "held_out": BEST_HELD_OUT},
}


def parse_args(argv=None):
    """Parse the command line into an argparse Namespace, with the preset's defaults filled in.

    Where the model and the report will be written is checked here, before any data is
    loaded: a mistake there should not cost a whole training run.
    """
    parser = argparse.ArgumentParser(
        description="Train the handwritten digit network on MNIST and save Theta1.txt, Theta2.txt "
                    "and model.json.  With no options: the article's 784-100-10 network, under a "
                    "minute on 2 cores; --preset best takes about 20 minutes and 1.5 GB.")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="article",
                        help="article: the article's settings (default); best: deskewed digits, "
                             f"lambda {BEST_LAMBDA}, {BEST_MAXITER} iterations, {BEST_AUGMENT} rounds of "
                             "distorted copies, touching pairs as \"no digit\", pieces cut from them, "
                             f"marks that are not digits, {BEST_HIDDEN} hidden units, stroke-width "
                             "normalisation, and a report")
    parser.add_argument("--data", metavar="PATH",
                        help="a folder of MNIST IDX files (gzipped or not) or a mnist-original.mat file "
                             "(default: mnist-original.mat in the current folder or data/ if present, "
                             "else the bundled IDX files in data/)")
    parser.add_argument("--maxiter", type=positive_int, metavar="N",
                        help="L-BFGS-B iterations (default: the preset's, 100 for article)")
    parser.add_argument("--lambda", dest="lamb", type=non_negative_float, metavar="L",
                        help="L2 regularisation strength (default: the preset's, 0.1 for article)")
    parser.add_argument("--deskew", action=argparse.BooleanOptionalAction,
                        help="shear each digit upright by its moments, in training and prediction "
                             "(default: the preset's, off for article)")
    parser.add_argument("--recentre", action=argparse.BooleanOptionalAction,
                        help="with --deskew, also move each digit's centre of mass to exactly "
                             "(14, 14), sub-pixel (default: the preset's, off for article)")
    parser.add_argument("--augment", type=non_negative_int, metavar="R",
                        help="train in R rounds that share the iterations, each on the digits plus a "
                             "fresh distorted copy of every one (turned, slanted, elastically bent, "
                             "thinner or thicker pen), starting from the last round's weights; 0: "
                             f"no distortions (default: the preset's, 0 for article, {BEST_AUGMENT} "
                             "for best)")
    parser.add_argument("--stroke-width", action=argparse.BooleanOptionalAction,
                        help="have the window and the scan command grow strokes thinner than MNIST's "
                             "typical width before predicting; recorded in model.json (default: the "
                             "preset's, off for article)")
    parser.add_argument("--pairs", type=non_negative_int, metavar="N",
                        help="also train on N images of two training digits touching, with every output "
                             "0 (\"no digit\"), fresh each round, so that the scan command can tell a "
                             "blot of touching digits from one digit (default: the preset's, 0 for "
                             f"article, {BEST_PAIRS} for best)")
    parser.add_argument("--pieces", type=non_negative_int, metavar="N",
                        help="also train on N pieces cut from touching pairs, fresh each round: half "
                             "a digit whole with a sliver of its neighbour (read as that digit), half "
                             "a digit with much of its neighbour (\"no digit\"), as the scan command's "
                             "cuts make them (default: the preset's, 0 for article, "
                             f"{BEST_PIECES} for best)")
    parser.add_argument("--negatives", type=non_negative_int, metavar="N",
                        help="also train on N marks that are not digits (letters in non-handwriting "
                             "fonts, scribbles, dots and dashes, strokes of rules and boxes), fresh each "
                             "round, with every output 0, so that the tools can say \"not a digit\" "
                             f"(default: the preset's, 0 for article, {BEST_NEGATIVES} for best)")
    parser.add_argument("--letters", type=non_negative_int, metavar="N",
                        help="also train on N real handwritten capital letters (data/letters.npz, all "
                             "but those a digit's shape can take), distorted afresh each round, with every "
                             "output 0 "
                             f"(default: the preset's, 0 for article, {BEST_LETTERS} for best)")
    parser.add_argument("--held-out", type=non_negative_int, metavar="N",
                        help="keep the last N training digits out of training; with --negatives or "
                             "--letters the \"not a digit\" threshold is chosen on them and on the "
                             "letters kept out (default: the preset's, 0 for article, "
                             f"{BEST_HELD_OUT} for best)")
    parser.add_argument("--hidden", type=positive_int, metavar="H",
                        help=f"hidden units (default: the preset's, 100 for article, {BEST_HIDDEN} for best)")
    parser.add_argument("--seed", type=non_negative_int, default=0, metavar="S",
                        help="seed of the initial weights, a whole number >= 0; the same seed gives "
                             "the same weights (default: 0)")
    parser.add_argument("--out", metavar="DIR",
                        help=f"where to save Theta1.txt, Theta2.txt and model.json (default: "
                             f"{thetas.DEFAULT_DIR}, where gui.py and recognise.py look; with --limit, "
                             f"{thetas.TRIAL_DIR}, where they do not)")
    parser.add_argument("--report", metavar="DIR",
                        help="write PNG pictures of the training: cost per iteration, confusion matrix, "
                             "misclassified test digits (default for --preset best: OUT/report)")
    parser.add_argument("--limit", type=positive_int, metavar="N",
                        help="train on the first N training examples only, for a quick try; saved "
                             "apart from the model the tools use unless --out is given")
    parser.add_argument("--fine-tune", metavar="PERSONAL",
                        help="instead of training from scratch, fine-tune the model --from names on the "
                             "samples kept in PERSONAL/samples (as the window's Learn does, a few seconds) "
                             "and save it in --out (default: PERSONAL/model, where the tools look)")
    parser.add_argument("--from", dest="base", metavar="DIR",
                        help="with --fine-tune: the model to start from (default: the one the tools use, "
                             f"{thetas.default_dir().name}/ now)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                        help="precision of the matrix products (default: float32, half the memory "
                             "and about twice as fast; the optimizer always works in float64)")
    args = parser.parse_args(argv)
    for name, value in PRESETS[args.preset].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.base is not None and args.fine_tune is None:
        parser.error("--from goes with --fine-tune PERSONAL")
    if args.out is None and args.fine_tune is not None:
        args.out = str(personal.model_dir(args.fine_tune))
    if args.out is None:
        args.out = str(thetas.DEFAULT_DIR if args.limit is None else thetas.TRIAL_DIR)
    if args.report is None and args.preset == "best":
        args.report = str(Path(args.out) / "report")
    for option, folder in (("--out", args.out), ("--report", args.report)):
        problem = folder and folder_problem(folder)
        if problem:
            parser.error(f"{option} {folder}: {problem}")
    return args


def folder_problem(path):
    """Return why a folder cannot be created or written at ``path``, or None if it can.

    Nothing is created: a run that fails or is interrupted before saving leaves no trace.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        return "is a file, not a folder"
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"cannot be created: {existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write in {existing}: permission denied"
    return None


def positive_int(text):
    """argparse type for a whole number >= 1 (its name appears in argparse's messages)."""
    return _whole_number(text, 1)


def non_negative_int(text):
    """argparse type for a whole number >= 0."""
    return _whole_number(text, 0)


def _whole_number(text, smallest):
    """Return ``text`` as an int >= ``smallest``, or raise argparse's error with a plain message."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < smallest:
        raise argparse.ArgumentTypeError(f"must be at least {smallest}, got {value}")
    return value


def non_negative_float(text):
    """argparse type for a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a number >= 0, got {text}")
    return value


class Progress:
    """Prints one line per iteration on a terminal, one every ``every`` iterations otherwise."""

    def __init__(self, maxiter, stream=None, every=None):
        self.maxiter = maxiter
        self.stream = stream = stream or sys.stdout
        self.every = every or (1 if stream.isatty() else 10)
        self.start = time.perf_counter()
        self.iteration = 0
        self.costs = []  # cost after each iteration, for the report

    def __call__(self, intermediate_result):
        """The optimizer's callback: report the iteration just finished."""
        self.iteration += 1
        self.costs.append(float(intermediate_result.fun))
        i = self.iteration
        if i % self.every and i != self.maxiter:
            return
        elapsed = time.perf_counter() - self.start
        per_iteration = elapsed / i
        eta = per_iteration * (self.maxiter - i)
        print(f"iteration {i:>4}/{self.maxiter}  cost {intermediate_result.fun:.6f}  "
              f"{per_iteration:.2f} s/iteration  ETA {eta:.0f} s", file=self.stream, flush=True)


def main(argv=None):
    """Load, train, evaluate, save and report; return the process exit status.

    Ctrl-C at any point stops with one line that says what was and was not saved.
    """
    args = parse_args(argv)
    if args.fine_tune is not None:
        return fine_tune(args)
    dtype = np.dtype(args.dtype).type
    stage = "training stopped, nothing saved"
    try:
        data_path = args.data if args.data is not None else mnist.find_default_data()
        data = mnist.load(data_path)
        print(f"Data: {data.source} ({len(data.X)} examples)", flush=True)
        checksum = mnist.checksum(data)
        if args.held_out >= data.n_train:
            print(f"error: --held-out {args.held_out} leaves none of the {data.n_train} training "
                  f"examples to train on", file=sys.stderr)
            return 1
        trainable = data.n_train - args.held_out  # the held-out digits are the last ones
        n_train = trainable if args.limit is None else min(args.limit, trainable)
        missing = sorted(set(range(mnist.NUM_CLASSES)) - set(data.y[:n_train].tolist())) if args.pieces else []
        if missing:  # a piece labelled d is cut from a training digit d
            print(f"error: --pieces needs every digit among the training examples; the first {n_train} "
                  f"have no {', '.join(map(str, missing))} (use --pieces 0 or a larger --limit)",
                  file=sys.stderr)
            return 1
        prep = preprocessing(args)
        real_letters = letters.load() if args.letters or (args.negatives and args.held_out) else None
        letter_pixels = real_letters.part("train").only(letters.TRAINED).X if args.letters else None
        rows = Rows(n_train, 1 if args.augment else 0, args.pieces, args.pairs, args.negatives, args.letters)
        fit = Fit(args.hidden, args.lamb, args.maxiter, args.augment, args.seed)
        each_round = " in each round" if args.augment else ""
        if args.augment:
            print(f"Distorting: a fresh copy of the {n_train} digits in each of {args.augment} rounds",
                  flush=True)
        if args.pairs:
            print(f"Pairing: {args.pairs} touching pairs of digits as \"no digit\"{each_round}", flush=True)
        if args.pieces:
            print(f"Cutting: {args.pieces} pieces of touching pairs, half of them \"no digit\"{each_round}",
                  flush=True)
        if args.negatives:
            print(f"Drawing: {args.negatives} marks that are not digits, as \"no digit\"{each_round}",
                  flush=True)
        if args.letters:
            print(f"Letters: {args.letters} of {len(letter_pixels)} real handwritten letters, as "
                  f"\"no digit\"{each_round}", flush=True)
        # The distortions have their own generator, apart from the initial weights' stream.
        rng = np.random.default_rng([args.seed, 1])
        design = build_design(data.X[:n_train], data.y[:n_train], rows, prep, rng, dtype, letter_pixels)
        y_train = data.y[:n_train].copy()
        # Only the rounds of distortions need the raw training pixels; keep the test pixels as
        # uint8 until training is over: peak memory is reached in training.
        train_pixels = data.X[:n_train] if args.augment else None  # pairs and pieces too come from them
        says_not_digit = bool(args.negatives or args.letters)
        if args.held_out:
            calibration_pixels = data.X[trainable:data.n_train].copy() if says_not_digit else None
        else:
            calibration_pixels = data.X[:n_train] if says_not_digit else None
        test_pixels, y_test = data.X[data.n_train:].copy(), data.y[data.n_train:]
        del data
        deskew = ("deskew on, recentred" if prep.recentre else "deskew on") if prep.deskew else "deskew off"
        rounds = f", {args.augment} rounds of distortions" if args.augment else ""
        print(f"Training a 784-{args.hidden}-10 network on {n_train} examples ({args.preset} preset: "
              f"lambda {args.lamb}, {args.maxiter} iterations, {deskew}{rounds}, seed {args.seed}, "
              f"{args.dtype})", flush=True)
        start = time.perf_counter()
        progress = Progress(args.maxiter)
        Theta1, Theta2, iterations, evaluations, result = train_in_rounds(
            design, rows, y_train, fit, prep, train_pixels, rng, callback=progress, letters=letter_pixels)
        del train_pixels
        seconds = time.perf_counter() - start
        stage = "training finished, but nothing was saved"
        print(f"Optimizer: {result.message} ({iterations} iterations, {evaluations} evaluations, "
              f"{seconds:.1f} s)")
        if result.status not in (0, 1):  # 1 is the iteration limit we asked for
            print(f"warning: L-BFGS-B stopped abnormally: {result.message}", file=sys.stderr)
        # Training accuracy on the digits themselves, not their distorted copies.
        test_pred, test_accuracy = evaluate(Theta1, Theta2, design[:n_train, 1:], y_train, test_pixels,
                                            y_test, prep, dtype)

        info = model_info(args, n_train, iterations, seconds, test_accuracy, checksum)
        if says_not_digit:
            info["decision"] = calibrate(Theta1, Theta2, calibration_pixels, bool(args.held_out), prep,
                                         np.random.default_rng([args.seed, 2]), real_letters)
            print(f"Decision: not a digit when the largest output is under "
                  f"{info['decision']['not_digit_below']:.4f} ({info['decision']['calibrated_on']})")
        stage = "nothing was saved: the previous files are intact"
        try:
            paths = thetas.save_thetas(Theta1, Theta2, args.out, info)
        except thetas.SavedThenInterrupted:
            print(f"\ninterrupted: the weights were saved in {args.out}", file=sys.stderr)
            return 130
        except OSError as e:
            return cannot_save(e, args.out)
        print(f"\nSaved {paths[0]}, {paths[1].name} and {paths[2].name}")
        print(which_model_note(args.out))
        if args.report:
            stage = f"the weights were saved in {args.out}, the report is incomplete"
            import report  # Pillow drawing, only needed for reports
            try:
                written = report.write_report(args.report, progress.costs, y_test, test_pred, test_pixels,
                                               Theta1)
            except OSError as e:
                print(f"error: cannot write the report in {e.filename or args.report}: "
                      f"{e.strerror or e} (the weights were saved in {args.out})", file=sys.stderr)
                return 1
            print(f"Report: {', '.join(str(p) for p in written)}")
    except mnist.DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: {stage}", file=sys.stderr)
        return 130
    return 0


def fine_tune(args):
    """``--fine-tune PERSONAL``: fine-tune a model on the samples kept there and save it; return the exit status."""
    tuning = personal.Tuning(seed=args.seed)
    try:
        base = thetas.load_network(args.base)
        images, _ = personal.samples_to_learn(args.fine_tune)  # said before any work
        data_path = args.data if args.data is not None else mnist.find_default_data()
        data = mnist.load(data_path)
        print(f"Fine-tuning {thetas.describe(base)} on {len(images)} samples from "
              f"{personal.samples_dir(args.fine_tune)}, replaying {tuning.replay} of {data.source}", flush=True)
        start = time.perf_counter()
        network = personal.learn(args.fine_tune, base, data, tuning, Progress(tuning.maxiter), args.out)
    except (thetas.ThetaError, personal.PersonalError, mnist.DataError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except thetas.SavedThenInterrupted:
        print(f"\ninterrupted: the fine-tuned model was saved in {args.out}", file=sys.stderr)
        return 130
    except OSError as e:
        return cannot_save(e, args.out)
    except KeyboardInterrupt:
        print("\ninterrupted: nothing saved", file=sys.stderr)
        return 130
    print(f"Saved {network.directory / thetas.THETA1_NAME}, {thetas.THETA2_NAME} and {thetas.MODEL_NAME} "
          f"({time.perf_counter() - start:.1f} s)")
    if Path(args.out).resolve() == personal.model_dir(args.fine_tune).resolve():
        print(f"The window and the scan command use it with --personal {args.fine_tune} when their weights "
              f"are {base.directory}.")
    return 0


def cannot_save(error, out):
    """Say in one line that the model could not be saved in ``out``; return the exit status."""
    print(f"error: cannot save in {error.filename or out}: {error.strerror or error}", file=sys.stderr)
    return 1


def preprocessing(args):
    """Return the :class:`preprocess.Preprocessing` the options ask for: recentring only with
    deskewing, and with ``--stroke-width`` MNIST's stroke width, which the tools grow thinner
    strokes to and the pairs and pieces are framed with."""
    return Preprocessing(bool(args.deskew), bool(args.deskew and args.recentre),
                         preprocess.MNIST_STROKE if args.stroke_width else None)


def model_info(args, n_train, iterations, seconds, test_accuracy, checksum):
    """Return what model.json records: the preprocessing the weights expect, and how they were made."""
    prep = preprocessing(args)
    return {
        "preprocessing": {"deskew": prep.deskew, "recentre": prep.recentre, "scale": "pixels / 255",
                          "stroke_width": prep.stroke},
        "settings": {"preset": args.preset, "lambda": args.lamb, "maxiter": args.maxiter,
                     "augment": args.augment, "pairs": args.pairs, "pieces": args.pieces,
                     "negatives": args.negatives, "letters": args.letters, "held_out": args.held_out,
                     "dtype": args.dtype,
                     "training_examples": int(n_train),
                     "iterations_run": int(iterations), "training_seconds": round(seconds, 1)},
        "seed": args.seed,
        "test_accuracy": None if test_accuracy is None else round(test_accuracy, 4),
        "trained": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_sha256": checksum,
    }


def evaluate(Theta1, Theta2, X_train, y_train, test_pixels, y_test, prep, dtype):
    """Print test and training accuracy and the per-digit report -> (test predictions, test accuracy).

    ``X_train`` are the training inputs as trained on; the test pixels get the same preprocessing
    ``prep``.
    """
    X_test = prep.apply(mnist.scale(test_pixels, dtype=dtype), in_place=True)
    test_pred = predict(Theta1, Theta2, X_test)
    train_pred = predict(Theta1, Theta2, X_train)
    test_accuracy = accuracy(y_test, test_pred) if len(y_test) else None
    if test_accuracy is not None:
        print(f"Test set accuracy: {100 * test_accuracy:.2f} %")
    print(f"Training set accuracy: {100 * accuracy(y_train, train_pred):.2f} %")
    if len(y_test):
        print("\nTest set, per digit:")
        print(format_report(y_test, test_pred))
    return test_pred, test_accuracy


def calibrate(Theta1, Theta2, pixels, held_out, prep, rng, real_letters=None):
    """Return model.json's ``decision`` for a network trained to say "not a digit".

    The threshold is the largest output that :data:`CALIBRATION_SHARE` of real digits fall
    under: ``pixels`` (uint8 m x 784), the training digits kept out of training when
    ``held_out``, each distorted :data:`CALIBRATION_COPIES` times with ``rng``; else
    :data:`CALIBRATION_DIGITS` of the trained digits, distorted once.  The share of the
    calibration letters of ``real_letters`` (those no digit's shape takes) it rejects is recorded.
    """
    if held_out:
        digits = distort.distort(np.repeat(pixels, CALIBRATION_COPIES, axis=0), rng)
        source = f"{len(pixels)} held-out training digits distorted {CALIBRATION_COPIES} times"
    else:
        chosen = rng.choice(len(pixels), min(CALIBRATION_DIGITS, len(pixels)), replace=False)
        digits = distort.distort(pixels[chosen], rng)
        source = f"{len(chosen)} distorted training digits"
    largest = output_activations(Theta1, Theta2, prep.apply(digits, in_place=True)).max(axis=1)
    threshold = float(np.quantile(largest, CALIBRATION_SHARE))
    decision = {"not_digit_below": round(threshold, 4), "unsure_below": UNSURE_BELOW,
                "unsure_ratio": UNSURE_RATIO,
                "calibrated_on": f"{source}, {100 * CALIBRATION_SHARE:g} % under"}
    if real_letters is not None:
        kept_out = real_letters.part("calibration").only(letters.NO_DIGIT_SHAPE)
        outputs = output_activations(Theta1, Theta2, prep.apply(mnist.scale(kept_out.X), in_place=True))
        rejected = float(np.mean(outputs.max(axis=1) < threshold))
        decision["calibrated_on"] += (f"; {100 * rejected:.1f} % of {len(kept_out.X)} held-out real letters "
                                      f"({letters.NO_DIGIT_SHAPE}) under")
    return decision


def which_model_note(out):
    """Return a line saying whether the window and the scan command will use the model saved in ``out``."""
    out = Path(out).resolve()
    if out == thetas.DEFAULT_DIR.resolve():
        return (f"The window and the scan command now use this model; the shipped one stays in "
                f"{thetas.PRETRAINED_DIR} (--weights picks either).")
    return (f"The window and the scan command still use {thetas.default_dir()}; "
            f"to use this model, pass --weights {out}.")


if __name__ == "__main__":
    sys.exit(main())
