"""Fuzz the outline, clause and target parsers (and every registered extractor, and the format
readers on damaged files): each property of
tests/unit/test_fuzz.py runs on N generated inputs (default 10,000, random seeds) and the number of
inputs checked is printed. Exit status 1 on the first property that fails (hypothesis prints the
smallest failing input). Usage: python tests/fuzz/run_fuzz.py [N]"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
os.environ["POLICYKG_FUZZ_EXAMPLES"] = str(N)  # read by test_fuzz when it is imported
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

import test_fuzz as T  # noqa: E402

PROPERTIES = [
    ("outline", T.test_outline_parser_never_crashes_and_keeps_spans_inside),
    ("clauses", T.test_clause_parser_never_crashes_and_units_sit_inside_their_clause),
    ("targets", T.test_target_parser_never_crashes_and_keeps_spans_inside),
    ("extractors", T.test_every_extractor_keeps_evidence_inside_the_text_and_names_agencies),
    ("reorder", T.test_reordered_unit_list_gives_the_same_units),
    ("readers", T.test_format_readers_turn_any_bytes_into_a_document_or_one_input_error),
]


def main() -> int:
    failed = []
    for name, test in PROPERTIES:
        t0 = time.perf_counter()
        try:
            test()
            status = "no crash, every property held"
        except Exception as exc:  # noqa: BLE001 - report and go on with the other parsers
            status = f"FAILED: {type(exc).__name__}: {str(exc)[:300]}"
            failed.append(name)
        print(f"fuzz {name:<10} {T.CALLS[name]:>7,} generated inputs in {time.perf_counter() - t0:6.1f}s: {status}", flush=True)
        if name not in failed and T.CALLS[name] < N:
            print(f"fuzz {name}: only {T.CALLS[name]} inputs were generated (wanted {N})")
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
