"""`make bench [ARGS="startup search"]`: run the benchmarks and print their figures."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["startup", "page_overhead", "search", "rebuild"]


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    for name in names:
        if name not in BENCHES:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}")
            return 2
    for name in names:
        print(f"== bench/{name}.py", flush=True)
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
