"""Benchmarks: `python -m bench` (or `./dev bench`) prints figures and ratios against same-run baselines."""
