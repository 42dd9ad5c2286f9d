"""Show what was read: the image with a box around each digit, the digit above it and its confidence below.

Used by ``recognise.py --annotate`` and by the window's Open...; both draw with
:func:`draw_reading`, so what a user sees in the window is what the file shows.
"""

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

import thetas
from scan.decode import on_white
from scan.segment import left_out_words

SURE_COLOUR = (46, 125, 50)
UNSURE_COLOUR = (230, 81, 0)  # an unsure digit (prediction.Judgement): worth a look
REJECTED_COLOUR = (150, 150, 150)  # a mark that is not a digit
NUMBER_COLOUR = (21, 101, 192)
PAPER_COLOUR = (200, 225, 255)
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF"}


def load_picture(path):
    """Return the image file as an upright RGB Pillow image (transparency on white)."""
    with Image.open(path) as image:
        image.load()
        return on_white(ImageOps.exif_transpose(image)).convert("RGB")


def show_paper(picture, lines):
    """Return a copy of ``picture`` (RGB) with the printed lines taken for paper (``lines``, a
    boolean mask of any size over the whole picture) washed out in a faint blue: what was not read."""
    mask = Image.fromarray(np.uint8(lines) * 255).resize(picture.size, Image.Resampling.NEAREST)
    faint = Image.blend(picture, Image.new("RGB", picture.size, PAPER_COLOUR), 0.7)
    return Image.composite(faint, picture, mask)


def draw_reading(picture, digits, judgement, selected=None, confidences=True):
    """Return a copy of ``picture`` (RGB) with the reading (parts ``digits`` and the network's
    :class:`prediction.Judgement` of them) drawn on it.

    Each digit gets a box, the digit above it and its confidence below it, on white so they
    read on any background; unsure digits are drawn in orange with a question mark, and
    marks that are not digits get a thin grey box and nothing else, each word left out a grey
    frame around all of it.  Each number of two or
    more digits gets a thin blue frame around all of it.  ``selected`` (a part's index) is
    drawn thicker.  Sizes follow the digits' height, so the labels stay legible on a large photo.
    """
    picture = picture.copy()
    if not len(digits):
        return picture
    draw = ImageDraw.Draw(picture)
    boxes = np.array([d.box for d in digits], dtype=float)
    height = float(np.median(boxes[:, 3] - boxes[:, 1]))
    width = max(2, round(height / 25))
    big = ImageFont.load_default(size=max(12, round(height * 0.45)))
    small = ImageFont.load_default(size=max(10, round(height * 0.25)))
    gap = max(2, round(height * 0.06))
    above, below = big.getbbox("0")[3] + 3 * gap, (small.getbbox("0")[3] + 3 * gap if confidences else gap)
    kept = [i for i in range(len(digits)) if not judgement.rejected[i]]
    for key in sorted({(digits[i].line, digits[i].number) for i in kept}):
        members = boxes[[i for i in kept if (digits[i].line, digits[i].number) == key]]
        if len(members) > 1:
            left, top = members[:, :2].min(axis=0) - (gap, above)
            right, bottom = members[:, 2:].max(axis=0) + (gap, below)
            left, top = max(left, 0), max(top, 0)  # kept inside the picture
            right, bottom = min(right, picture.width - 1), min(bottom, picture.height - 1)
            if left <= right and top <= bottom:  # (a view of part of the picture may not show it)
                draw.rectangle((left, top, right, bottom), outline=NUMBER_COLOUR, width=max(1, width // 2))
    for i in np.flatnonzero(judgement.rejected):
        draw.rectangle(digits[i].box, outline=REJECTED_COLOUR, width=max(1, width // 2) * (2 if i == selected else 1))
    for left, top, right, bottom in left_out_words(digits, judgement):  # a grey frame around each word
        draw.rectangle((max(left - gap, 0), max(top - gap, 0), min(right + gap, picture.width - 1),
                        min(bottom + gap, picture.height - 1)), outline=REJECTED_COLOUR, width=max(1, width // 2))
    labels = judgement.labels
    taken = []  # the text boxes of the labels drawn so far
    for i in kept:
        digit, label = digits[i], labels[i]
        confidence = judgement.probabilities[i, label]
        unsure = judgement.unsure[i]
        colour = UNSURE_COLOUR if unsure else SURE_COLOUR
        left, top, right, bottom = digit.box
        draw.rectangle(digit.box, outline=colour, width=width * (2 if i == selected else 1))
        middle = (left + right) / 2
        _label(draw, (middle, top - gap), f"{label}{'?' if unsure else ''}", big, colour, "md", gap, taken)
        if confidences:
            _label(draw, (middle, bottom + gap), f"{confidence:.0%}", small, colour, "ma", gap, taken)
    return picture


def _label(draw, xy, text, font, colour, anchor, pad, taken):
    """Draw ``text`` at ``xy`` (Pillow anchor) on a white patch ``pad`` pixels wider.

    Where the text would run into a label in ``taken`` (the texts' boxes drawn so far: the
    labels of overlapping digits), it moves right until clear of it; its box joins ``taken``.
    """
    box = draw.textbbox(xy, text, font=font, anchor=anchor)
    for _ in range(len(taken)):
        hit = [other for other in taken if box[0] < other[2] + pad and other[0] < box[2] + pad
               and box[1] < other[3] and other[1] < box[3]]
        if not hit:
            break
        xy = (xy[0] + max(other[2] for other in hit) + pad - box[0], xy[1])
        box = draw.textbbox(xy, text, font=font, anchor=anchor)
    taken.append(box)
    draw.rectangle((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad), fill=(255, 255, 255))
    draw.text(xy, text, fill=colour, font=font, anchor=anchor)


def format_problem(out):
    """Return why a picture cannot be written as ``out`` (its extension), or None if it can."""
    if Path(out).suffix.lower() in FORMATS:
        return None
    return (f"the extension {Path(out).suffix or '(none)'!r} is not an image format to write; "
            f"use one of {', '.join(sorted(FORMATS))}")


def save_picture(picture, out):
    """Save a picture as ``out`` (format from its extension), atomically; OSError/ValueError if not."""
    out = Path(out)
    problem = format_problem(out)
    if problem:
        raise ValueError(f"{out}: {problem}")
    fmt = FORMATS[out.suffix.lower()]
    data = io.BytesIO()
    picture.save(data, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    os.replace(thetas.write_temp(out, lambda f: f.write(data.getvalue()), mode="wb"), out)
