"""A Tk window where a person draws digits with the mouse and sees them recognised, and teaches it.

The window shows and forwards: strokes, undo and the picture prediction reads live in
:class:`drawing.Drawing` (no Tk), a drawing is read by :func:`drawing.read_canvas` (one digit,
or a number through the scan command's own segmentation), image files by :mod:`scan.segment`,
and every prediction goes through :func:`prediction.judge`.  The weights are loaded once at
start, and the status line says which ones.

Corrections: typing the right digit after a prediction keeps the drawing as a sample
(:mod:`personal`); Learn fine-tunes the model on the samples in a worker thread, and from then
on the window and the scan command use that personal model; Forget goes back to the base
model.  Inside shows the hidden units lit by the drawing (:mod:`inside`).

Keys: :data:`KEYS`.  An opened file is shown on the canvas as ``recognise.py --annotate`` draws
it (:mod:`scan.annotate`); clicking a digit shows its bars and 28x28 view, and Clear goes back
to drawing.
"""

import argparse
import os
import sys
import threading
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

try:
    import tkinter as tk
    from tkinter import filedialog, messagebox
    from tkinter import font as tkfont

    from PIL import ImageTk
except ImportError:  # a Python built without Tk: main() says so in one line
    tk = None

import inside
import mnist
import personal
import report
import thetas
from drawing import NUMBER_CANVAS, Drawing, as_image, read_canvas
from mnist import IMAGE_SIDE
from prediction import judge, prepare
from scan import annotate, segment

TITLE = "Handwritten digit recognition"
KEYS = ("Enter predicts, Escape clears, Ctrl+Z undoes the last stroke, Ctrl+S saves the drawing "
        "and its 28x28 form (Save...), Ctrl+O opens an image file and reads its digits as the scan "
        "command does (Open...); with a number or a file shown, click a digit or press Left/Right to "
        "see it; 0-9 says which digit it really is and keeps it as a sample, Ctrl+L learns from the "
        "samples (Learn), Ctrl+I shows the hidden units (Inside)")
CANVAS_WIDTH, CANVAS_HEIGHT = NUMBER_CANVAS
# A press and release this close together (pixels) is a click, not a stroke: on a number it
# selects the digit under it.
CLICK = 3
LEARN_POLL_MS = 200  # how often the status line follows a Learn running in its worker thread
VIEW_SIZE = IMAGE_SIDE * 5  # the 28x28 input, each pixel shown as 5x5
BAR_HEIGHT = 90
BARS_WIDTH = 300
RESULT_FONT = ("TkDefaultFont", 24, "bold")
# A result longer than SHORT_RESULT characters (an opened file's numbers) is shown smaller,
# and cut with an ellipsis where it would not fit; the detail line then says it all.
SHORT_RESULT = 14
SMALL_RESULT_FONT = ("TkDefaultFont", 13, "bold")
# The detail line under the result: this many lines of text, and of a reading cut from the
# result at most this many characters (a page of digits is recognise.py's job).
DETAIL_LINES = 4
DETAIL_READING = 60
RESULT_HEIGHT = 44  # pixels: one line at RESULT_FONT
# An opened file's digits are shown at least MIN_SHOWN pixels tall: if fitting all of them to
# the canvas makes them smaller, the canvas shows the selected digit and its neighbours,
# ZOOMED pixels tall.
MIN_SHOWN = 24
ZOOMED = 48


