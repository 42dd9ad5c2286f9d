"""Training report as PNG pictures drawn with Pillow: cost curve, confusion matrix, mistakes, hidden units.

``main.py --report DIR`` (and ``--preset best``) calls :func:`write_report`.  The confusion
matrix is also written as ``confusion.csv``, the numbers behind the heat map.
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from evaluation import confusion_matrix

BACKGROUND = "white"
INK = (30, 30, 30)


def font(size=14):
    """Return Pillow's built-in font at ``size`` (scalable where FreeType is available)."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # older Pillow or no FreeType: the fixed bitmap font
        return ImageFont.load_default()


def cost_plot(costs, path, size=(640, 400)):
    """Draw the cost after each iteration as a line chart with labelled axes; save to ``path``."""
    width, height = size
    left, right, top, bottom = 70, 20, 30, 50
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    costs = np.asarray(costs, dtype=float)
    draw.text((left, 8), "Cost per iteration (log scale)", fill=INK, font=font(15))
    draw.rectangle((left, top, width - right, height - bottom), outline=INK)
    if len(costs):
        low, high = np.log10(costs.min()), np.log10(costs.max())
        span = max(high - low, 1e-9)
        plot_height = height - top - bottom
        xs = left + (width - left - right) * np.arange(len(costs)) / max(len(costs) - 1, 1)
        ys = top + plot_height * (high - np.log10(costs)) / span
        for value in log_ticks(costs.min(), costs.max()):
            y = top + plot_height * (high - np.log10(value)) / span
            draw.line((left, y, width - right, y), fill=(225, 225, 225))
            draw.line((left - 4, y, left, y), fill=INK)
            draw.text((5, y - 7), f"{value:g}", fill=INK, font=font(12))
        for iteration in iteration_ticks(len(costs)):
            x = left + (width - left - right) * (iteration - 1) / max(len(costs) - 1, 1)
            draw.line((x, height - bottom, x, height - bottom + 4), fill=INK)
            draw.text((x - 8, height - bottom + 6), str(iteration), fill=INK, font=font(12))
        draw.line(list(zip(xs, ys)), fill=(25, 118, 210), width=2)
    draw.text((width // 2 - 30, height - 25), "iteration", fill=INK, font=font(13))
    image.save(path)


def log_ticks(low, high):
    """Return the values 1, 2 and 5 times a power of ten between ``low`` and ``high`` (at most ~8)."""
    ticks = [m * 10.0 ** e for e in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
             for m in (1, 2, 5) if low <= m * 10.0 ** e <= high]
    if len(ticks) > 8:
        ticks = [t for t in ticks if str(t).lstrip("0.").startswith("1")]
    return ticks or [low, high]


def iteration_ticks(count):
    """Return about five round iteration numbers from 1 to ``count``."""
    step = max(1, int(10 ** np.floor(np.log10(max(count, 1) / 5))))
    step *= next(m for m in (1, 2, 5, 10) if count / (step * m) <= 6)
    return sorted({1, *range(step, count + 1, step)})


def unit_tiles(Theta1):
    """Return each hidden unit's 784 input weights as a 28x28 uint8 tile (h x 28 x 28), each on
    its own scale: grey 0, white +, black -."""
    weights = np.asarray(Theta1)[:, 1:]
    limit = np.abs(weights).max(axis=1, keepdims=True)
    levels = np.uint8(np.round(127.5 + 127.5 * weights / np.where(limit > 0, limit, 1)))
    return levels.reshape(-1, 28, 28)


def grid_shape(units):
    """Return (columns, rows) of the most nearly square grid holding ``units`` tiles (10 x 10 for 100)."""
    columns = int(np.ceil(np.sqrt(units)))
    return columns, -(-units // columns)


def hidden_units_grid(Theta1, path, scale=3):
    """Draw each hidden unit's 784 input weights as a 28x28 tile (grey 0, white +, black -); save."""
    tiles = unit_tiles(Theta1)
    columns, rows = grid_shape(len(tiles))
    side = 28 * scale
    image = Image.new("RGB", (columns * (side + 2) + 8, rows * (side + 2) + 30), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((8, 6), "What the hidden units learned: each unit's input weights (white +, black -)",
              fill=INK, font=font(13))
    for unit, tile in enumerate(tiles):
        x, y = 8 + (unit % columns) * (side + 2), 30 + (unit // columns) * (side + 2)
        picture = Image.fromarray(tile, mode="L").resize((side, side), Image.Resampling.NEAREST)
        image.paste(picture, (x, y))
    image.save(path)


def confusion_heatmap(confusion, path, cell=44):
    """Draw the confusion matrix as a heat map with the count in each cell; save to ``path``."""
    k = len(confusion)
    margin = 60
    size = margin + k * cell + 10
    image = Image.new("RGB", (size, size + 20), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((margin, 5), "Confusion matrix (rows: true, columns: predicted)", fill=INK, font=font(13))
    rows = confusion.sum(axis=1, keepdims=True)
    share = confusion / np.maximum(rows, 1)
    for t in range(k):
        draw.text((margin - 20, margin + t * cell + cell // 2 - 7), str(t), fill=INK, font=font(13))
        draw.text((margin + t * cell + cell // 2 - 4, margin - 22), str(t), fill=INK, font=font(13))
        for p in range(k):
            # White for 0 through blue for the whole row; the diagonal in green.
            strength = share[t, p] ** 0.5
            base = (46, 125, 50) if t == p else (21, 101, 192)
            colour = tuple(int(255 - (255 - c) * strength) for c in base)
            x, y = margin + p * cell, margin + t * cell
            draw.rectangle((x, y, x + cell - 1, y + cell - 1), fill=colour, outline=(220, 220, 220))
            text_colour = "white" if strength > 0.6 else INK
            draw.text((x + 4, y + cell // 2 - 7), str(confusion[t, p]), fill=text_colour, font=font(12))
    image.save(path)


def mistakes_grid(images, y_true, y_pred, path, columns=10, limit=100, scale=3):
    """Draw misclassified digits (28x28 uint8 rows) labelled 'true>predicted'; save to ``path``."""
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))[:limit]
    side = 28 * scale
    cell_w, cell_h = side + 8, side + 22
    rows = max(1, -(-len(wrong) // columns))
    image = Image.new("RGB", (columns * cell_w + 8, rows * cell_h + 30), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((8, 6), f"Misclassified test digits, true>predicted (first {len(wrong)})",
              fill=INK, font=font(13))
    for n, i in enumerate(wrong):
        x, y = 8 + (n % columns) * cell_w, 30 + (n // columns) * cell_h
        digit = Image.fromarray(np.asarray(images[i], dtype=np.uint8).reshape(28, 28), mode="L")
        image.paste(digit.resize((side, side), Image.Resampling.NEAREST), (x, y))
        draw.text((x, y + side + 2), f"{y_true[i]}>{y_pred[i]}", fill=(198, 40, 40), font=font(13))
    image.save(path)


def write_report(directory, costs, y_true, y_pred, test_pixels, Theta1):
    """Write cost.png, confusion.png, confusion.csv, mistakes.png and hidden.png; return the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    confusion = confusion_matrix(y_true, y_pred)
    names = ("cost.png", "confusion.png", "mistakes.png", "hidden.png", "confusion.csv")
    paths = [directory / name for name in names]
    cost_plot(costs, paths[0])
    confusion_heatmap(confusion, paths[1])
    mistakes_grid(test_pixels, y_true, y_pred, paths[2])
    hidden_units_grid(Theta1, paths[3])
    np.savetxt(paths[4], confusion, fmt="%d", delimiter=",")
    return paths
