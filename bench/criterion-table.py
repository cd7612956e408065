#!/usr/bin/env python3
"""Turns the last `cargo bench -p cors-bench` run into BENCHMARKS.md's tables.

    python3 bench/criterion-table.py [TARGET_DIR]

Reads TARGET_DIR/criterion/**/new/{benchmark,estimates}.json (TARGET_DIR:
the argument, else $CARGO_TARGET_DIR, else target) and prints markdown: the
median time per request of each benchmark (the median resists the noise of
a shared machine better than the mean) and the ratios that matter.
"""

import json
import os
import sys
from pathlib import Path

CASES = [
    "no-origin",
    "exact-origin",
    "wildcard-origin",
    "refused-origin",
    "preflight-allowed",
    "preflight-refused",
]


def load(target: Path) -> dict:
    """{full_id: median ns}"""
    medians = {}
    for bench in (target / "criterion").glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        medians[meta["full_id"]] = estimates["median"]["point_estimate"]
    return medians


def ns(value) -> str:
    if value is None:
        return "—"
    return f"{value / 1000:.2f} µs" if value >= 10_000 else f"{value:.0f} ns"


def ratio(a, b) -> str:
    return "—" if a is None or b is None else f"{a / b:.2f}"


def added(a, b) -> str:
    return "—" if a is None or b is None else f"{a - b:+.0f} ns"


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target"))
    m = load(target)
    if not m:
        print(f"no criterion results under {target}/criterion", file=sys.stderr)
        return 1

    print("App::wrap, median time per request:\n")
    print("| request | bare | actix-cors | cors-actix | actix-cors − bare | cors-actix − bare | cors-actix / actix-cors |")
    print("| --- | --: | --: | --: | --: | --: | --: |")
    for case in CASES:
        g = lambda f: m.get(f"middleware/{case}/{f}")
        bare, theirs, ours = g("bare"), g("actix-cors"), g("cors-actix")
        print(f"| {case} | {ns(bare)} | {ns(theirs)} | {ns(ours)} | {added(theirs, bare)} | {added(ours, bare)} | {ratio(ours, theirs)} |")

    print("\nOne route with its own policy, median time per request:\n")
    print("| request | bare route | #[cors] route | added | bare resource | actix-cors resource wrap | added |")
    print("| --- | --: | --: | --: | --: | --: | --: |")
    for case in CASES:
        g = lambda f: m.get(f"route/{case}/{f}")
        br, ours, bres, theirs = g("bare-route"), g("cors-actix"), g("bare-resource"), g("actix-cors")
        print(f"| {case} | {ns(br)} | {ns(ours)} | {added(ours, br)} | {ns(bres)} | {ns(theirs)} | {added(theirs, bres)} |")

    for kind, sizes in (("exact", (1, 100, 10_000)), ("wildcard", (1, 100, 1_000))):
        print(f"\n{kind.capitalize()} origins: median time per GET through App::wrap, by number of {kind} {'origins' if kind == 'exact' else 'patterns'}:\n")
        print("| n | cors-actix, allowed | actix-cors, allowed | cors-actix, refused | actix-cors, refused |")
        print("| --: | --: | --: | --: | --: |")
        for n in sizes:
            cells = [
                ns(m.get(f"scaling/{kind}-{outcome}/{who}/{n}"))
                for outcome in ("allowed", "refused")
                for who in ("cors-actix", "actix-cors")
            ]
            print(f"| {n:,} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
