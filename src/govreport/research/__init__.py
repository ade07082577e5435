"""The research layer above parsing: series across eras and panel outputs.

``series`` maps the keys of both eras to harmonised indicators (a crosswalk kept as
data, each row with its caveat); the output writers build on it.
"""
from .series import crosswalk, indicators, series, series_detail

__all__ = ["crosswalk", "indicators", "series", "series_detail"]
