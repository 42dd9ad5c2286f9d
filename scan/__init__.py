"""The scan pipeline: an image file -> the digits in it, and the picture of what was read.

``decode`` opens any image as grey; ``page`` finds the sheet in a photo and evens its light;
``segment`` separates ink from paper and finds the parts, lines and numbers; ``split`` cuts a
part of touching digits where the network reads its pieces best; ``annotate`` draws the
reading.  ``recognise.py`` and the window's Open... both go through :func:`segment.read_digits`.
"""
