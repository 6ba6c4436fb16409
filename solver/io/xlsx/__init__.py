"""Procurement workbooks (xlsx) and CSV folders: the template, reading, writing, the result book.

`layout` defines every sheet and column once; reading goes file -> grids (`read`) -> `tables` ->
SPEC JSON (`build`) -> `Instance`, every error at its `sheet!cell`; `write` exports an instance
(round trip) and the documented template; `result` writes a solved plan as a workbook. `cells`
holds the cell conventions both directions share.
"""
