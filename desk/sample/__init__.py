"""Made-up but realistic items for the demo profile and the benchmarks."""

from desk.sample.generator import generate, write_jsonl

__all__ = ["generate", "write_jsonl"]
