"""Benchmarks: each fast path timed beside its naive equivalent in the same run."""
