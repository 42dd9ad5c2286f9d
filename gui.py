"""A Tk window where a person draws a digit with the mouse and sees it recognised.

Every stroke is drawn twice: on the Tk canvas for the eye, and into an in-memory Pillow image
that prediction reads (no screen capture, so it works under Wayland, HiDPI scaling and covered
windows).  The image goes through :func:`preprocess.to_mnist`, the same path as the scan
command's, and the weights are loaded once at start.

Keys: Enter predicts, Escape clears, Ctrl+Z undoes the last stroke, Ctrl+S saves the drawing
and its 28x28 form as PNG, Ctrl+O opens an image file to recognise.
"""

import argparse
import sys
import tkinter as tk
from pathlib import Path
from tkinter import filedialog

import numpy as np
from PIL import Image, ImageDraw, ImageTk

import preprocess
import thetas
from prediction import classify, prepare

TITLE = "Handwritten digit recognition"
CANVAS_SIZE = 280
# MNIST strokes are 2-3 px of the 20 px digit box, so about a twelfth of a digit that fills
# most of the canvas.
PEN_WIDTH = CANVAS_SIZE // 12
VIEW_SCALE = 5
BAR_HEIGHT = 90


def render_strokes(strokes, size=CANVAS_SIZE, width=PEN_WIDTH):
    """Return an L-mode image (black, white strokes) of ``strokes``, lists of (x, y) points.

    Draws piece by piece exactly as the window does while the mouse moves, so redrawing after
    an undo gives the same pixels.
    """
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw_piece(draw, stroke[:1], width)
        for start, end in zip(stroke, stroke[1:]):
            draw_piece(draw, [start, end], width)
    return image


def draw_piece(draw, points, width=PEN_WIDTH):
    """Draw a dot (one point) or a segment (two points) with round ends, as Tk shows it."""
    if len(points) > 1:
        draw.line(points, fill=255, width=width)
    radius = (width - 1) / 2
    for x, y in points:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)


def as_image(digit_image):
    """Return a 28x28 image in [0, 1] (any shape of 784 values) as an L-mode Pillow image."""
    levels = np.uint8(np.round(np.clip(digit_image, 0, 1) * 255)).reshape(28, 28)
    return Image.fromarray(levels, mode="L")


