"""Open any image file as greyscale, upright and small enough to work on, or say in one line why not.

Pillow reads the formats; this adds EXIF orientation, transparency put on white, 16-bit and
float modes, a pixel limit (a small compressed file can claim billions of pixels), and JPEG
draft decoding straight to grey at reduced size, most of a large photo's cost.  What it leaves
out: colour (everything becomes grey) and multi-page files (the first page only).
"""

import re
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Larger images are refused: a small compressed file can claim billions of pixels.
MAX_PIXELS = 64_000_000
# Segmentation works on at most this many pixels along the longer side: plenty for digits
# that end up 20 px tall, and it keeps a 12-megapixel photo well under a second.
WORK_SIDE = 1200
ORIENTATION_TAG = 0x0112  # EXIF


class ImageError(ValueError):
    """An image cannot be read; the message is one line naming the file."""


def open_image(path, work_side=WORK_SIDE):
    """Return (grey, scale): greyscale float32 in [0, 1] (white paper = 1) and original/working size.

    Applies EXIF orientation, puts transparent images on white, reads any mode Pillow knows,
    and shrinks the image so its longer side is at most ``work_side``.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than fails) on damaged metadata such as corrupt EXIF or TIFF
            # tags; the pixels still decode, and the user was promised one line per bad file,
            # so those warnings are dropped.  Images a little over Pillow's own pixel limit
            # also only warn: those are refused.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                grey, width, height = _decode(image, path, work_side)
    except ImageError:
        raise
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImageError(f"{path}: is a folder, not an image") from None
    except UnidentifiedImageError:
        raise ImageError(f"{path}: not an image Pillow can read") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        claimed = re.search(r"\((\d+) pixels\)", str(e))  # Pillow names the size it refused
        raise too_large(path, f"{int(claimed[1]):,} pixels" if claimed else "the image") from None
    except (OSError, SyntaxError, ValueError) as e:  # truncated or damaged data
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ImageError(f"{path}: cannot be read: {reason}") from None
    scale = max(grey.shape) / work_side
    if scale > 1:
        small = Image.fromarray(grey, mode="F").resize(
            (max(1, round(grey.shape[1] / scale)), max(1, round(grey.shape[0] / scale))),
            Image.Resampling.BOX)
        grey = np.asarray(small)
    return grey, width / grey.shape[1]


def too_large(path, size):
    """Return the one error for an image over :data:`MAX_PIXELS`; ``size`` says what it holds."""
    return ImageError(f"{path}: {size} is over the limit of {MAX_PIXELS // 1_000_000} megapixels")


def _decode(image, path, work_side):
    """Return (grey, width, height) of an open image: grey as :func:`_to_grey`, the upright size."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise too_large(path, f"{width}x{height} pixels")
    if image.getexif().get(ORIENTATION_TAG, 1) in (5, 6, 7, 8):  # turned a quarter
        width, height = height, width
    if image.format == "JPEG":
        # Decode straight to grey at a reduced scale: most of a large photo's cost.
        image.draft("L", _draft_size(image.size, work_side))
    image.load()
    return _to_grey(ImageOps.exif_transpose(image)), width, height


def _draft_size(size, work_side):
    """Return the smallest size JPEG draft decoding may shrink to while staying >= work_side."""
    factor = max(size) / work_side
    return (int(size[0] / factor), int(size[1] / factor)) if factor > 1 else size


def _to_grey(image):
    """Return a float32 array in [0, 1] for a Pillow image of any mode; transparency on white."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        values = np.asarray(image, dtype=np.float32)
        return np.clip(values / (65535 if values.max(initial=0) > 255 else 255), 0, 1)
    if mode == "F":
        values = np.asarray(image, dtype=np.float32)
        top = values.max(initial=0)
        return np.clip(values / (top if top > 1 else 1), 0, 1)
    return np.asarray(on_white(image).convert("L"), dtype=np.float32) / 255


def on_white(image):
    """Return a Pillow image with any transparency put on white (as on paper); others as they are."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba)
    return image
