"""Benchmarks: `make bench` (never timed assertions in tests)."""
