"""Translate the Solr query syntax CKAN emits into SQL over the search table.

CKAN's search code keeps building Solr parameters (q, fq, sort). This module
turns them into SQL fragments over ``layananpublik_search.package_doc AS d``
(see SCHEMA.md):

* ``compile_standard`` - the Lucene "standard" syntax used by fq, by q when it
  contains ':' and by delete queries.
* ``compile_dismax`` - the dismax syntax CKAN uses for user text without ':'.
* ``compile_sort`` - Solr sort specs.

Every user value is bound through a ``ParamBag`` (psycopg2 pyformat), so the
SQL text only ever contains fixed SQL, whitelisted column names and numbers
computed here. The SQL never contains a literal '%', so it is safe to run
through pyformat interpolation.

Decisions that differ from Lucene are documented next to the code and in
``_combine``: boolean precedence is NOT > AND > OR, so ``+a OR +b`` is an OR.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from ckanext.layananpublik.search.document import (
    FACET_SEPARATOR,
    STRING_COLUMNS,
    fold,
    is_date_field,
    is_text_field,
)

__all__ = [
    "Compiled",
    "ParamBag",
    "QuerySyntaxError",
    "SortError",
    "compile_dismax",
    "compile_sort",
    "compile_sort_keys",
    "compile_standard",
    "min_should_match",
    "parse_date_math",
]

# Stemming configs tried for every text term (any of them may match), then
# the unstemmed 'simple' config. Must match how the index writer builds tsv.
CONFIGS = ("indonesian", "english", "simple")
QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"
DEFAULT_MM = "2<-1 5<80%"
DEFAULT_FIELD = "text"

# Bonus added to ts_rank for an exact name / tag match of the whole user q
# (Solr's qf boosts name^4 and tags^2 on whole-value string fields). float8, the type
# of their sum with ts_rank's real: numeric constants were converted to float8 for every
# ranked row (numeric_float8 goes through strtod), 10% of the statement ranking 80,079
# matches; the values, and so the order, are the same.
NAME_BONUS = "1.0::float8"
TAG_BONUS = "0.5::float8"
NO_BONUS = "0::float8"

# Plain words of at least this length also match as a prefix ("pendud").
PREFIX_MIN_LEN = 3
MAX_DEPTH = 64

# --- field types (CKAN's Solr schema.xml mapped onto SCHEMA.md) -------------
DATE_COLUMNS = frozenset({"metadata_created", "metadata_modified"})
LABELS_FIELD = "permission_labels"
# Labels most datasets carry (CKAN gives every public dataset `public`, and every user's
# search asks for it): a test on one of them is written so that the labels' GIN index
# cannot serve it. ANDed with a text search's bitmap, that index's 90,000 entries at
# 100,000 datasets cost more than the rows they could rule out ('"rumah sakit"': 16.7 ->
# 11.0 ms of CPU without it). Tests on other labels (member-, creator-) still use it.
UNSELECTIVE_LABELS = frozenset({"public"})
INT_FIELDS = frozenset(
    {
        "views_total",
        "views_recent",
        "resources_accessed_total",
        "resources_accessed_recent",
        "num_resources",
        "num_tags",
    }
)
NGRAM_EXPRS = {
    "name_ngram": "lower(d.name)",
    "title_ngram": "lower(d.doc->>'title')",
}
NGRAM_SOURCES = {"name_ngram": "name", "title_ngram": "title"}
# Fields Solr copies into the catch-all `text`: a dismax qf listing `text`
# already covers them, so they need no separate match.
COPIED_TO_TEXT = frozenset(
    {
        "text",
        "urls",
        "url",
        "ckan_url",
        "download_url",
        "res_url",
        "name",
        "title",
        "license",
        "notes",
        "tags",
        "groups",
        "organization",
        "res_name",
        "res_description",
        "maintainer",
        "author",
    }
)
COPIED_PREFIXES = ("extras_", "res_extras_", "vocab_")

_WS = " \t\n\r\u3000"
# Characters that end an unquoted Lucene term ('+'/'-' only matter at start).
_TERM_STOP = frozenset(_WS + '()[]{}"^~:!')
_KEYWORD_RE = re.compile(r'(AND|OR|NOT|&&|\|\|)(?=[\s()\[\]{}"^~:!]|$)')
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_SORT_RE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.\-]*)\s+(asc|desc)$", re.IGNORECASE)
_INT_VALUE_RE = re.compile(r"^-?\d+(\.\d+)?$")
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_DATE_MATH_RE = re.compile(r"([+-]\d+|/)([A-Za-z]+)")
_DATE_UNITS = {
    "YEAR": "years",
    "YEARS": "years",
    "MONTH": "months",
    "MONTHS": "months",
    "DAY": "days",
    "DAYS": "days",
    "DATE": "days",
    "HOUR": "hours",
    "HOURS": "hours",
    "MINUTE": "minutes",
    "MINUTES": "minutes",
    "SECOND": "seconds",
    "SECONDS": "seconds",
    "MILLI": "millis",
    "MILLIS": "millis",
    "MILLISECOND": "millis",
    "MILLISECONDS": "millis",
}
# Cheap guards so a malformed stored value yields NULL instead of a cast error.
_NUMERIC_GUARD = r"'^-?[0-9]+(\.[0-9]+)?$'"
_DATE_GUARD = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}'"


class QuerySyntaxError(ValueError):
    """q/fq cannot be parsed (Solr would answer with a SyntaxError)."""


class SortError(ValueError):
    """Invalid sort spec; the message matches the Solr text CKAN maps to 400."""


@dataclass
class Compiled:
    where: str
    rank: str | None
    # Every field the query tests, None when it searches text (dismax): a query on
    # shared columns only can be answered from the facet summary (store.summary_level).
    fields: frozenset[str] | None = frozenset()


class ParamBag:
    """Bind parameters shared by q and every fq of one search (pyformat)."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


