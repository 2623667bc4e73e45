"""Plan documents → targets and reported actuals, with provenance."""