class OpenedFile:
    """An opened image's reading on the canvas: all its digits fitted to the canvas or, where
    they would be drawn under :data:`MIN_SHOWN` pixels tall, a window around the selected one
    showing digits :data:`ZOOMED` pixels tall (a click on a neighbour moves it along)."""

    def __init__(self, picture, reading):
        digits = reading.digits
        boxes = np.array([d.box for d in digits], dtype=float)
        self.height = float(np.median(boxes[:, 3] - boxes[:, 1]))
        self.margin = 0.8 * self.height  # room for the labels
        # The picture on white, so that a view near its edge stays inside it.
        self.border = int(np.ceil(max(self.margin, self.height * CANVAS_WIDTH / ZOOMED / 2))) + 1
        self.picture = ImageOps.expand(picture, border=self.border, fill="white")
        self.digits = digits
        self.reading = reading
        self.selected = 0
        self.select(0)

    def select(self, index):
        """Select digit ``index`` and fit the view to show it."""
        self.selected = index
        boxes = np.array([d.box for d in self.digits], dtype=float) + self.border
        left, top = boxes[:, :2].min(axis=0) - self.margin
        right, bottom = boxes[:, 2:].max(axis=0) + self.margin
        if self.height * min(CANVAS_WIDTH / (right - left), CANVAS_HEIGHT / (bottom - top)) < MIN_SHOWN:
            x, y = (boxes[index, :2] + boxes[index, 2:]) / 2
            half_width, half_height = self.height * CANVAS_WIDTH / ZOOMED / 2, self.height * CANVAS_HEIGHT / ZOOMED / 2
            left, top, right, bottom = x - half_width, y - half_height, x + half_width, y + half_height
        scale = min(CANVAS_WIDTH / (right - left), CANVAS_HEIGHT / (bottom - top))
        size = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))
        self._picture = self.picture.resize(size, Image.Resampling.LANCZOS, box=(left, top, right, bottom))
        self.offset = ((CANVAS_WIDTH - size[0]) // 2, (CANVAS_HEIGHT - size[1]) // 2)
        self.boxes = (boxes - [left, top, left, top]) * scale + np.tile(self.offset, 2)  # on the canvas

    def drawn(self):
        """Return the fitted picture with the reading drawn on it, the selected digit outlined thicker."""
        shown = [d._replace(box=tuple(b - np.tile(self.offset, 2))) for d, b in zip(self.digits, self.boxes)]
        return annotate.draw_reading(self._picture, shown, self.reading.judgement, self.selected,
                                     confidences=np.median(self.boxes[:, 3] - self.boxes[:, 1]) >= 40)

    def digit_at(self, x, y):
        """Return the index of the shown digit whose box holds canvas point (x, y), else the nearest one."""
        return digit_at(self.boxes, x, y)


def digit_at(boxes, x, y):
    """Return the index of the box (left, top, right, bottom rows, on the canvas) holding point
    (x, y), else of the nearest one shown on the canvas."""
    left, top, right, bottom = np.asarray(boxes, dtype=float).reshape(-1, 4).T
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    shown = (0 <= centre_x) & (centre_x < CANVAS_WIDTH) & (0 <= centre_y) & (centre_y < CANVAS_HEIGHT)
    holding = np.flatnonzero(shown & (left <= x) & (x <= right) & (top <= y) & (y <= bottom))
    if holding.size:
        return int(holding[0])
    return int(np.argmin(np.where(shown, np.hypot(centre_x - x, centre_y - y), np.inf)))


def drawn_text(reading):
    """Return the number(s) a drawing reads as, ? after an unsure digit, marks not digits left out."""
    return " ".join(reading.texts(mark_unsure=True))


class DigitApp:
    """The window: a drawing canvas, buttons, the prediction, its bars, the 28x28 view, a status line."""

    def __init__(self, root, weights_dir=None, verbose=False, personal_dir=None):
        self.root = root
        self.verbose = verbose
        self.drawing = Drawing()
        self.last_result = None  # (digit, probabilities) of the last prediction, or None
        self.opened = None  # an opened file's reading shown on the canvas, or None (drawing)
        self.reading = None  # the drawing's reading (scan.segment.Reading), or None
        self.selected = 0  # which of the drawing's digits the bars and the view show
        self.shown_image = None  # the 28x28 digit the bars show, what a correction keeps
        self.canvas_photo = None
        self.press_at = (0, 0)
        self.personal_dir = Path(personal_dir if personal_dir is not None else personal.DEFAULT_DIR)
        self.tuning = personal.Tuning()
        self.learning = None  # the worker thread of a Learn in progress
        self.inside_window = None
        try:
            self.base = thetas.load_network(weights_dir)
            self.weights_error = None
        except thetas.ThetaError as e:
            self.base = None
            self.weights_error = short_weights_error(e, weights_dir)  # fits the window
            self.weights_problem = str(e)  # the whole path, for the terminal
        self.network = self.base and (personal.personal_network(self.base, self.personal_dir) or self.base)
        self._build()
        self.clear()

    @property
    def model_line(self):
        """The status line's words for the model in use."""
        if self.network is None:
            return "No weights"
        if self.network is not self.base:
            return f"Model: {personal.describe(self.network, self.base)}"
        return f"Model: {thetas.describe(self.network)}"

    def _build(self):
        """Lay out the widgets and bind the mouse and keys.

        Every widget is sized in pixels (a Label without an image counts its width and height in
        characters and lines), so the window keeps one size whatever it shows.
        """
        root = self.root
        root.title(TITLE)
        root.resizable(False, False)
        left = tk.Frame(root, padx=8, pady=8)
        left.grid(row=0, column=0, sticky="n")
        right = tk.Frame(root, padx=8, pady=8, width=BARS_WIDTH + 16)
        right.grid(row=0, column=1, sticky="n")

        self.canvas = tk.Canvas(left, width=CANVAS_WIDTH, height=CANVAS_HEIGHT, bg="black",
                                highlightthickness=0, cursor="pencil")
        buttons = [("Clear", self.clear), ("Undo", self.undo), ("Open…", self.open_dialog),
                   ("Save…", self.save_dialog), ("Learn", self.learn), ("Forget…", self.forget_dialog)]
        self.canvas.grid(row=0, column=0, columnspan=len(buttons) + 1)
        self.buttons = {}
        for column, (text, command) in enumerate(buttons):
            self.buttons[text] = tk.Button(left, text=text, command=command, width=7)
            self.buttons[text].grid(row=1, column=column, pady=(6, 0))
        self.inside_shown = tk.BooleanVar(root, value=False)
        tk.Checkbutton(left, text="Inside", variable=self.inside_shown, command=self.toggle_inside).grid(
            row=1, column=len(buttons), pady=(6, 0))
        self.predict_button = tk.Button(left, text="Predict", command=self.predict,
                                        font=("TkDefaultFont", 12, "bold"))
        self.predict_button.grid(row=2, column=0, columnspan=len(buttons) + 1, sticky="ew", pady=(6, 0))
        if self.network is None:
            for button in (self.predict_button, self.buttons["Learn"], self.buttons["Forget…"]):
                button.config(state="disabled")

        # The result sits in a frame of fixed pixel size: its font changes with the text's length.
        holder = tk.Frame(right, width=BARS_WIDTH, height=RESULT_HEIGHT)
        holder.grid(row=0, column=0, sticky="w")
        holder.grid_propagate(False)
        holder.pack_propagate(False)
        self.result = tk.Label(holder, text="", font=RESULT_FONT, anchor="w")
        self.result.pack(fill="both", expand=True)
        # Two lines' height whatever it says, so a long message cannot resize the window; wrapped
        # a little short of the label's width, which includes its padding.
        self.detail = tk.Label(right, text="", anchor="nw", justify="left", wraplength=BARS_WIDTH - 10,
                               height=DETAIL_LINES, width=1)
        self.detail.grid(row=1, column=0, sticky="we")
        self.bars = tk.Canvas(right, width=BARS_WIDTH, height=BAR_HEIGHT + 20, highlightthickness=0)
        self.bars.grid(row=2, column=0, pady=(8, 8))
        tk.Label(right, text="What the network sees (28x28):", anchor="w").grid(row=3, column=0, sticky="w")
        self.view = tk.Canvas(right, width=VIEW_SIZE, height=VIEW_SIZE, bg="black", highlightthickness=0)
        self.view.grid(row=4, column=0, sticky="w")
        self.view_photo = None  # Tk shows an image only while Python holds a reference to it

        self.status = tk.Label(root, text=self.model_line, anchor="w", fg="#555555", padx=8, width=1)
        self.status.grid(row=1, column=0, columnspan=2, sticky="we", pady=(0, 6))

        self.canvas.bind("<ButtonPress-1>", self.on_press)
        self.canvas.bind("<B1-Motion>", self.on_motion)
        self.canvas.bind("<ButtonRelease-1>", self.on_release)
        root.bind("<Return>", lambda event: self.predict())
        root.bind("<KP_Enter>", lambda event: self.predict())
        root.bind("<Escape>", lambda event: self.clear())
        root.bind("<Control-z>", lambda event: self.undo())
        root.bind("<Control-s>", lambda event: self.save_dialog())
        root.bind("<Control-o>", lambda event: self.open_dialog())
        root.bind("<Left>", lambda event: self.step(-1))
        root.bind("<Right>", lambda event: self.step(1))
        root.bind("<Control-l>", lambda event: self.learn())
        root.bind("<Control-i>", lambda event: self.flip_inside())
        for digit in range(10):
            root.bind(str(digit), lambda event, digit=digit: self.correct(digit))
            root.bind(f"<KP_{digit}>", lambda event, digit=digit: self.correct(digit))

    # Drawing: events go to the Drawing; the canvas shows the pieces it returns ---------------

    def on_press(self, event):
        """Start a stroke at the mouse position (with a file shown: select the digit clicked)."""
        self.canvas.focus_set()  # so Enter, Escape and Ctrl+Z work straight after drawing
        if self.opened is not None:
            self.select(self.opened.digit_at(event.x, event.y))
            return
        self.press_at = (event.x, event.y)
        self._paint(self.drawing.start_stroke(event.x, event.y))

    def on_motion(self, event):
        """Extend the current stroke to the mouse position."""
        if self.opened is not None:
            return
        piece = self.drawing.extend_stroke(event.x, event.y)
        if piece:
            self._paint(piece)

    def on_release(self, event):
        """End the stroke and predict; a click on a number's digit selects that digit instead."""
        if self.opened is not None:
            return
        self.on_motion(event)
        stroke = np.array(self.drawing.strokes[-1]) if self.drawing.strokes else np.zeros((0, 2))
        clicked = len(stroke) and np.abs(stroke - self.press_at).max() <= CLICK
        if clicked and self.reading is not None and len(self.reading.digits) > 1:
            boxes = np.array([d.box for d in self.reading.digits])
            index = digit_at(boxes, event.x, event.y)
            left, top, right, bottom = boxes[index]
            if left <= event.x <= right and top <= event.y <= bottom:
                self.canvas.delete(f"stroke{len(self.drawing.strokes)}")  # the click's dot is no ink
                self.drawing.undo()
                self.select_drawn(index)
                return
        self.predict()

    def _paint(self, points):
        """Show a piece of the current stroke on the canvas, tagged with its stroke's number."""
        tag = f"stroke{len(self.drawing.strokes)}"
        width = self.drawing.pen_width
        if len(points) == 1:
            (x, y), = points
            r = width / 2
            self.canvas.create_oval(x - r, y - r, x + r, y + r, fill="white", outline="", tags=tag)
        else:
            self.canvas.create_line(*points[0], *points[1], fill="white", width=width,
                                    capstyle=tk.ROUND, joinstyle=tk.ROUND, tags=tag)

    def clear(self):
        """Remove every stroke (or the opened file) and show the empty-canvas message."""
        self.opened = None
        self.reading = None
        self.canvas_photo = None
        self.canvas.config(cursor="pencil")
        self.drawing.clear()
        self.canvas.delete("all")
        self.show(None)

    def undo(self):
        """Remove the last stroke and predict again."""
        self.canvas.delete(f"stroke{len(self.drawing.strokes)}")
        if self.drawing.undo():
            self.predict()

    # Recognising ---------------------------------------------------------------------------

    @property
    def stroke(self):
        """The stroke width the network's preprocessing asks for (None: strokes as drawn)."""
        return self.network.preprocessing.stroke if self.network is not None else None

    def predict(self):
        """Recognise the drawing and show the result (with a file shown: show its selected digit)."""
        if self.opened is not None:
            self.select(self.opened.selected)
            return
        self.canvas.delete("boxes")
        if self.network is None:
            self.show(self.drawing.digit(self.stroke))
            return
        self.reading = read_canvas(self.drawing.image, self.network)
        if not self.reading.digits:
            self.reading = None
            self.show(None)
            return
        self.select_drawn(min(self.selected, len(self.reading.digits) - 1) if len(self.reading.digits) > 1 else 0)
        if self.verbose and len(self.reading.digits) > 1:
            confidences = self.reading.probabilities.max(axis=1)
            print(f"number {drawn_text(self.reading)} confidences {' '.join(f'{c:.3f}' for c in confidences)}",
                  flush=True)

    def select_drawn(self, index):
        """Show the drawing's digit ``index``: one digit as "Digit = N", a number as "Number = 12"
        with its digits outlined on the canvas, the selected one in green."""
        reading = self.reading
        self.selected = index
        self.canvas.delete("boxes")
        if len(reading.digits) == 1:
            self.show(reading.digits[0].image)
            return
        judgement = reading.judgement
        for i, digit in enumerate(reading.digits):
            colour = "#9e9e9e" if judgement.rejected[i] else "#607d8b"
            self.canvas.create_rectangle(*digit.box, outline="#43a047" if i == index else colour,
                                         width=2 if i == index else 1, dash=() if i == index else (3, 3),
                                         tags="boxes")
        text = drawn_text(reading)
        self.show(reading.digits[index].image, title=f"Number = {text}" if text else "Not a digit", quiet=True)
        label = int(judgement.labels[index])
        read = "not a digit" if judgement.rejected[index] else f"{label} ({reading.probabilities[index, label]:.0%})"
        self.detail.config(text=f"part {index + 1} of {len(reading.digits)}: {read}; click a part or press "
                                "Left/Right; 0-9 corrects it")

    def show(self, digit_image, title=None, quiet=False):
        """Show the prediction for a 28x28 image (None: nothing drawn) with bars and the view;
        ``quiet``: no --verbose line (the caller prints its own)."""
        self.bars.delete("all")
        self.last_result = None
        self.shown_image = digit_image
        if digit_image is None:
            self.set_result(title or "Draw a digit")
            self.detail.config(text=self.weights_error or "")
            self._show_view(None)
            self._show_inside(None)
            return
        if self.network is None:
            self._show_view(digit_image)
            self.set_result("No weights")
            self.detail.config(text=self.weights_error)
            return
        inputs = digit_image.reshape(1, -1)
        seen = prepare(self.network, inputs)  # what the network sees: deskewed if so trained
        self._show_view(seen)
        judgement = judge(self.network, inputs)
        probabilities = judgement.probabilities[0]
        digit, runner_up = int(judgement.labels[0]), int(judgement.runners_up[0])
        self.last_result = digit, probabilities
        if judgement.rejected[0]:
            self.set_result(title or "Not a digit")
            self.detail.config(text=f"nearest digit {digit} ({probabilities[digit]:.0%}), too unlike any digit")
            self._show_bars(probabilities, None)
            line = f"not a digit (nearest {digit}, confidence {probabilities[digit]:.3f})"
        elif judgement.unsure[0]:
            self.set_result(title or f"{digit} or {runner_up}?")
            self.detail.config(text=f"unsure: {digit} {probabilities[digit]:.0%}, "
                                    f"{runner_up} {probabilities[runner_up]:.0%}")
            self._show_bars(probabilities, digit, runner_up)
            line = f"digit {digit} confidence {probabilities[digit]:.3f} unsure (or {runner_up})"
        else:
            self.set_result(title or f"Digit = {digit}")
            self.detail.config(text=f"confidence {probabilities[digit]:.0%}")
            self._show_bars(probabilities, digit)
            line = f"digit {digit} confidence {probabilities[digit]:.3f}"
        self._show_inside(seen, digit)
        if self.verbose and not quiet:
            print(line, flush=True)

    def set_result(self, text):
        """Show the big result line; long texts in a smaller font, cut with an ellipsis to fit."""
        if len(text) <= SHORT_RESULT:
            self.result.config(text=text, font=RESULT_FONT)
            return
        font, cut = tkfont.Font(root=self.root, font=SMALL_RESULT_FONT), text
        while font.measure(cut) > BARS_WIDTH - 8 and len(cut) > 1:
            cut = cut[:-2] + "…"
        self.result.config(text=cut, font=SMALL_RESULT_FONT)

    def _show_bars(self, probabilities, best, runner_up=None):
        """Draw one bar per digit, its height the digit's share of the output: ``best`` in green
        (None: none, for a drawing that is not a digit), an unsure reading's ``runner_up`` in orange."""
        step = BARS_WIDTH // len(probabilities)
        for d, p in enumerate(probabilities):
            x = d * step + 5
            top = 4 + BAR_HEIGHT * (1 - p)
            colour = "#2e7d32" if d == best else "#e65100" if d == runner_up else "#90a4ae"
            self.bars.create_rectangle(x, top, x + step - 10, 4 + BAR_HEIGHT, fill=colour, outline="")
            self.bars.create_text(x + (step - 10) / 2, BAR_HEIGHT + 14, text=str(d))

    def _show_view(self, digit_image):
        """Show the 28x28 input enlarged, pixel for pixel; None shows the view empty."""
        self.view.delete("all")
        if digit_image is None:
            self.view_photo = None
            return
        big = as_image(digit_image).resize((VIEW_SIZE, VIEW_SIZE), Image.Resampling.NEAREST)
        self.view_photo = ImageTk.PhotoImage(big)
        self.view.create_image(0, 0, image=self.view_photo, anchor="nw")

    def _show_inside(self, seen, digit=None):
        """With the Inside view open, show the hidden units lit by ``seen`` (a preprocessed input), framing the
        units that pushed toward ``digit`` and against it; None shows them idle."""
        if self.inside_window is None:
            return
        network = self.network
        if self._inside_tiles[0] is not network.Theta1:
            self._inside_tiles = (network.Theta1, report.unit_tiles(network.Theta1))
        look = None if seen is None else inside.look(network.Theta1, network.Theta2, seen, digit)
        self.inside_photo = ImageTk.PhotoImage(inside.picture(self._inside_tiles[1], look))
        self.inside_canvas.config(width=self.inside_photo.width(), height=self.inside_photo.height())
        self.inside_canvas.delete("all")
        self.inside_canvas.create_image(0, 0, image=self.inside_photo, anchor="nw")
        if look is None:
            text = "Each tile is one hidden unit's input weights (white +, black -). Draw a digit to light them."
        else:
            text = (f"Lit by how active each unit is for this drawing; framed: the {len(look.toward)} units that "
                    f"pushed most toward {digit} (green) and the {len(look.against)} most against it (red).")
        self.inside_caption.config(text=text)

    def flip_inside(self):
        """Ctrl+I: tick or untick Inside, and open or close its view."""
        self.inside_shown.set(not self.inside_shown.get())
        self.toggle_inside()

    def toggle_inside(self):
        """Open or close the Inside view, a window of its own beside this one (the main window keeps its size)."""
        if self.network is None:
            self.inside_shown.set(False)
            return
        if not self.inside_shown.get():
            if self.inside_window is not None:
                self.inside_window.destroy()
            self.inside_window = None
            return
        window = self.inside_window = tk.Toplevel(self.root)
        window.title(f"{TITLE}: inside the network")
        window.resizable(False, False)
        window.protocol("WM_DELETE_WINDOW", self.flip_inside)
        self.inside_canvas = tk.Canvas(window, bg="black", highlightthickness=0)
        self.inside_canvas.grid(row=0, column=0, padx=8, pady=(8, 4))
        units = len(self.network.Theta1)
        width = (28 * inside.tile_scale(units) + inside.GAP) * report.grid_shape(units)[0]
        self.inside_caption = tk.Label(window, anchor="w", justify="left", wraplength=width)
        self.inside_caption.grid(row=1, column=0, sticky="we", padx=8, pady=(0, 8))
        self._inside_tiles = (None, None)
        if self.shown_image is not None:
            self._show_inside(prepare(self.network, self.shown_image.reshape(1, -1)), self.last_result[0])
        else:
            self._show_inside(None)

    # Learning the user's digits --------------------------------------------------------------

    def correct(self, label):
        """Keep the digit shown (the drawing, or the selected digit of a number or file) as a
        sample labelled ``label``, and say how many there are."""
        if self.learning is not None:
            self.detail.config(text="Learning: wait until it is done to keep more digits")
            return
        if self.shown_image is None:
            self.detail.config(text=f"Draw a digit first, then type {label} to say that is what it is")
            return
        strokes = self.drawing.strokes if self.opened is None else []
        try:
            personal.keep(self.personal_dir, self.shown_image, label, strokes, self.drawing.pen_width)
        except OSError as e:
            self.detail.config(text=f"could not keep it: {e.strerror or e}")
            return
        count = len(personal.sample_paths(self.personal_dir))
        self.detail.config(text=f"Kept as {label} - {samples(count)}; Learn (Ctrl+L) to learn from them")
        if self.verbose:
            print(f"kept {label} ({samples(count)})", flush=True)

    def learn(self):
        """Fine-tune the base model on the kept samples in a worker thread; the status line follows it."""
        if self.base is None or self.learning is not None:
            return
        count = len(personal.sample_paths(self.personal_dir))
        if not count:
            self.detail.config(text="No samples yet: after a prediction, type the digit it really is (0-9) "
                                    "to keep it, then Learn")
            return
        self.learn_outcome = None
        self.learn_steps = 0
        self.learning = threading.Thread(target=self._learn_in_worker, daemon=True)
        self.buttons["Learn"].config(state="disabled")
        self.status.config(text=f"Learning from {samples(count)}…")
        self.learning.start()
        self.root.after(LEARN_POLL_MS, self._follow_learning, count)

    def _learn_in_worker(self):
        """The worker thread's work: no Tk here, only the outcome left for :meth:`_follow_learning`."""
        def step(intermediate_result):
            self.learn_steps += 1
        try:
            self.learn_outcome = personal.learn(self.personal_dir, self.base, tuning=self.tuning, callback=step)
        except (personal.PersonalError, mnist.DataError, thetas.ThetaError, OSError) as e:
            self.learn_outcome = e

    def _follow_learning(self, count):
        """Show the Learn's progress; when it is done, use the personal model (or say why not)."""
        if self.learning.is_alive():
            self.status.config(text=f"Learning from {samples(count)}: iteration {self.learn_steps} of "
                                    f"{self.tuning.maxiter}…")
            self.root.after(LEARN_POLL_MS, self._follow_learning, count)
            return
        self.learning = None
        self.buttons["Learn"].config(state="normal")
        outcome = self.learn_outcome
        if isinstance(outcome, Exception):
            self.status.config(text=self.model_line)
            self.detail.config(text=f"could not learn: {outcome.strerror or outcome}" if isinstance(outcome, OSError)
                               else str(outcome))
            return
        self.network = outcome
        self.status.config(text=self.model_line)
        if self.verbose:
            print(f"learned from {samples(count)}", flush=True)
        self.predict()  # the drawing read again by the personal model
        self.detail.config(text=f"Learned from {samples(count)}: this model reads your drawings now; "
                                "Forget… goes back to the base model")

    def forget(self, delete_samples=False):
        """Go back to the base model, removing the personal one; delete the samples if asked."""
        if self.base is None or self.learning is not None:
            return
        count = len(personal.sample_paths(self.personal_dir))
        personal.forget(self.personal_dir, delete_samples)
        self.network = self.base
        self.status.config(text=self.model_line)
        self.predict()
        kept = f"your {samples(count)} {'deleted' if delete_samples else 'kept'}"
        self.detail.config(text=f"Back to {thetas.folder_of(self.base)}; {kept}")

    def forget_dialog(self):
        """Ask whether to delete the samples too, then forget."""
        if self.base is None or self.learning is not None:
            return
        count = len(personal.sample_paths(self.personal_dir))
        answer = messagebox.askyesnocancel(
            "Forget", f"Go back to the base model. Delete your {samples(count)} too?\n"
                      "Yes deletes them, No keeps them for a later Learn.", parent=self.root)
        if answer is not None:
            self.forget(delete_samples=answer)

    # Files ---------------------------------------------------------------------------------

    def save(self, path):
        """Save the drawing as ``path`` (PNG) and its 28x28 form beside it; return both paths."""
        return self.drawing.save(path, self.stroke)

    def save_dialog(self):
        """Ask where to save (offering the digit read as the name), then save."""
        offered = f"digit-{self.last_result[0]}.png" if self.last_result else "drawing.png"
        name = filedialog.asksaveasfilename(parent=self.root, defaultextension=".png", initialfile=offered,
                                            filetypes=[("PNG image", "*.png")])
        if name:
            try:
                path, small = self.save(name)
                self.detail.config(text=f"saved {path.name} and {small.name}; type the digit it is (0-9) "
                                        "to keep it as a sample too")
            except OSError as e:
                self.detail.config(text=f"could not save: {e.strerror or e}")

    def open_image(self, path):
        """Recognise the digits in an image file, as the scan command does, and show them.

        The drawing is cleared only once the file has been read: a file that cannot be read
        leaves the user's drawing as it was.
        """
        if self.network is None:
            self.show(None, title="No weights")
            self.detail.config(text=f"Open… needs a model: {self.weights_error}")
            return
        try:
            reading = segment.read_page(path, self.network)
            picture = annotate.load_picture(path)
        except (segment.ImageError, OSError) as e:  # OSError: the file changed since it was read
            self.cannot_read(path, e)
            return
        self.clear()  # the result shown is the file's, not the canvas's
        if not reading.digits:
            self.show(None, title="No digits")
            self.detail.config(text=f"no digits found in {Path(path).name}")
            return
        self.opened = OpenedFile(picture, reading)
        self.canvas.config(cursor="hand2")
        self.select(0)

    def cannot_read(self, path, error):
        """Say that ``path`` cannot be read (by its name: a long path would not fit), leaving
        the drawing as it was; a file shown before goes, with its bars and 28x28 view."""
        if self.opened is not None:
            self.clear()
        self.show(None, title="Cannot read")
        reason = str(error).replace(str(path), Path(path).name)
        self.detail.config(text=reason if reason.startswith(Path(path).name) else f"{Path(path).name}: {reason}")

    def step(self, direction):
        """With a file or a drawn number shown, select the previous (-1) or next (+1) digit."""
        if self.opened is not None:
            self.select((self.opened.selected + direction) % len(self.opened.digits))
        elif self.reading is not None and len(self.reading.digits) > 1:
            self.select_drawn((self.selected + direction) % len(self.reading.digits))

    def select(self, index):
        """Show the opened file's reading with digit ``index`` selected, and that digit's result."""
        opened = self.opened
        opened.select(index)
        self.canvas.delete("all")
        self.canvas_photo = ImageTk.PhotoImage(opened.drawn())
        self.canvas.create_image(*opened.offset, image=self.canvas_photo, anchor="nw")
        text = " / ".join(opened.reading.texts(mark_unsure=True))
        title = f"Digit = {text}" if len(text.rstrip("?")) == 1 else f"Digits = {text}" if text else "No digits"
        self.show(opened.digits[index].image, title=title)
        judgement = opened.reading.judgement
        label = int(judgement.labels[index])
        read = "not a digit" if judgement.rejected[index] else f"{label} ({judgement.probabilities[index, label]:.0%})"
        detail = (f"part {index + 1} of {len(opened.digits)}: {read}; click another or press Left/Right, "
                  "Clear to draw")
        if self.result.cget("text") != title:  # the result line is cut: the detail line says it all
            reading = text if len(text) <= DETAIL_READING else text[:DETAIL_READING - 1] + "…"
            detail = f"read {reading}; {detail}"
        self.detail.config(text=detail)

    def open_dialog(self):
        """Ask for an image file, then recognise it."""
        name = filedialog.askopenfilename(parent=self.root, filetypes=[
            ("Images", "*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff"), ("All files", "*")])
        if name:
            self.open_image(name)


def samples(count):
    """Return "1 sample" or "N samples"."""
    return f"{count} sample" if count == 1 else f"{count} samples"


def short_weights_error(error, weights_dir=None):
    """Return a :class:`thetas.ThetaError` as the window says it: the file by its folder's name,
    not its whole path, and what to do, so that it fits the detail line."""
    folder = Path(weights_dir if weights_dir is not None else thetas.default_dir())
    name = folder.name if len(folder.name) <= 24 else folder.name[:23] + "…"
    text = str(error).replace(f"; {thetas.TRAIN_HINT}", "").replace(str(folder) + os.sep, f"{name}{os.sep}")
    return f"{text}. Train with python main.py, or start with --weights DIR."


def parse_args(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description="Draw a digit with the mouse and see it recognised; "
                                                 "open an image file to read the digits in it.",
                                     epilog=f"Keys: {KEYS}.")
    parser.add_argument("--weights", metavar="DIR", help=thetas.WEIGHTS_HELP)
    parser.add_argument("--personal", metavar="DIR", help=personal.HELP)
    parser.add_argument("--verbose", action="store_true",
                        help="print which weights are used, then each prediction (digit and "
                             "confidence), each kept sample and each Learn on a line of its own")
    return parser.parse_args(argv)


def main(argv=None):
    """Open the window and run until it is closed; return the exit status."""
    args = parse_args(argv)
    if tk is None:
        print("error: this Python has no Tk (tkinter); install it (Debian: apt install python3-tk) "
              "or use a Python built with Tk", file=sys.stderr)
        return 1
    try:
        root = tk.Tk()
    except tk.TclError as e:
        print(f"error: cannot open a window: {e}", file=sys.stderr)
        return 1
    app = DigitApp(root, args.weights, args.verbose, args.personal)
    if app.weights_error:
        print(f"warning: {app.weights_problem}", file=sys.stderr)
    elif args.verbose:
        print(f"model: {app.model_line.removeprefix('Model: ')}", file=sys.stderr)
        if app.network is not app.base:
            print(f"learned from {app.network.info.get('samples', '?')} samples", file=sys.stderr)
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