# --- AST ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Term:
    field: str
    text: str  # unescaped literal value
    wild: frozenset[int] = frozenset()  # positions of unescaped '*'/'?'
    phrase: bool = False
    slop: int = 0

    @property
    def prefix(self) -> str | None:
        """'foo*' -> 'foo' when a trailing '*' is the only wildcard."""
        last = len(self.text) - 1
        if last > 0 and self.wild == {last} and self.text[last] == "*":
            return self.text[:last]
        return None


@dataclass(frozen=True)
class _Range:
    field: str
    lo: str | None  # None means '*'
    hi: str | None
    lo_inc: bool
    hi_inc: bool


@dataclass(frozen=True)
class _Exists:
    field: str


@dataclass(frozen=True)
class _All:
    pass


@dataclass(frozen=True)
class _Not:
    child: _Node


@dataclass(frozen=True)
class _Bool:
    op: str  # "AND" | "OR"
    children: tuple[_Node, ...]


_Node = _Term | _Range | _Exists | _All | _Not | _Bool


# --- helpers -----------------------------------------------------------------
def _fold(text: str) -> str:
    """Accent-fold and lower-case like the index writer."""
    return fold(text).lower()


def _has_alnum(text: str) -> bool:
    # Solr's analyzers drop pure punctuation; a term without any letter or
    # digit produces no tokens and its clause is dropped.
    return any(c.isalnum() for c in text)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_pattern(term: _Term, transform: Callable[[str], str] = str) -> str:
    """LIKE pattern for a wildcard term: '*' -> '%', '?' -> '_'."""
    out = []
    for i, char in enumerate(term.text):
        if i in term.wild:
            out.append("%" if char == "*" else "_")
        else:
            out.append(_like_escape(transform(char)))
    return "".join(out)


def _prefix_literal(prefix: str) -> str:
    """A to_tsquery() input matching words that start with prefix."""
    return "'" + prefix.replace("\\", "\\\\").replace("'", "''") + "':*"


def _field_kind(field: str) -> str:
    """Map a Solr field name to how it is stored in package_doc."""
    if field == DEFAULT_FIELD:
        return "tsv"
    if field in STRING_COLUMNS:
        return "column"
    if field in DATE_COLUMNS:
        return "date_column"
    if field == LABELS_FIELD:
        return "labels"
    if field in NGRAM_EXPRS:
        return "ngram"
    if is_text_field(field):  # the writer's rule: one definition of Solr's text fields
        return "text"
    if field in INT_FIELDS:
        return "int"
    if is_date_field(field):
        return "date"
    return "string"  # Solr's '*' dynamic field is a string


def _sdoc_first(key_sql: str) -> str:
    return f"(d.sdoc->{key_sql}->>0)"


def _numeric_expr(key_sql: str) -> str:
    value = _sdoc_first(key_sql)
    return f"(CASE WHEN {value} ~ {_NUMERIC_GUARD} THEN {value}::numeric END)"


def _date_expr(key_sql: str) -> str:
    value = _sdoc_first(key_sql)
    return f"(CASE WHEN {value} ~ {_DATE_GUARD} THEN {value}::timestamptz END)"


def _parse_number(text: str) -> Decimal:
    if not _INT_VALUE_RE.match(text.strip()):
        raise QuerySyntaxError(f"Invalid number: {text!r}")
    return Decimal(text.strip())


def _round_date(value: datetime, unit: str) -> datetime:
    if unit == "millis":
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    order = ["years", "months", "days", "hours", "minutes", "seconds"]
    resets = {
        "months": {"month": 1},
        "days": {"day": 1},
        "hours": {"hour": 0},
        "minutes": {"minute": 0},
        "seconds": {"second": 0},
    }
    kwargs: dict[str, int] = {"microsecond": 0}
    for smaller in order[order.index(unit) + 1 :]:
        kwargs.update(resets[smaller])
    return value.replace(**kwargs)


def parse_date_math(text: str, now: datetime | None = None) -> datetime:
    """Solr date math: NOW, NOW/DAY, NOW-7DAYS, ISO dates (+ math)."""
    value = text.strip()
    if value.startswith("NOW"):
        base = now or datetime.now(timezone.utc)
        rest = value[3:]
    else:
        match = _ISO_RE.match(value)
        if not match:
            raise QuerySyntaxError(f"Invalid date: {text!r}")
        try:
            base = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError as err:
            raise QuerySyntaxError(f"Invalid date: {text!r}") from err
        base = base if base.tzinfo else base.replace(tzinfo=timezone.utc)
        rest = value[match.end() :]
    try:
        return _apply_date_math(base, rest, text)
    except (ValueError, OverflowError) as err:  # e.g. NOW+9999YEARS is past year 9999
        raise QuerySyntaxError(f"Date out of range: {text!r}") from err


