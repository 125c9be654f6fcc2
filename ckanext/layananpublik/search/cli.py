"""`ckan layananpublik-search ...`: maintain the PostgreSQL search index."""

from __future__ import annotations

import gc
import time

import ckan.lib.search as search
import click
from ckan import model
from ckan.common import config

from ckanext.layananpublik.search import bulk_index, store


@click.group("layananpublik-search", short_help="PostgreSQL search index (layananpublik_search).")
def search_pg() -> None:
    """Maintain the PostgreSQL dataset search index."""


@search_pg.command()
@click.option("--batch-size", default=500, show_default=True, help="Datasets per transaction.")
@click.option("--clear", is_flag=True, help="Empty the index first (searches see a partial index meanwhile).")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Processes reading and indexing batches side by side (1: this process only). "
    "Helps only where CPUs are idle: each process uses at most one.",
)
def rebuild(batch_size: int, clear: bool, workers: int) -> None:
    """Index every dataset again, committing after each batch and printing progress."""
    if clear:
        search.clear_all()  # commits (PostgresSolrConnection.commit)
    query = model.Session.query(model.Package.id).order_by(model.Package.id)
    query = query.filter(model.Package.state != "deleted")
    ids = [r[0] for r in query]
    model.Session.remove()
    total, started, done = len(ids), time.monotonic(), 0

    def written(n: int) -> None:
        nonlocal done
        done += n
        rate = done / max(time.monotonic() - started, 1e-6)
        click.echo(f"indexed {done}/{total} datasets ({rate:.0f}/s)")

    # CKAN's start-up leaves about 150,000 objects (modules, plugins, schemas, SQLAlchemy's
    # metadata) that the cyclic garbage collector would go through again at each of its
    # older-generation runs while the batches allocate: its runs were a fifth of the
    # indexing CPU. They live until the command ends, so they are set aside (gc.freeze;
    # forked workers inherit that, and their pages stay shared); what the batches make is
    # still collected. (Unfrozen at the end: the command may run inside a longer-lived
    # process, e.g. the tests.)
    gc.freeze()
    try:
        batches = [ids[offset : offset + batch_size] for offset in range(0, total, batch_size)]
        bulk_index.index_batches(batches, written, workers)
    finally:
        gc.unfreeze()
    click.echo(f"done: {total} datasets in {time.monotonic() - started:.1f}s")


@search_pg.command()
def status() -> None:
    """Show how many documents the index holds, per state and site."""
    with store.snapshot(statement_timeout_ms=60000) as conn:
        rows = conn.exec_driver_sql(
            f"SELECT site_id, state, count(*) FROM {store.TABLE} GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        size = conn.exec_driver_sql(
            f"SELECT pg_size_pretty(pg_total_relation_size('{store.TABLE}'))"
        ).scalar()
        generation = store.generation(conn)
    for site_id, state, n in rows:
        click.echo(f"{site_id}\t{state}\t{n}")
    click.echo(f"size {size}, generation {generation}")


@search_pg.command("frequent-words")
@click.option("--add", "added", multiple=True, help="Keep side tables for this word (searched alone).")
@click.option(
    "--remove",
    "removed",
    multiple=True,
    help="Drop a kept word's side tables (not kept again from searches).",
)
@click.option("--suggest", is_flag=True, help="List the slow words people searched, with their counts.")
@click.option(
    "--lexemes", is_flag=True, help="List the lexemes in more than half of the documents (reads every row)."
)
def frequent_words(added: tuple[str, ...], removed: tuple[str, ...], suggest: bool, lexemes: bool) -> None:
    """List, add or remove the words whose one-word searches read side tables.

    A word in most datasets costs its search a pass over every row; kept here, its
    search reads a narrow row per match in rank order and counts the rows it misses
    (search/SCHEMA.md). Each kept word adds a row per document to every index write.
    Words are also kept from what people search (search/searched_words.py); the ones
    added here are never removed that way, the ones removed here never kept again.
    """
    from ckanext.layananpublik.search import connection, searched_words

    with model.meta.engine.connect() as conn:
        words = store.kept_words(conn)
    kept = {w.q: w.id for w in words}
    chosen_by = {w.q: w.chosen_by for w in words}
    for word in added:
        if word in kept:
            if chosen_by[word] != store.OPERATOR:
                with model.meta.engine.begin() as conn:
                    store.make_operators_word(conn, kept[word])
                chosen_by[word] = store.OPERATOR
                click.echo(f"{word!r} was kept from searches: now the operator's")
            else:
                click.echo(f"{word!r} is kept already")
            continue
        started = time.monotonic()
        kept[word] = connection.add_frequent_word(word)
        chosen_by[word] = store.OPERATOR
        click.echo(f"added {word!r}: its side tables filled in {time.monotonic() - started:.1f}s")
    for word in removed:
        if word not in kept:
            raise click.ClickException(f"{word!r} is not a kept word")
        with model.meta.engine.begin() as conn:
            store.remove_frequent_word(conn, kept.pop(word), refuse=True)
        click.echo(f"removed {word!r} (not kept again from searches until added)")
    if suggest:
        counts = searched_words.searched_counts()
        for word, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            state = f"kept ({chosen_by[word]})" if word in kept else "not kept"
            click.echo(f"{word}\t{n:.0f} searches\t{state}")
    if lexemes:
        with store.snapshot(statement_timeout_ms=600000) as conn:
            for lexeme, documents, share in store.common_lexemes(conn, config.get("ckan.site_id")):
                click.echo(f"{lexeme}\t{documents} documents ({share:.0%})")
    click.echo(f"kept: {', '.join(f'{w} ({chosen_by[w]})' for w in sorted(kept)) or 'none'}")
