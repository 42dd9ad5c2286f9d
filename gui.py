"""A Tk window where a person draws a digit with the mouse and sees it recognised.

The window shows and forwards: strokes, undo and the picture prediction reads live in
:class:`drawing.Drawing` (no Tk), image files are read by :mod:`segment`, and every prediction
goes through :func:`prediction.classify`.  The weights are loaded once at start, and the status
line says which ones.

Keys: Enter predicts, Escape clears, Ctrl+Z undoes the last stroke, Ctrl+S saves the drawing
and its 28x28 form as PNG, Ctrl+O opens an image file to recognise.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

try:
    import tkinter as tk
    from tkinter import filedialog

    from PIL import ImageTk
except ImportError:  # a Python built without Tk: main() says so in one line
    tk = None

import segment
import thetas
from drawing import CANVAS_SIZE, Drawing, as_image
from mnist import IMAGE_SIDE
from prediction import classify, prepare

TITLE = "Handwritten digit recognition"
VIEW_SIZE = IMAGE_SIDE * 5  # the 28x28 input, each pixel shown as 5x5
BAR_HEIGHT = 90
BARS_WIDTH = 300


class DigitApp:
    """The window: a drawing canvas, buttons, the prediction, its bars, the 28x28 view, a status line."""

    def __init__(self, root, weights_dir=None, verbose=False):
        self.root = root
        self.verbose = verbose
        self.drawing = Drawing()
        self.last_result = None  # (digit, probabilities) of the last prediction, or None
        try:
            self.network = thetas.load_network(weights_dir)
            self.weights_error = None
        except thetas.ThetaError as e:
            self.network = None
            self.weights_error = str(e)
        self._build()
        self.clear()

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

        self.canvas = tk.Canvas(left, width=CANVAS_SIZE, height=CANVAS_SIZE, bg="black",
                                highlightthickness=0, cursor="pencil")
        self.canvas.grid(row=0, column=0, columnspan=4)
        buttons = [("Clear", self.clear), ("Undo", self.undo), ("Open…", self.open_dialog),
                   ("Save…", self.save_dialog)]
        for column, (text, command) in enumerate(buttons):
            tk.Button(left, text=text, command=command, width=7).grid(row=1, column=column, pady=(6, 0))
        self.predict_button = tk.Button(left, text="Predict", command=self.predict,
                                        font=("TkDefaultFont", 12, "bold"))
        self.predict_button.grid(row=2, column=0, columnspan=4, sticky="ew", pady=(6, 0))
        if self.network is None:
            self.predict_button.config(state="disabled")

        self.result = tk.Label(right, text="", font=("TkDefaultFont", 24, "bold"), width=10, anchor="w")
        self.result.grid(row=0, column=0, sticky="w")
        # Two lines' height whatever it says, so a long message cannot resize the window.
        self.detail = tk.Label(right, text="", anchor="nw", justify="left", wraplength=BARS_WIDTH,
                               height=2, width=1)
        self.detail.grid(row=1, column=0, sticky="we")
        self.bars = tk.Canvas(right, width=BARS_WIDTH, height=BAR_HEIGHT + 20, highlightthickness=0)
        self.bars.grid(row=2, column=0, pady=(8, 8))
        tk.Label(right, text="What the network sees (28x28):", anchor="w").grid(row=3, column=0, sticky="w")
        self.view = tk.Canvas(right, width=VIEW_SIZE, height=VIEW_SIZE, bg="black", highlightthickness=0)
        self.view.grid(row=4, column=0, sticky="w")
        self.view_photo = None  # Tk shows an image only while Python holds a reference to it

        status = "No weights" if self.network is None else f"Model: {thetas.describe(self.network)}"
        self.status = tk.Label(root, text=status, anchor="w", fg="#555555", padx=8, width=1)
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

    # Drawing: events go to the Drawing; the canvas shows the pieces it returns ---------------

    def on_press(self, event):
        """Start a stroke at the mouse position."""
        self.canvas.focus_set()  # so Enter, Escape and Ctrl+Z work straight after drawing
        self._paint(self.drawing.start_stroke(event.x, event.y))

    def on_motion(self, event):
        """Extend the current stroke to the mouse position."""
        piece = self.drawing.extend_stroke(event.x, event.y)
        if piece:
            self._paint(piece)

    def on_release(self, event):
        """End the stroke and predict."""
        self.on_motion(event)
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
        """Remove every stroke and show the empty-canvas message."""
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
        return self.network.stroke if self.network is not None else None

    def predict(self):
        """Recognise the drawing and show the result."""
        self.show(self.drawing.digit(self.stroke))

    def show(self, digit_image, title=None):
        """Show the prediction for a 28x28 image (None: nothing drawn) with bars and the view."""
        self.bars.delete("all")
        self.last_result = None
        if digit_image is None:
            self.result.config(text=title or "Draw a digit")
            self.detail.config(text=self.weights_error or "")
            self._show_view(None)
            return
        if self.network is None:
            self._show_view(digit_image)
            self.result.config(text="No weights")
            self.detail.config(text=self.weights_error)
            return
        inputs = digit_image.reshape(1, -1)
        self._show_view(prepare(self.network, inputs))  # what the network sees: deskewed if so trained
        probabilities = classify(self.network, inputs)[0]
        digit = int(np.argmax(probabilities))
        self.last_result = digit, probabilities
        self.result.config(text=title or f"Digit = {digit}")
        self.detail.config(text=f"confidence {probabilities[digit]:.0%}")
        self._show_bars(probabilities, digit)
        if self.verbose:
            print(f"digit {digit} confidence {probabilities[digit]:.3f}", flush=True)

    def _show_bars(self, probabilities, best):
        """Draw one bar per digit, its height the digit's share of the output."""
        step = BARS_WIDTH // len(probabilities)
        for d, p in enumerate(probabilities):
            x = d * step + 5
            top = 4 + BAR_HEIGHT * (1 - p)
            colour = "#2e7d32" if d == best else "#90a4ae"
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

    # Files ---------------------------------------------------------------------------------

    def save(self, path):
        """Save the drawing as ``path`` (PNG) and its 28x28 form beside it; return both paths."""
        return self.drawing.save(path, self.stroke)

    def save_dialog(self):
        """Ask where to save, then save."""
        name = filedialog.asksaveasfilename(parent=self.root, defaultextension=".png",
                                            filetypes=[("PNG image", "*.png")])
        if name:
            try:
                path, small = self.save(name)
                self.detail.config(text=f"saved {path.name} and {small.name}")
            except OSError as e:
                self.detail.config(text=f"could not save: {e.strerror or e}")

    def open_image(self, path):
        """Recognise the digits in an image file, as the scan command does, and show them.

        The drawing is cleared only once the file has been read: a file that cannot be read
        leaves the user's drawing as it was.
        """
        if self.network is None:
            self.show(None, title="No weights")
            return
        try:
            digits, probabilities = segment.read_digits(path, self.network)
        except segment.ImageError as e:
            self.result.config(text="Cannot read")
            self.detail.config(text=str(e))
            return
        self.drawing.clear()  # the result shown is the file's, not the canvas's
        self.canvas.delete("all")
        if not digits:
            self.show(None, title="No digits")
            self.detail.config(text=f"no digits found in {Path(path).name}")
            return
        text = "".join(str(label) for label in probabilities.argmax(axis=1))
        self.show(digits[0].image, title=f"Digit = {text}" if len(text) == 1 else f"Digits = {text}")

    def open_dialog(self):
        """Ask for an image file, then recognise it."""
        name = filedialog.askopenfilename(parent=self.root, filetypes=[
            ("Images", "*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff"), ("All files", "*")])
        if name:
            self.open_image(name)


def parse_args(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description="Draw a digit with the mouse and see it recognised.")
    parser.add_argument("--weights", metavar="DIR", help=thetas.WEIGHTS_HELP)
    parser.add_argument("--verbose", action="store_true",
                        help="print which weights are used, then each prediction (digit and "
                             "confidence) on a line of its own")
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
    app = DigitApp(root, args.weights, args.verbose)
    if app.weights_error:
        print(f"warning: {app.weights_error}", file=sys.stderr)
    elif args.verbose:
        print(f"model: {thetas.describe(app.network)}", file=sys.stderr)
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
