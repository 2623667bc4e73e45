"""Python values to pandas columns, at the cost of building the arrays and not of pandas' inference.

The extractor makes three small frames per document (mentions, targets, actuals). Building a column
from a list costs pandas about 0.3 ms for text (its inference, then a conversion to Arrow), thirty
times what Arrow itself takes, and that was a third of the time spent on a short document. `column`
builds the array pandas would infer, directly, for the kinds of lists the extractor has (text, numbers,
flags, each with gaps), and leaves any other list to pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # what pandas infers for text: the "str" dtype


def _missing(value) -> bool:
    return value is None or (type(value) is float and value != value)


def column(values: list, like=None):
    """`values` as the array `pd.Series(values)` would hold, or of dtype `like` (text, float64, int64, bool or
    object; another dtype goes through pandas)."""
    kind = _kind(values) if like is None else like
    if kind == TEXT:
        array = pa.array([None if _missing(v) else v for v in values], type=pa.large_string())
        return pd.arrays.ArrowStringArray(pa.chunked_array([array]), dtype=TEXT)
    if kind in ("float64", "int64", "bool"):
        if kind == "float64":
            values = [np.nan if _missing(v) else v for v in values]
        return np.array(values, dtype=kind)
    if kind == "object":
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    return pd.array(values, dtype=kind) if like is not None else pd.Series(values).array


def _kind(values: list):
    """The dtype pandas infers for a list of str, bool, int and float values with gaps (None), else None."""
    types = {type(v) for v in values if v is not None}
    gaps = any(v is None for v in values)
    if not types:
        return "object" if values else None  # a column of nothing but None stays object
    if types == {str} or types == {str, float} and all(v != v for v in values if type(v) is float):
        return TEXT
    if types == {bool}:
        return "object" if gaps else "bool"
    if types <= {int, float}:
        return "float64" if gaps or float in types else "int64"
    return None


def frame(columns: dict[str, list | np.ndarray]) -> pd.DataFrame:
    """A frame of already built columns (arrays are used as they are)."""
    return pd.DataFrame({name: column(values) if isinstance(values, list) else values for name, values in columns.items()},
                        copy=False)
