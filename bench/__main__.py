"""`make bench [ARGS="startup search"]`: run the benchmarks and print their figures."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["startup", "page_overhead", "search", "rebuild", "requests_submit", "requests_stats", "social", "social_listen", "dip", "feeds", "feeds_saves", "hostile", "load"]
# Benchmarks that are one function of a module: name -> (module, function); others run main().
ENTRY_POINTS = {"requests_submit": ("requests", "submit"), "requests_stats": ("requests", "stats"),
               "feeds_saves": ("feeds", "saves")}


def main(argv: list[str]) -> int:
    names = argv or BENCHES
    for name in names:
        if name not in BENCHES:
            print(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}")
            return 2
    for name in names:
        module, function = ENTRY_POINTS.get(name, (name, "main"))
        print(f"== bench/{module}.py" + ("" if function == "main" else f" {function}()"), flush=True)
        getattr(importlib.import_module(f"bench.{module}"), function)()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
