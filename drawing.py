"""What a person has drawn in the window, without any Tk: the strokes, undo, and their picture.

The window forwards mouse events here and shows what comes back; prediction reads
:attr:`Drawing.image`, a Pillow image drawn piece by piece exactly as Tk draws the canvas (no
screen capture, so it works under Wayland, HiDPI scaling and covered windows), through
:func:`read_canvas`: one digit as before, or a number of several read as the scan command
reads a line.  Tests use this module without a display.
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import preprocess
from mnist import IMAGE_SIDE
from scan import segment

# A digit drawn to fill the canvas's height is CANVAS_SIZE pixels tall; the canvas is twice as
# wide, room for a number of four or five digits.
CANVAS_SIZE = 280
NUMBER_CANVAS = (2 * CANVAS_SIZE, CANVAS_SIZE)
# MNIST strokes are 2-3 px of the 20 px digit box, so about a twelfth of a digit that fills
# most of the canvas's height.
PEN_WIDTH = CANVAS_SIZE // 12


def render_strokes(strokes, size=CANVAS_SIZE, width=PEN_WIDTH):
    """Return an L-mode image (black, white strokes) of ``strokes``, lists of (x, y) points.

    ``size`` is the side of a square or (width, height).  Draws piece by piece exactly as the
    window does while the mouse moves, so redrawing after an undo gives the same pixels.
    """
    image = Image.new("L", (size, size) if np.isscalar(size) else tuple(size), 0)
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
    levels = np.uint8(np.round(np.clip(digit_image, 0, 1) * 255)).reshape(IMAGE_SIDE, IMAGE_SIDE)
    return Image.fromarray(levels, mode="L")


def read_canvas(image, network):
    """Read a drawing (an L image, white strokes on black) -> :class:`scan.segment.Reading`
    (boxes in canvas pixels, no printed lines).

    Parts of ink are found, touching digits cut and ordered left to right by the scan
    command's own functions (:func:`scan.segment.find_digits`).  A drawing that is one part no
    wider than it is tall is one digit, as the window has always read it (the whole drawing in
    its 28x28 form by :func:`preprocess.to_mnist`): a thick 8 is not cut into pieces, and
    strokes of one digit that do not touch are still one digit.
    """
    ink = np.asarray(image)
    grey = 1 - ink.astype(np.float32) / 255  # as a scan: dark ink on white paper
    stroke = network.preprocessing.stroke
    parts = [box for _, box, _, _ in segment.find_parts(*segment.ink_map(grey))]  # no photo, no rules
    if not parts:
        return segment.Reading([], segment.judge_parts(network, []), None, 1.0)
    (left, top, right, bottom), = parts[:1]
    if len(parts) == 1 and right - left <= bottom - top:
        digits = [segment.Digit(preprocess.to_mnist(ink, stroke), (left, top, right, bottom), 0, 0)]
    else:
        digits = segment.find_digits(grey, 1.0, stroke, network, drawn=True)
    return segment.Reading(digits, segment.judge_parts(network, digits), None, 1.0)


class Drawing:
    """Strokes (lists of (x, y) points) and their picture, kept in step; undo redraws the picture."""

    def __init__(self, size=NUMBER_CANVAS, pen_width=PEN_WIDTH):
        self.size = size
        self.pen_width = pen_width
        self.strokes = []
        self._set_image(render_strokes([], size, pen_width))

    def start_stroke(self, x, y):
        """Begin a new stroke at (x, y); return the piece to show: one point."""
        self.strokes.append([(x, y)])
        return self._draw([(x, y)])

    def extend_stroke(self, x, y):
        """Continue the current stroke to (x, y); return the piece to show (two points), or None."""
        if not self.strokes:
            return None
        stroke = self.strokes[-1]
        piece = [stroke[-1], (x, y)]
        stroke.append((x, y))
        return self._draw(piece)

    def undo(self):
        """Remove the last stroke; return False if there was none."""
        if not self.strokes:
            return False
        self.strokes.pop()
        self._set_image(render_strokes(self.strokes, self.size, self.pen_width))
        return True

    def clear(self):
        """Remove every stroke."""
        self.strokes.clear()
        self._set_image(render_strokes([], self.size, self.pen_width))

    def digit(self, stroke=None):
        """Return the drawing in MNIST's 28x28 form (float32 in [0, 1]), or None if it is blank.

        ``stroke`` goes to :func:`preprocess.to_mnist`: the network's ``stroke``.
        """
        return preprocess.to_mnist(np.asarray(self.image), stroke)

    def save(self, path, stroke=None):
        """Save the drawing as ``path`` (PNG) and its 28x28 form beside it; return both paths."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        small_path = path.with_name(path.stem + "-28x28.png")
        digit_image = self.digit(stroke)
        self.image.save(path)
        as_image(np.zeros(IMAGE_SIDE * IMAGE_SIDE) if digit_image is None else digit_image).save(small_path)
        return path, small_path

    def _draw(self, points):
        """Draw a piece into the picture; return it."""
        draw_piece(self._pen, points, self.pen_width)
        return points

    def _set_image(self, image):
        """Replace the picture (and the pen that draws into it)."""
        self.image = image
        self._pen = ImageDraw.Draw(image)
