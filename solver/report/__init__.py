"""The HTML report for an alderman.

`html` lays out one self-contained page; `charts` draws its charts with matplotlib.
"""
