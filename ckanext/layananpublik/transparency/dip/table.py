"""The rows of a DIP table (templates/.../dip/_table.html), written in Python.

The print layout and the exports carry every row (8,000 at 10,000 datasets): the same
markup from the template's Jinja loop cost about 40 µs a row, most of the print layout's
time (bench/dip.py). This writes exactly the bytes the loop wrote, with Jinja's own
filters (striptags, truncate, urlencode) and autoescaping; tests/transparency/dip/
test_table.py compares it with the loop, byte for byte, over varied rows.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask
from jinja2.filters import do_striptags, do_urlencode
from markupsafe import Markup

# The summary's preview in the table, in characters (Jinja's `truncate(160)`).
SUMMARY_PREVIEW = 160


def _safe(translation: str, **variables: Any) -> str:
    # `{{ _('...') }}` in a template: Flask-Babel's new-style gettext marks the translation
    # safe (it is not escaped) and formats it with its variables (none, or `num`).
    return str(Markup(translation) % variables)


_HTML_ESCAPES = str.maketrans({"&": "&amp;", ">": "&gt;", "<": "&lt;", "'": "&#39;", '"': "&#34;"})


def escape(value: Any) -> str:
    """markupsafe.escape(value) as a plain string: the same five replacements, without
    making a Markup object per value (a third of the rows' time)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return (value if isinstance(value, str) else str(value)).translate(_HTML_ESCAPES)


class _Words:
    """The table's translated words, looked up once per table."""

    def __init__(self, labels: dict) -> None:
        self.no, self.summary = _safe(tk._("No.")), _safe(tk._("Summary of the information"))
        self.holding = _safe(tk._("Official or unit holding the information"))
        self.responsible = _safe(tk._("Responsible for making or publishing"))
        self.made, self.form = _safe(tk._("Time and place made")), _safe(tk._("Form of the information"))
        self.retention = _safe(tk._("Retention period"))
        self.unfilled = '<span class="lp-unfilled">' + _safe(tk._("not yet filled")) + "</span>"
        self.berkala = [_safe(tk.ungettext("Berkala item", "Berkala items", n), num=n) for n in range(12)]
        # Labels come from Python (views.labels): escaped like any value.
        self.berkala_labels = {k: escape(v) for k, v in labels["berkala"].items()}
        self.forms = labels["forms"]
        self.not_set = _safe(tk._("Category not yet set"))
        self.listed_anyway = _safe(
            tk._("Listed as available at any time until the dataset names its category.")
        )
        self.edit, self.edit_dataset = _safe(tk._("Edit")), _safe(tk._("Edit dataset"))
        self.leeway = flask.current_app.jinja_env.policies["truncate.leeway"]
        self._escaped: dict[Any, str] = {}

    def escaped(self, value: Any) -> str:
        """escape(value), kept for the values many rows share (body, unit, officer, forms)."""
        found = self._escaped.get(value)
        if found is None:
            found = self._escaped[value] = escape(value)
        return found

    def berkala_label(self, n: int) -> str:
        return self.berkala[n] if n < 12 else _safe(tk.ungettext("Berkala item", "Berkala items", n), num=n)


def _preview(summary: Any, leeway: int) -> str:
    # `summary|striptags|truncate(160)`, as Jinja computes it. Without "<" (no tag, no
    # comment) and "&" (no entity), striptags only collapses the whitespace.
    if isinstance(summary, str) and "<" not in summary and "&" not in summary:
        text = " ".join(summary.split())
    else:
        text = do_striptags(summary)
    if len(text) <= SUMMARY_PREVIEW + leeway:
        return text
    return text[: SUMMARY_PREVIEW - 3].rsplit(" ", 1)[0] + "..."


def _or_unfilled(value: Any, words: _Words) -> str:
    return words.escaped(value) if value else words.unfilled


def rows_html(category: str, rows: list[dict], labels: dict, can_edit: bool, body: dict | None) -> Markup:
    """The table body's rows (what the template's loop over `rows` wrote)."""
    words = _Words(labels)
    dataset_url = tk.h.url_for("dataset.read", id="__name__")
    out: list[str] = []
    add = out.append
    for row in rows:
        title = escape(row["title"])
        add(f'\n      <tr data-source="{escape(row["source"])}" data-id="{escape(row["id"])}">\n')
        add(f'        <td data-label="{words.no}">{escape(row["no"])}</td>\n')
        add(f'        <td data-label="{words.summary}">\n          ')
        if row["source"] == "dataset":
            href = escape(dataset_url.replace("__name__", do_urlencode(row["name"])))
            add(f'\n            <a href="{href}">{title}</a>\n          ')
        elif row["url"]:
            add(f'\n            <a href="{escape(row["url"])}">{title}</a>\n          ')
        else:
            add(title)
        add("\n          ")
        if row["summary"]:
            add(f'<p class="lp-dip-summary">{escape(_preview(row["summary"], words.leeway))}</p>')
        add("\n          ")
        items = row["berkala_items"]
        if items:
            abbrs = ", ".join(
                f'<abbr title="{words.berkala_labels.get(i, "")}">{escape(i)}</abbr>' for i in items
            )
            add(f'<p class="lp-dip-items">{words.berkala_label(len(items))}: {abbrs}</p>')
        add("\n          ")
        if can_edit and not row["category_set"]:
            note = words.listed_anyway if category == "setiap_saat" else ""
            add(
                f'<p class="lp-dip-flag"><span class="badge bg-warning text-dark">{words.not_set}</span> {note}</p>'
            )
        add("\n          ")
        if not body and row["organization"]:
            add(f'<p class="lp-dip-body">{words.escaped(row["organization"]["title"])}</p>')
        add("\n        </td>\n")
        add(f'        <td data-label="{words.holding}">{_or_unfilled(row["holding_unit"], words)}</td>\n')
        add(
            f'        <td data-label="{words.responsible}">{_or_unfilled(row["responsible_officer"], words)}</td>\n'
        )
        add(f'        <td data-label="{words.made}">{_or_unfilled(row["made_time_place"], words)}</td>\n')
        forms = (
            ", ".join(words.escaped(words.forms.get(f, f)) for f in row["forms"])
            if row["forms"]
            else words.unfilled
        )
        add(f'        <td data-label="{words.form}">{forms}</td>\n')
        add(
            f'        <td data-label="{words.retention}">{_or_unfilled(row["retention_period"], words)}</td>\n        '
        )
        if can_edit:
            add(_manage_cell(row, title, words, body))
        add("\n      </tr>\n    ")
    return Markup("".join(out))


def _manage_cell(row: dict, title: str, words: _Words, body: dict | None) -> str:
    if row["source"] == "item":
        href = tk.h.url_for(
            "layananpublik_dip.dip_item_edit", org=body["name"] if body else None, id=row["id"]
        )
        link = f'<a href="{escape(href)}">{words.edit}<span class="visually-hidden"> {title}</span></a>'
    else:
        href = tk.h.url_for("dataset.edit", id=row["name"])
        link = (
            f'<a href="{escape(href)}">{words.edit_dataset}<span class="visually-hidden"> {title}</span></a>'
        )
    return f'\n          <td class="lp-no-print">\n            \n              {link}\n            \n          </td>\n        '
