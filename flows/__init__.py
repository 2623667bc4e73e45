"""Prefect flows: thin wrappers over planwatch's plain functions."""
