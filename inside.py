"""Look inside the network: its hidden units lit by one input, and the units behind the answer.

The window's Inside view shows this picture for the current drawing.  Each hidden unit is a
28x28 tile of its input weights (as the training report draws them, :func:`report.unit_tiles`),
shown as bright as the unit's activation for the input; the units that pushed the answer most
toward the digit shown (weight into that output times activation) are framed green, those that
pushed most against it red.  No Tk here, so tests draw it without a display.
"""

from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw
from scipy.special import expit

import report

# Each tile's pixel is drawn SCALE x SCALE, tiles GAP pixels apart; the TOP units each way framed.
SCALE = 2
GAP = 4
# Beyond this many columns of tiles (144 units), each pixel is drawn once, so the view of a
# wider network (300 units: 18 columns) still fits beside the window on a laptop's screen.
WIDEST_AT_SCALE = 12


def tile_scale(units):
    """Return how many screen pixels each tile's pixel takes for a network of ``units`` hidden units."""
    return SCALE if report.grid_shape(units)[0] <= WIDEST_AT_SCALE else 1
TOP = 5
# An idle unit (activation 0) is still shown this bright, so its weights stay visible.
IDLE = 0.15
FOR, AGAINST = (46, 160, 67), (211, 47, 47)


class Look(NamedTuple):
    """One input's pass through the hidden layer: each unit's ``activation`` (h,), its
    ``push`` toward output ``digit`` (weight times activation, h,), and the units that pushed
    most ``toward`` and ``against`` it (TOP each, strongest first)."""

    activation: np.ndarray
    push: np.ndarray
    digit: int
    toward: np.ndarray
    against: np.ndarray


def look(Theta1, Theta2, x, digit):
    """Return the :class:`Look` of input ``x`` (784 values, preprocessed as the network expects) for ``digit``."""
    activation = expit(Theta1[:, 1:] @ np.ravel(x) + Theta1[:, 0])
    push = Theta2[digit, 1:] * activation
    order = np.argsort(push)
    toward = order[::-1][:TOP]
    return Look(activation, push, int(digit), toward[push[toward] > 0], order[:TOP][push[order[:TOP]] < 0])


def picture(tiles, seen):
    """Return an RGB image of the hidden units' ``tiles`` (h x 28 x 28 uint8, :func:`report.unit_tiles`)
    lit by the :class:`Look` ``seen`` (None: every unit shown idle)."""
    units = len(tiles)
    columns, rows = report.grid_shape(units)
    scale = tile_scale(units)
    side = 28 * scale
    step = side + GAP
    activation = np.full(units, 0.0) if seen is None else seen.activation
    brightness = IDLE + (1 - IDLE) * activation
    lit = np.uint8(np.round(tiles * brightness[:, None, None]))
    lit = lit.repeat(scale, axis=1).repeat(scale, axis=2)
    # Every tile with a gap before it, the grid's empty places black, then the tiles laid out.
    cells = np.zeros((rows * columns, step, step), dtype=np.uint8)
    cells[:units, GAP:, GAP:] = lit
    grid = cells.reshape(rows, columns, step, step).swapaxes(1, 2).reshape(rows * step, columns * step)
    grid = np.pad(grid, ((0, GAP), (0, GAP)))
    image = Image.fromarray(grid, mode="L").convert("RGB")
    for_rows, for_cols = GAP + (np.arange(units) // columns) * step, GAP + (np.arange(units) % columns) * step
    if seen is not None:
        draw = ImageDraw.Draw(image)
        for units_framed, colour in ((seen.toward, FOR), (seen.against, AGAINST)):
            for unit in units_framed:
                x, y = for_cols[unit], for_rows[unit]
                draw.rectangle((x - 3, y - 3, x + side + 2, y + side + 2), outline=colour, width=2)
    return image