def _apply_date_math(base: datetime, rest: str, text: str) -> datetime:
    pos = 0
    while pos < len(rest):
        match = _DATE_MATH_RE.match(rest, pos)
        unit = _DATE_UNITS.get(match.group(2).upper()) if match else None
        if match is None or unit is None:
            raise QuerySyntaxError(f"Invalid date math: {text!r}")
        op = match.group(1)
        if op == "/":
            base = _round_date(base, unit)
        elif unit == "millis":
            base = base + relativedelta(microseconds=int(op) * 1000)
        else:
            base = base + relativedelta(**{unit: int(op)})
        pos = match.end()
    return base


# --- standard (Lucene) parser -----------------------------------------------
class _Parser:
    """Recursive-descent parser for the Lucene standard syntax subset."""

    def __init__(self, text: str, df: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.df = df
        self.depth = 0

    def error(self, message: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"{message} at position {self.i} in {self.s!r}")

    def parse(self) -> _Node:
        node = self.query(None)
        if self.i < self.n:  # query() only stops early at ')'
            raise self.error("Unbalanced ')'")
        return node

    def skip_ws(self) -> None:
        while self.i < self.n and self.s[self.i] in _WS:
            self.i += 1

    def peek_nonws(self) -> tuple[str, int]:
        j = self.i
        while j < self.n and self.s[j] in _WS:
            j += 1
        return (self.s[j] if j < self.n else ""), j

    def keyword(self, consume: bool) -> str | None:
        match = _KEYWORD_RE.match(self.s, self.i)
        if not match:
            return None
        if consume:
            self.i = match.end()
        return {"&&": "AND", "||": "OR"}.get(match.group(1), match.group(1))

    def query(self, field: str | None) -> _Node:
        """clause ((AND|OR)? clause)* up to ')' or the end."""
        items: list[tuple[bool, str, _Node]] = []
        conj: str | None = None
        while True:
            self.skip_ws()
            if self.i >= self.n or self.s[self.i] == ")":
                break
            word = self.keyword(consume=True)
            if word in ("AND", "OR"):
                if not items or conj is not None:
                    raise self.error(f"Unexpected {word}")
                conj = word
                continue
            modifier = self.modifier(word)
            if modifier is None:
                continue
            items.append((conj == "OR", modifier, self.clause(field)))
            conj = None
        if conj is not None:
            raise self.error(f"Dangling {conj}")
        if not items:
            raise self.error("Empty query")
        return _combine(items)

    def modifier(self, word: str | None) -> str | None:
        """'' (none), '+' or '-'; None for a lone operator (a no-op)."""
        if word == "NOT":
            return "-"
        char = self.s[self.i]
        if char not in "+-!":
            return ""
        self.i += 1
        if self.i >= self.n:
            raise self.error(f"Dangling {char!r}")
        if self.s[self.i] in _WS:
            return None  # Lucene's BAREOPER: "a - b" is "a b"
        return "+" if char == "+" else "-"

    def clause(self, field: str | None) -> _Node:
        self.skip_ws()
        if self.i >= self.n:
            raise self.error("Dangling operator")
        char = self.s[self.i]
        if char in "+-!" or self.keyword(consume=False):
            raise self.error(f"Unexpected operator {char!r}")
        if char == "(":
            node = self.group(field)
        elif char == '"':
            node = _Term(field or self.df, self.quoted(), phrase=True)
        elif char in "[{":
            node = self.range(field or self.df)
        else:
            text, wild = self.term()
            if self.colon():
                node = self.fielded(self.field_name(text, wild))
            else:
                node = self.term_node(field or self.df, text, wild)
        return self.suffixes(node)

    def group(self, field: str | None) -> _Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("Query nested too deeply")
        self.i += 1
        node = self.query(field)
        if self.i >= self.n or self.s[self.i] != ")":
            raise self.error("Unbalanced '('")
        self.i += 1
        self.depth -= 1
        return node

    def colon(self) -> bool:
        """Consume a ':' after a term (Lucene allows whitespace around it)."""
        char, j = self.peek_nonws()
        if char != ":":
            return False
        self.i = j + 1
        return True

    def field_name(self, text: str, wild: frozenset[int]) -> str:
        if wild and text != "*":
            raise self.error(f"Wildcards in field names are not supported: {text!r}")
        return text

    def fielded(self, field: str) -> _Node:
        self.skip_ws()
        char = self.s[self.i] if self.i < self.n else ""
        if char == "(":
            node = self.group(field)
        elif char == '"':
            node = _Term(field, self.quoted(), phrase=True)
        elif char in ("[", "{"):
            node = self.range(field)
        elif not char or char in "+-" or self.keyword(consume=False):
            raise self.error(f"Missing value for field {field!r}")
        else:
            node = self.term_node(field, *self.term())
        if field == "*" and not isinstance(node, _All):
            raise self.error("Only '*:*' may use the '*' field")
        return node

    def term_node(self, field: str, text: str, wild: frozenset[int]) -> _Node:
        if text == "*" and wild:
            return _All() if field == "*" else _Exists(field)
        return _Term(field, text, wild)

    def term(self) -> tuple[str, frozenset[int]]:
        """An unquoted term; returns the unescaped text and wildcard positions."""
        chars: list[str] = []
        wild: set[int] = set()
        while self.i < self.n:
            char = self.s[self.i]
            if char == "\\":
                if self.i + 1 >= self.n:
                    raise self.error("Dangling backslash")
                chars.append(self.s[self.i + 1])
                self.i += 2
                continue
            if char in _TERM_STOP:
                break
            if char in "*?":
                wild.add(len(chars))
            chars.append(char)
            self.i += 1
        if not chars:
            found = self.s[self.i] if self.i < self.n else "end of query"
            raise self.error(f"Unexpected {found!r}")
        return "".join(chars), frozenset(wild)

    def quoted(self) -> str:
        """A double-quoted string with backslash escapes (i at the quote)."""
        self.i += 1
        chars: list[str] = []
        while self.i < self.n:
            char = self.s[self.i]
            if char == "\\" and self.i + 1 < self.n:
                chars.append(self.s[self.i + 1])
                self.i += 2
            elif char == '"':
                self.i += 1
                return "".join(chars)
            else:
                chars.append(char)
                self.i += 1
        raise self.error("Unbalanced quote")

    def range(self, field: str) -> _Range:
        lo_inc = self.s[self.i] == "["
        self.i += 1
        lo = self.range_end()
        self.skip_ws()
        if not self.s.startswith("TO", self.i):
            raise self.error("Expected 'TO' in range")
        self.i += 2
        hi = self.range_end()
        self.skip_ws()
        if self.i >= self.n or self.s[self.i] not in "]}":
            raise self.error("Unterminated range")
        hi_inc = self.s[self.i] == "]"
        self.i += 1
        return _Range(field, lo, hi, lo_inc, hi_inc)

    def range_end(self) -> str | None:
        """A range endpoint: quoted, '*' (None) or goop up to ws/']'/'}'."""
        self.skip_ws()
        if self.i < self.n and self.s[self.i] == '"':
            return self.quoted()
        start = self.i
        while self.i < self.n and self.s[self.i] not in _WS + "]}":
            self.i += 1
        value = self.s[start : self.i]
        if not value:
            raise self.error("Missing range endpoint")
        return None if value == "*" else value

    def suffixes(self, node: _Node) -> _Node:
        """Parse '^boost' (ignored) and '~slop' (phrase slop, fuzzy ignored)."""
        seen: set[str] = set()
        while True:
            char, j = self.peek_nonws()
            if char not in ("^", "~") or char in seen:
                return node
            seen.add(char)
            self.i = j + 1
            number = _NUMBER_RE.match(self.s, self.i)
            if number:
                self.i = number.end()
            elif char == "^":
                raise self.error("Boost without a number")
            if char == "~" and isinstance(node, _Term) and node.phrase and number:
                node = replace(node, slop=int(float(number.group(0))))


def _combine(items: list[tuple[bool, str, _Node]]) -> _Node:
    """Apply precedence NOT > AND > OR to one clause list.

    Clauses joined by whitespace or AND form a segment; OR separates
    segments. Inside a segment '+' and no prefix are MUST, '-'/'!'/NOT are
    MUST_NOT, and a purely negative segment means all docs minus those.
    So ``+a OR +b`` is ``a OR b`` (the intent of CKAN's cli/views.py), and
    ``a OR b -c`` is ``a OR (b AND NOT c)``.
    """
    segments: list[list[tuple[str, _Node]]] = [[]]
    for or_before, modifier, node in items:
        if or_before:
            segments.append([])
        segments[-1].append((modifier, node))
    nodes = [_segment(segment) for segment in segments]
    return nodes[0] if len(nodes) == 1 else _Bool("OR", tuple(nodes))


def _segment(segment: list[tuple[str, _Node]]) -> _Node:
    positive: list[_Node] = [node for mod, node in segment if mod != "-"]
    negative: list[_Node] = [_Not(node) for mod, node in segment if mod == "-"]
    children = (positive or [_All()]) + negative
    return children[0] if len(children) == 1 else _Bool("AND", tuple(children))


# --- SQL compilation ---------------------------------------------------------
class _Compiler:
    """Turns AST nodes into SQL over alias d; None means 'clause dropped'."""

    def __init__(self, bag: ParamBag) -> None:
        self.bag = bag
        self.rank_tsqueries: list[str] = []
        self.fields: set[str] = set()

    def node(self, node: _Node, negated: bool = False) -> str | None:
        if isinstance(node, (_Term, _Range, _Exists)):
            self.fields.add(node.field)
        if isinstance(node, _All):
            return "TRUE"
        if isinstance(node, _Not):
            inner = self.node(node.child, not negated)
            # IS NOT TRUE: a doc lacking the field (NULL) is not excluded.
            return None if inner is None else f"(({inner}) IS NOT TRUE)"
        if isinstance(node, _Bool):
            return self.boolean(node, negated)
        if isinstance(node, _Exists):
            return self.exists(node.field)
        if isinstance(node, _Range):
            return self.range(node)
        return self.term(node, negated)

    def boolean(self, node: _Bool, negated: bool) -> str | None:
        if node.op == "OR":
            merged = self.or_any(node.children)
            if merged:
                self.fields.update(child.field for child in node.children if isinstance(child, _Term))
                return merged
        parts = [self.node(child, negated) for child in node.children]
        kept = [part for part in parts if part is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else "(" + f" {node.op} ".join(kept) + ")"

    def or_any(self, children: tuple[_Node, ...]) -> str | None:
        """field:(a OR b) on a column -> one '= ANY(array)' / '&&' test."""
        if not all(isinstance(c, _Term) and not c.wild for c in children):
            return None
        fields = {c.field for c in children if isinstance(c, _Term)}
        values = [c.text for c in children if isinstance(c, _Term)]
        if len(fields) != 1:
            return None
        field = fields.pop()
        kind = _field_kind(field)
        if kind == "column":
            return f"d.{field} = ANY({self.bag.add(values)})"
        if kind == "labels":
            overlap = f"d.permission_labels && {self.bag.add(values)}::text[]"
            return f"({overlap}) IS TRUE" if UNSELECTIVE_LABELS.intersection(values) else overlap
        return None

    def term(self, term: _Term, negated: bool) -> str | None:
        kind = _field_kind(term.field)
        if kind == "tsv":
            return self.tsv_term(term, negated)
        if kind == "text":
            return self.text_term(term)
        if kind == "ngram":
            return self.ngram(term)
        if kind in ("date", "date_column", "int"):
            return self.typed_equals(term, kind)
        return self.string_term(term, kind)

    def text_term(self, term: _Term) -> str | None:
        key = self.bag.add(term.field)
        match = self.analyzed(term, lambda cfg: f"to_tsvector('{cfg}', d.tdoc->>{key})")
        general_wildcard = bool(term.wild) and term.prefix is None
        if match is None or general_wildcard or not _covered_by_text(term.field):
            return match
        # The field is also in the catch-all d.tsv: an indexable prefilter lets
        # the GIN index (and BitmapOr with other fields) do the work. It limits
        # matches to the configs the writer indexed for the document.
        return f"(d.tsv @@ {self.default_tsquery(term)} AND {match})"

    def string_term(self, term: _Term, kind: str) -> str:
        """Exact, case-sensitive match on a string field (any value)."""
        if kind == "column":
            column = f"d.{term.field}"
            if term.wild:
                return f"{column} LIKE {self.bag.add(_like_pattern(term))}"
            return f"{column} = {self.bag.add(term.text)}"
        if kind == "labels":
            if term.wild:
                pattern = self.bag.add(_like_pattern(term))
                return (
                    "EXISTS (SELECT 1 FROM unnest(d.permission_labels) AS v(x)" f" WHERE v.x LIKE {pattern})"
                )
            if term.text in UNSELECTIVE_LABELS:
                return f"{self.bag.add(term.text)}::text = ANY(d.permission_labels)"
            return f"d.permission_labels @> {self.bag.add([term.text])}::text[]"
        if term.wild:
            key = self.bag.add(term.field)
            pattern = self.bag.add(_like_pattern(term))
            return (
                f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.sdoc->{key}) AS v(x)"
                f" WHERE v.x LIKE {pattern})"
            )
        # containment keeps the jsonb_path_ops GIN index usable
        return f"d.sdoc @> {self.bag.add(json.dumps({term.field: [term.text]}))}::jsonb"

    def default_tsquery(self, term: _Term) -> str | None:
        """tsquery for a term on the catch-all vector, None if no tokens."""
        if term.prefix is not None:
            folded = _fold(term.prefix)
            if not _has_alnum(folded):
                return None
            return f"to_tsquery('simple', {self.bag.add(_prefix_literal(folded))})"
        return _word_tsquery(self.bag, term.text, term.phrase, term.slop)

    def tsv_term(self, term: _Term, negated: bool) -> str | None:
        if term.wild and term.prefix is None:
            return self.token_like("d.tsv", term)
        tsquery = self.default_tsquery(term)
        if tsquery is None:
            return None
        if not negated:
            self.rank_tsqueries.append(tsquery)
        return f"d.tsv @@ {tsquery}"

    def analyzed(self, term: _Term, vector: Callable[[str], str]) -> str | None:
        """Match a text field analysed at query time with every config."""
        if term.prefix is not None:
            folded = _fold(term.prefix)
            if not _has_alnum(folded):
                return None
            literal = self.bag.add(_prefix_literal(folded))
            return f"{vector('simple')} @@ to_tsquery('simple', {literal})"
        if term.wild:
            return self.token_like(vector("simple"), term)
        folded = _fold(term.text)
        if not _has_alnum(folded):
            return None
        value = self.bag.add(folded)
        function = _phrase_function(term.slop)
        tests = [f"{vector(cfg)} @@ {function}('{cfg}', {value})" for cfg in CONFIGS]
        return "(" + " OR ".join(tests) + ")"

    def token_like(self, vector_sql: str, term: _Term) -> str:
        """General wildcards (te?t, *foo) over the indexed tokens."""
        pattern = self.bag.add(_like_pattern(term, _fold))
        return (
            f"EXISTS (SELECT 1 FROM unnest(tsvector_to_array({vector_sql})) AS w(x)"
            f" WHERE w.x LIKE {pattern})"
        )

    def ngram(self, term: _Term) -> str | None:
        """Case-insensitive substring per whitespace token (Solr 2-10 grams)."""
        text = "".join(" " if i in term.wild else c for i, c in enumerate(term.text))
        tokens = text.lower().split()
        if not tokens:
            return None
        expr = NGRAM_EXPRS[term.field]
        tests = [f"{expr} LIKE {self.bag.add('%' + _like_escape(t) + '%')}" for t in tokens]
        return tests[0] if len(tests) == 1 else "(" + " AND ".join(tests) + ")"

    def typed_expr(self, field: str, kind: str) -> str:
        if kind == "date_column":
            return f"d.{field}"
        key = self.bag.add(field)
        return _numeric_expr(key) if kind == "int" else _date_expr(key)

    def typed_value(self, text: str, kind: str) -> Any:
        return _parse_number(text) if kind == "int" else parse_date_math(text)

    def typed_equals(self, term: _Term, kind: str) -> str:
        if term.wild:
            raise QuerySyntaxError(f"Wildcards are not supported on field {term.field!r}")
        value = self.bag.add(self.typed_value(term.text, kind))
        return f"{self.typed_expr(term.field, kind)} = {value}"

    def range(self, node: _Range) -> str:
        if node.lo is None and node.hi is None:
            return self.exists(node.field)
        kind = _field_kind(node.field)
        if kind in ("date", "date_column", "int"):
            expr = self.typed_expr(node.field, kind)
            return self.bounds(expr, node, lambda v: self.typed_value(v, kind))
        if kind == "column":
            return self.bounds(f'd.{node.field} COLLATE "C"', node, str)
        if kind in ("string", "labels"):
            source = self.values_source(node.field)
            test = self.bounds('v.x COLLATE "C"', node, str)
            return f"EXISTS (SELECT 1 FROM {source} AS v(x) WHERE {test})"
        raise QuerySyntaxError(f"Range queries are not supported on text field {node.field!r}")

    def bounds(self, expr: str, node: _Range, convert: Callable[[str], Any]) -> str:
        tests = []
        if node.lo is not None:
            operator = ">=" if node.lo_inc else ">"
            tests.append(f"{expr} {operator} {self.bag.add(convert(node.lo))}")
        if node.hi is not None:
            operator = "<=" if node.hi_inc else "<"
            tests.append(f"{expr} {operator} {self.bag.add(convert(node.hi))}")
        return "(" + " AND ".join(tests) + ")"

    def values_source(self, field: str) -> str:
        if field == LABELS_FIELD:
            return "unnest(d.permission_labels)"
        return f"jsonb_array_elements_text(d.sdoc->{self.bag.add(field)})"

    def exists(self, field: str) -> str:
        """field:* and field:[* TO *]: the field has a non-empty value."""
        kind = _field_kind(field)
        if kind == "tsv":
            return "(length(d.tsv) > 0)"
        if kind == "column":
            return f"(d.{field} <> '')"
        if kind == "date_column":
            return f"(d.{field} IS NOT NULL)"
        if kind == "ngram":
            field = NGRAM_SOURCES[field]
            if field == "name":
                return "(d.name <> '')"
        source = self.values_source(field)
        return f"EXISTS (SELECT 1 FROM {source} AS v(x) WHERE v.x <> '')"


def _phrase_function(slop: int) -> str:
    # tsquery cannot say "within N positions"; a sloppy phrase needs all words.
    return "plainto_tsquery" if slop > 0 else "phraseto_tsquery"


def _word_tsquery(bag: ParamBag, text: str, phrase: bool, slop: int = 0) -> str | None:
    """(indonesian || english || simple [|| simple prefix]) for one term.

    A multi-token term or phrase is an adjacency phrase in each config. Plain
    words of >= PREFIX_MIN_LEN chars also match as a 'simple' prefix so a
    partial word finds the full one ("pendud" -> "penduduk").
    """
    folded = _fold(text)
    if not _has_alnum(folded):
        return None
    value = bag.add(folded)
    function = _phrase_function(slop)
    parts = [f"{function}('{cfg}', {value})" for cfg in CONFIGS]
    if not phrase and folded.isalnum() and len(folded) >= PREFIX_MIN_LEN:
        parts.append(f"to_tsquery('simple', {bag.add(_prefix_literal(folded))})")
    return "(" + " || ".join(parts) + ")"


def compile_standard(q: str, bag: ParamBag, df: str = DEFAULT_FIELD) -> Compiled:
    """Compile Lucene standard syntax (fq, q with ':', delete queries)."""
    if not q.strip():
        return Compiled(where="TRUE", rank=None)  # Solr ignores a blank fq
    tree = _Parser(q, df).parse()
    compiler = _Compiler(bag)
    where = compiler.node(tree) or "FALSE"
    rank = None
    if compiler.rank_tsqueries:
        rank = f"ts_rank(d.tsv, ({' || '.join(compiler.rank_tsqueries)}))"
    return Compiled(where=where, rank=rank, fields=frozenset(compiler.fields))


# --- dismax ------------------------------------------------------------------
@dataclass
class _DismaxClause:
    match: str  # SQL true when the clause matches
    tsquery: str | None  # its part on d.tsv, for the prefilter and ranking
    extras: list[str]  # per-field matches for qf fields not copied into text
    text: str


def min_should_match(count: int, spec: str) -> int:
    """Solr's mm: e.g. '2<-1 5<80%' -> 1-2 all, 3-5 all but one, >5 80%."""
    try:
        text = re.sub(r"\s*<\s*", "<", spec.strip())
        if "<" not in text:
            return _mm_simple(count, text)
        result = count
        for part in text.split():
            upper, _, sub = part.partition("<")
            if count <= int(upper):
                return result
            result = _mm_simple(count, sub)
        return result
    except ValueError as err:
        raise QuerySyntaxError(f"Invalid mm {spec!r}") from err


def _mm_simple(count: int, spec: str) -> int:
    if spec.endswith("%"):
        calc = count * int(spec[:-1]) / 100
        result = count + int(calc) if calc < 0 else int(calc)
    else:
        number = int(spec)
        result = count + number if number < 0 else number
    return min(count, max(0, result))


# Solr's SolrPluginUtils.stripIllegalOperators, applied before parsing. Solr writes them as the
# patterns r"\s+[+-](?:\s*[+-]+)+" (replaced by a space) and r"\s+[-+\s]+$" (removed); as
# regular expressions they backtrack (quadratic and cubic on a long run of spaces: 12 s for a
# query of 2,000 spaces), so they are written as one pass each, with the same result.
_OPS = "+-"


def _strip_consecutive_ops(q: str) -> str:
    """Whitespace, an operator, then more operators (each run maybe after whitespace) -> a space."""
    out, i, n = [], 0, len(q)
    while i < n:
        if not q[i].isspace():
            out.append(q[i])
            i += 1
            continue
        j = i
        while j < n and q[j].isspace():
            j += 1
        end = None
        if j < n and q[j] in _OPS:
            pos = j + 1
            while True:
                m = pos
                while m < n and q[m].isspace():
                    m += 1
                if m >= n or q[m] not in _OPS:
                    break
                while m < n and q[m] in _OPS:
                    m += 1
                end = pos = m
        if end is None:
            out.append(q[i:j])
            i = j
        else:
            out.append(" ")
            i = end
    return "".join(out)


def _strip_dangling_ops(q: str) -> str:
    """Drop a trailing run of operators and whitespace that starts with whitespace (two or more
    characters long), as the pattern's leftmost match would."""
    start = len(q)
    while start > 0 and (q[start - 1].isspace() or q[start - 1] in _OPS):
        start -= 1
    for p in range(start, len(q) - 1):
        if q[p].isspace():
            return q[:p]
    return q


def _dismax_tokens(q: str) -> list[tuple[str, str, bool]]:
    """(modifier, text, is_phrase) tokens of a dismax q, cleaned like Solr.

    Unbalanced quotes are removed; doubled operators after whitespace and
    trailing operators are stripped. What survives goes through Lucene's
    grammar, so a doubled operator at the very start ('--included') or a
    lone operator at the end is a syntax error; a lone operator followed by
    whitespace is a no-op.
    """
    if q.count('"') % 2:
        q = q.replace('"', "")
    q = _strip_dangling_ops(_strip_consecutive_ops(q))
    tokens: list[tuple[str, str, bool]] = []
    i, n = 0, len(q)
    while i < n:
        if q[i] in _WS:
            i += 1
            continue
        modifier = ""
        if q[i] in "+-":
            if i + 1 >= n or q[i + 1] in "+-":
                raise QuerySyntaxError(f"Unexpected operator at position {i} in {q!r}")
            if q[i + 1] in _WS:
                i += 1
                continue
            modifier, i = q[i], i + 1
        if q[i] == '"':
            end = q.index('"', i + 1)
            tokens.append((modifier, q[i + 1 : end], True))
            i = end + 1
            continue
        start = i
        while i < n and q[i] not in _WS and q[i] != '"':
            i += 1
        tokens.append((modifier, q[start:i], False))
    return tokens


def _qf_fields(qf: str) -> list[str]:
    fields = [part.split("^", 1)[0] for part in qf.split()]
    return [field for field in fields if field]


def _covered_by_text(field: str) -> bool:
    return field in COPIED_TO_TEXT or field.startswith(COPIED_PREFIXES)


def _dismax_clause(compiler: _Compiler, fields: list[str], text: str, phrase: bool) -> _DismaxClause | None:
    """Match one dismax term/phrase against the qf fields (any of them)."""
    tsquery = None
    if DEFAULT_FIELD in fields:
        tsquery = _word_tsquery(compiler.bag, text, phrase)
        fields = [field for field in fields if not _covered_by_text(field)]
    extras: list[str] = []
    for field in fields:
        try:
            # negated=True: keep these out of rank_tsqueries; _dismax_rank ranks
            sql = compiler.term(_Term(field, text, phrase=phrase), negated=True)
        except QuerySyntaxError:
            continue  # a word that is not a number/date cannot match int/date
        if sql is not None:
            extras.append(sql)
    tests = ([f"d.tsv @@ {tsquery}"] if tsquery else []) + extras
    if not tests:
        return None
    match = tests[0] if len(tests) == 1 else "(" + " OR ".join(tests) + ")"
    return _DismaxClause(match, tsquery, extras, text)


def _min_match_sql(optional: list[_DismaxClause], need: int) -> list[str]:
    """SQL requiring `need` of the optional clauses."""
    if need >= len(optional):
        return [clause.match for clause in optional]
    tsqueries = [clause.tsquery for clause in optional if clause.tsquery]
    any_tests = [f"d.tsv @@ ({' || '.join(tsqueries)})"] if tsqueries else []
    any_tests += [extra for clause in optional for extra in clause.extras]
    prefilter = "(" + " OR ".join(any_tests) + ")"  # GIN-usable 'any of them'
    if need <= 1:
        return [prefilter]
    counted = " + ".join(f"(CASE WHEN {c.match} THEN 1 ELSE 0 END)" for c in optional)
    return [prefilter, f"({counted}) >= {int(need)}"]


def _dismax_rank(bag: ParamBag, positive: list[_DismaxClause]) -> str | None:
    if not positive:
        return None
    whole = " ".join(clause.text for clause in positive)
    parts = []
    tsqueries = [clause.tsquery for clause in positive if clause.tsquery]
    if tsqueries:
        parts.append(f"ts_rank(d.tsv, ({' || '.join(tsqueries)}))")
    parts.append(f"(CASE WHEN d.name = {bag.add(whole.lower())} THEN {NAME_BONUS} ELSE {NO_BONUS} END)")
    # facet_values, not sdoc: it is in the row, so ranking many matches reads no TOAST.
    # `= ANY` walks the array in place; `@>` deconstructed it for every ranked row.
    tag = bag.add(f"tags{FACET_SEPARATOR}{whole}")
    parts.append(f"(CASE WHEN {tag}::text = ANY(d.facet_values) THEN {TAG_BONUS} ELSE {NO_BONUS} END)")
    return "(" + " + ".join(parts) + ")"


def compile_dismax(q: str, bag: ParamBag, qf: str | None = None, mm: str | None = None) -> Compiled:
    """Compile a dismax user query: terms, "phrases", +term, -term."""
    fields = _qf_fields(qf or QUERY_FIELDS)
    compiler = _Compiler(bag)
    groups: dict[str, list[_DismaxClause]] = {"": [], "+": [], "-": []}
    for modifier, text, phrase in _dismax_tokens(q):
        clause = _dismax_clause(compiler, fields, text, phrase)
        if clause is not None:  # terms without letters/digits are dropped
            groups[modifier].append(clause)
    optional, required, prohibited = groups[""], groups["+"], groups["-"]
    conditions = [clause.match for clause in required]
    if optional:
        need = min_should_match(len(optional), mm or DEFAULT_MM)
        if not required:
            need = max(need, 1)  # only SHOULD clauses: at least one must match
        if need:
            conditions += _min_match_sql(optional, need)
    conditions += [f"(({clause.match}) IS NOT TRUE)" for clause in prohibited]
    where = " AND ".join(conditions) if conditions else "TRUE"
    return Compiled(where=where, rank=_dismax_rank(bag, required + optional), fields=None)


# --- sort --------------------------------------------------------------------
# The last key of every sort: unique, so equal keys before it still give one order.
TIEBREAK = "d.index_id"


def _sort_expr(field: str, rank: str | None) -> str | None:
    """SQL for one sort field; names are validated by _SORT_RE."""
    if field == "score":
        return rank
    kind = _field_kind(field)
    if kind == "date_column":
        return f"d.{field}"
    if kind == "column":
        return f'd.{field} COLLATE "C"'  # Solr compares string bytes
    literal = f"'{field}'"
    if kind == "int":
        return _numeric_expr(literal)
    if kind == "date":
        return _date_expr(literal)
    # unknown/other fields: first stored string; a no-op when missing
    return f'{_sdoc_first(literal)} COLLATE "C"'


def compile_sort_keys(sort: str, rank: str | None) -> list[tuple[str, str]]:
    """Solr sort spec -> (SQL expression, direction) pairs, ending with a deterministic tiebreak."""
    text = (sort or "").strip()
    specs = text.split(",") if text else []
    keys: list[tuple[str, str]] = []
    for spec in specs:
        match = _SORT_RE.match(spec.strip())
        if not match:
            raise SortError(f"Can't determine a Sort Order (asc or desc) in sort spec '{spec.strip()}'")
        field, direction = match.group(1), match.group(2).upper()
        expr = _sort_expr(field, rank)
        if expr is None:
            continue
        if field in DATE_COLUMNS:
            keys.append((expr, direction))  # never NULL; keeps btree order usable
        else:
            # NULLS LAST in both directions = Solr's sortMissingLast
            keys.append((expr, f"{direction} NULLS LAST"))
    if not specs and rank:
        keys.append((rank, "DESC"))  # Solr's default sort is score desc
    keys.append((TIEBREAK, ""))
    return keys


def compile_sort(sort: str, rank: str | None) -> str:
    """Solr sort spec -> ORDER BY list, ending with a deterministic tiebreak."""
    return ", ".join(f"{expr} {direction}".rstrip() for expr, direction in compile_sort_keys(sort, rank))
