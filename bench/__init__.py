"""Benchmarks (`make bench`): each module prints medians and ratios measured in one run."""