class DigitApp:
    """The window: a drawing canvas, buttons, the prediction, its bars and the 28x28 view."""

    def __init__(self, root, weights_dir=None, verbose=False):
        self.root = root
        self.verbose = verbose
        self.strokes = []  # lists of (x, y) points; the source of truth for undo
        self.image = render_strokes([])
        self.draw = ImageDraw.Draw(self.image)
        self.last_result = None  # (digit, probabilities) of the last prediction, or None
        try:
            self.model = thetas.load_model(weights_dir)
            self.weights_error = None
        except thetas.ThetaError as e:
            self.model = None
            self.weights_error = str(e)
        self._build()
        self.clear()

    def _build(self):
        """Lay out the widgets and bind the mouse and keys."""
        root = self.root
        root.title(TITLE)
        root.resizable(False, False)
        left = tk.Frame(root, padx=8, pady=8)
        left.grid(row=0, column=0, sticky="n")
        right = tk.Frame(root, padx=8, pady=8)
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
        if self.model is None:
            self.predict_button.config(state="disabled")

        self.result = tk.Label(right, text="", font=("TkDefaultFont", 24, "bold"), width=10, anchor="w")
        self.result.grid(row=0, column=0, sticky="w")
        self.detail = tk.Label(right, text="", anchor="w", justify="left", wraplength=300)
        self.detail.grid(row=1, column=0, sticky="w")
        self.bars = tk.Canvas(right, width=300, height=BAR_HEIGHT + 20, highlightthickness=0)
        self.bars.grid(row=2, column=0, pady=(8, 8))
        tk.Label(right, text="What the network sees (28x28):", anchor="w").grid(row=3, column=0, sticky="w")
        self.view = tk.Label(right, bg="black", width=28 * VIEW_SCALE, height=28 * VIEW_SCALE)
        self.view.grid(row=4, column=0, sticky="w")

        self.canvas.bind("<ButtonPress-1>", self.on_press)
        self.canvas.bind("<B1-Motion>", self.on_motion)
        self.canvas.bind("<ButtonRelease-1>", self.on_release)
        root.bind("<Return>", lambda event: self.predict())
        root.bind("<KP_Enter>", lambda event: self.predict())
        root.bind("<Escape>", lambda event: self.clear())
        root.bind("<Control-z>", lambda event: self.undo())
        root.bind("<Control-s>", lambda event: self.save_dialog())
        root.bind("<Control-o>", lambda event: self.open_dialog())

    # Drawing -------------------------------------------------------------------------------

    def on_press(self, event):
        """Start a stroke at the mouse position."""
        self.canvas.focus_set()  # so Enter, Escape and Ctrl+Z work straight after drawing
        self.strokes.append([(event.x, event.y)])
        self._paint([(event.x, event.y)])

    def on_motion(self, event):
        """Extend the current stroke to the mouse position."""
        if not self.strokes:
            return
        stroke = self.strokes[-1]
        segment = [stroke[-1], (event.x, event.y)]
        stroke.append((event.x, event.y))
        self._paint(segment)

    def on_release(self, event):
        """End the stroke and predict."""
        if self.strokes:
            self.on_motion(event)
        self.predict()

    def _paint(self, points):
        """Draw a piece of the current stroke on the canvas and into the in-memory image."""
        tag = f"stroke{len(self.strokes)}"
        r = PEN_WIDTH / 2
        if len(points) == 1:
            (x, y), = points
            self.canvas.create_oval(x - r, y - r, x + r, y + r, fill="white", outline="", tags=tag)
        else:
            self.canvas.create_line(*points[0], *points[1], fill="white", width=PEN_WIDTH,
                                    capstyle=tk.ROUND, joinstyle=tk.ROUND, tags=tag)
        draw_piece(self.draw, points)

    def clear(self):
        """Remove every stroke and show the empty-canvas message."""
        self._clear_drawing()
        self.show(None)

    def _clear_drawing(self):
        """Remove every stroke from the canvas and the in-memory image."""
        self.strokes.clear()
        self.canvas.delete("all")
        self._set_image(render_strokes([]))

    def undo(self):
        """Remove the last stroke and predict again."""
        if not self.strokes:
            return
        self.canvas.delete(f"stroke{len(self.strokes)}")
        self.strokes.pop()
        self._set_image(render_strokes(self.strokes))
        self.predict()

    def _set_image(self, image):
        """Replace the in-memory drawing."""
        self.image = image
        self.draw = ImageDraw.Draw(image)

    # Recognising ---------------------------------------------------------------------------

    def predict(self):
        """Recognise the in-memory drawing and show the result."""
        self.show(preprocess.to_mnist(np.asarray(self.image)))

    def show(self, digit_image, title=None):
        """Show the prediction for a 28x28 image (None: nothing drawn) with bars and the view."""
        self.bars.delete("all")
        self.last_result = None
        if digit_image is None:
            self.result.config(text=title or "Draw a digit")
            self.detail.config(text=self.weights_error or "")
            self.view.config(image="")
            return
        if self.model is None:
            self._show_view(digit_image)
            self.result.config(text="No weights")
            self.detail.config(text=self.weights_error)
            return
        inputs = digit_image.reshape(1, -1)
        self._show_view(prepare(self.model, inputs))  # what the network sees: deskewed if so trained
        probabilities = classify(self.model, inputs)[0]
        digit = int(np.argmax(probabilities))
        self.last_result = digit, probabilities
        self.result.config(text=title or f"Digit = {digit}")
        self.detail.config(text=f"confidence {probabilities[digit]:.0%}")
        self._show_bars(probabilities, digit)
        if self.verbose:
            print(f"digit {digit} confidence {probabilities[digit]:.3f}", flush=True)

    def _show_bars(self, probabilities, best):
        """Draw one bar per digit, its height the digit's share of the output."""
        step = 30
        for d, p in enumerate(probabilities):
            x = d * step + 5
            top = 4 + BAR_HEIGHT * (1 - p)
            colour = "#2e7d32" if d == best else "#90a4ae"
            self.bars.create_rectangle(x, top, x + step - 10, 4 + BAR_HEIGHT, fill=colour, outline="")
            self.bars.create_text(x + (step - 10) / 2, BAR_HEIGHT + 14, text=str(d))

    def _show_view(self, digit_image):
        """Show the 28x28 input enlarged, pixel for pixel."""
        big = as_image(digit_image).resize((28 * VIEW_SCALE, 28 * VIEW_SCALE), Image.Resampling.NEAREST)
        self.view_photo = ImageTk.PhotoImage(big)  # keep a reference, or Tk shows nothing
        self.view.config(image=self.view_photo, width=28 * VIEW_SCALE, height=28 * VIEW_SCALE)

    # Files ---------------------------------------------------------------------------------

    def save(self, path):
        """Save the drawing as ``path`` (PNG) and its 28x28 form beside it; return both paths."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        small_path = path.with_name(path.stem + "-28x28.png")
        self.image.save(path)
        digit_image = preprocess.to_mnist(np.asarray(self.image))
        if digit_image is None:
            digit_image = np.zeros((28, 28))
        as_image(digit_image).save(small_path)
        return path, small_path

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
        """Recognise the digits in an image file through the scan command's path, and show them."""
        import recognise  # the scan command's pipeline; imported here as only this action needs it

        if self.model is None:
            self.show(None, title="No weights")
            return
        self._clear_drawing()  # the result shown is the file's, not the canvas's
        try:
            digits, probabilities = recognise.recognise(path, self.model)
        except recognise.ImageError as e:
            self.show(None, title="Cannot read")
            self.detail.config(text=str(e))
            return
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
                        help="print each prediction (digit and confidence) on a line of its own")
    return parser.parse_args(argv)


def main(argv=None):
    """Open the window and run until it is closed; return the exit status."""
    args = parse_args(argv)
    try:
        root = tk.Tk()
    except tk.TclError as e:
        print(f"error: cannot open a window: {e}", file=sys.stderr)
        return 1
    app = DigitApp(root, args.weights, args.verbose)
    if app.weights_error:
        print(f"warning: {app.weights_error}", file=sys.stderr)
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
