"""Python values to pandas columns, at the cost of building the arrays and not of pandas' inference.

The extractor makes three small frames per document (mentions, targets, actuals). Building a column
from a list costs pandas about 0.3 ms for text (its inference, then a conversion to Arrow), thirty
times what Arrow itself takes, and that was a third of the time spent on a short document. `column`
builds the array pandas would infer, directly, for the kinds of lists the extractor has (text, numbers,
flags, each with gaps), and leaves any other list to pandas. `frame` puts built arrays together without
pandas checking each again (a third of the constructor's time), and `whole_numbers` builds an Int64
column from its values and gaps directly (pd.array infers them first, seven times slower).
"""

from __future__ import annotations

from functools import lru_cache

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
    # Numpy kinds are names or numpy dtypes: told apart from text without StringDtype's slow comparison.
    numpy_kind = isinstance(kind, (str, np.dtype))
    if numpy_kind and kind in ("float64", "int64", "bool"):
        return np.array(values, dtype=kind)  # a float64 array holds a gap (None) as NaN
    if kind is TEXT or not numpy_kind and kind == TEXT:
        array = pa.array(values, type=pa.large_string(), from_pandas=True)  # from_pandas: NaN is a gap, as None
        return pd.arrays.ArrowStringArray(pa.chunked_array([array]), dtype=TEXT)
    if numpy_kind and kind == "object":
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    return pd.array(values, dtype=kind) if like is not None else pd.Series(values).array


_NONE = type(None)


def _kind(values: list):
    """The dtype pandas infers for a list of str, bool, int and float values with gaps (None), else None."""
    types = set(map(type, values))
    gaps = _NONE in types
    types.discard(_NONE)
    if not types:
        return "object" if values else None  # a column of nothing but None stays object
    if types == {str} or types == {str, float} and all(v != v for v in values if type(v) is float):
        return TEXT
    if types == {bool}:
        return "object" if gaps else "bool"
    if types <= {int, float}:
        return "float64" if gaps or float in types else "int64"
    return None


def whole_numbers(values: list) -> pd.arrays.IntegerArray:
    """An Int64 column of whole numbers (int, or a float holding one) with gaps (None, NaN)."""
    gaps = np.array([_missing(v) for v in values], dtype=bool)
    data = np.array([0 if _missing(v) else int(v) for v in values], dtype="int64")
    return pd.arrays.IntegerArray(data, gaps)


def frame(columns: dict[str, list | np.ndarray]) -> pd.DataFrame:
    """A frame of already built columns (arrays are used as they are)."""
    arrays = [column(values) if isinstance(values, list) else values for values in columns.values()]
    lengths = {len(a) for a in arrays}
    if len(lengths) == 1 and all(_built(a) for a in arrays):
        # Arrays of one length that `column` (or the caller) built as pandas keeps them: nothing to check.
        return pd.DataFrame._from_arrays(arrays, columns=_column_index(tuple(columns)).copy(), index=pd.RangeIndex(lengths.pop()),
                                         verify_integrity=False)
    return pd.DataFrame(dict(zip(columns, arrays)), copy=False)


@lru_cache(maxsize=64)
def _column_index(names: tuple[str, ...]) -> pd.Index:
    """The column names as an Index, made once per set of names (an Index of text costs pandas its inference);
    each frame gets a shallow copy, so naming one frame's columns names no other's."""
    return pd.Index(list(names))


def _built(array) -> bool:
    """A one-dimensional array pandas stores as it is: a numpy array of a dtype `column` builds, or an extension
    array (text, Int64)."""
    if isinstance(array, np.ndarray):
        return array.ndim == 1 and array.dtype.kind in "fibO"
    return isinstance(array, pd.api.extensions.ExtensionArray) and not isinstance(array, pd.arrays.NumpyExtensionArray)
