"""planwatch: local S&T plan targets versus published statistics, as a warehouse."""

__version__ = "0.1.0"
