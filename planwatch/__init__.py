"""planwatch: local S&T plan targets versus published statistics, as a warehouse."""

from importlib.metadata import PackageNotFoundError, version

try:  # the version pyproject.toml declares, as installed
    __version__ = version("planwatch")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
