"""Made-up handwriting: distorted training digits, touching pairs and their pieces, written numbers.

``distort`` and ``touching`` make training rows (``main.py --augment``, ``--pairs``,
``--pieces``); ``handwriting`` writes numbers on paper for the tests' and benchmarks' scans.
"""
