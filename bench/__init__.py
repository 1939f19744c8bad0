"""Benchmarks, load and fault tests for ITB Care, run against a private PostgreSQL cluster.

`python -m bench bench|loadtest|faulttest` (or `make bench|loadtest|faulttest`); see README.md.
`bench.sim` (the simulated people and the invariant checks) is shared with tests/test_load_smoke.py.
"""
