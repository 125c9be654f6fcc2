"""`make bench ARGS=hostile`: how long a form field takes to refuse 100,000 hostile characters.

The field validators of every case form (cases/validators.py, through cases/schema.py) against
the patterns they replaced, on the inputs that made those slow: a long email address and long
text with runs of spaces. Figures: median of several runs, in milliseconds, and the ratio to
the same field with an ordinary value. No database: the validators are pure."""

from __future__ import annotations

import re
import statistics
import time

RUNS = 7
SIZE = 100_000
# The email pattern before issue 16 (nested repeats; run even after the length check failed).
OLD_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Solr's operator strippers as regular expressions, used by search/query.py before issue 16.
OLD_CONSECUTIVE_OPS = re.compile(r"\s+[+-](?:\s*[+-]+)+")
OLD_DANGLING_OPS = re.compile(r"\s+[-+\s]+$")


def _time(fn, value) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn(value)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    from ckan.lib.navl.dictization_functions import validate

    from ckanext.layananpublik.cases import schema as cs

    schema = {"email": cs.email(), "text": cs.text("information_requested")}

    def field(name: str):
        return lambda value: validate({name: value}, {name: schema[name]}, {})

    cases = [
        ("email, ordinary", "email", "warga@example.go.id"),
        ("email, 100,000 letters", "email", "a" * SIZE),
        ("email, 'a@' + 100,000 letters", "email", "a@" + "b" * SIZE),
        ("email, 100,000 '@.'", "email", "@." * (SIZE // 2)),
        ("email, 'a@' + 'a.' x 5,000 + '@'", "email", "a@" + "a." * 5_000 + "@"),
        ("email, 'a@' + 'a.' x 50,000 + '@'", "email", "a@" + "a." * (SIZE // 2) + "@"),
        ("text, ordinary", "text", "Rincian realisasi anggaran perbaikan jalan tahun 2025"),
        ("text, 100,000 spaces and dashes", "text", "a" + " -" * (SIZE // 2) + "b"),
    ]
    ordinary = {"email": _time(field("email"), cases[0][2]), "text": _time(field("text"), cases[-2][2])}
    print(f"{'input':38} {'now ms':>9} {'x ordinary':>11} {'old email pattern ms':>21}")
    for label, name, value in cases:
        now = _time(field(name), value)
        if name != "email":
            old = f"{'':>21}"
        elif "50,000" in label:  # quadratic: ~100 times the 5,000 case; not worth minutes here
            old = f"{'(skipped: ~100x above)':>21}"
        else:
            old = f"{_time(OLD_EMAIL.fullmatch, value):21.2f}"
        print(f"{label:38} {now:9.2f} {now / ordinary[name]:11.1f} {old}")
    search()


def search() -> None:
    """The dismax query compiler on a search text with a long run of spaces, against the
    regular expressions it replaced (cubic: only run up to 2,000 characters)."""
    from ckanext.layananpublik.search.query import ParamBag, compile_dismax

    old = lambda q: OLD_DANGLING_OPS.sub("", OLD_CONSECUTIVE_OPS.sub(" ", q))  # noqa: E731
    print(f"\n{'search q':38} {'now ms':>9} {'old strippers ms':>17}")
    for size in (1_000, 2_000, SIZE):
        for label, q in ((f"'a' + {size:,} spaces + 'b'", "a" + " " * size + "b"),
                         (f"'a' + {size:,} ' -' + 'b'", "a" + " -" * (size // 2) + "b")):  # fmt: skip
            now = _time(lambda value: compile_dismax(value, ParamBag()), q)
            before = f"{_time(old, q):17.1f}" if size <= 2_000 else f"{'(skipped: cubic)':>17}"
            print(f"{label:38} {now:9.2f} {before}")
