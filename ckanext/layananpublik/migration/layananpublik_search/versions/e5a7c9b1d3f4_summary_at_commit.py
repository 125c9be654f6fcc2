"""Apply a transaction's facet summary changes once, at commit

Revision ID: e5a7c9b1d3f4
Revises: c3f18d5a9e62
Create Date: 2026-12-05 12:45:00

Updating the summary rows in every index write made a long transaction of many small
writes (CKAN's `ckan search-index rebuild` indexes every dataset one statement at a
time, in one transaction) slow down as it went: each update of a row the transaction
already updated walks every version it left behind, so the cost grew with the square
of the number of writes. The triggers now append the changes to `summary_pending`
(insert only) and a deferred constraint trigger, fired once per transaction at commit
through `summary_marker`, applies them together. Other transactions only ever see
committed summaries, which stay exact; the writing transaction itself counts its own
searches over the rows (connection.py), as its changes are not in the summary yet.
"""

from alembic import op

revision = "e5a7c9b1d3f4"
down_revision = "c3f18d5a9e62"
branch_labels = None
depends_on = None

S = "layananpublik_search"
EVENTS = {"insert": ("new_rows",), "delete": ("old_rows",), "update": ("old_rows", "new_rows")}
# Frozen copy of the summary_change columns filled from a package_doc row (c3f18d5a9e62).
GROUP_COLUMNS = "site_id, entity_type, dataset_type, state, capacity, permission_labels"
ORG_SDOC = "jsonb_strip_nulls(jsonb_build_object('organization', t.sdoc -> 'organization', 'owner_org', t.sdoc -> 'owner_org'))"


def _changes(sign: int, table: str) -> str:
    columns = ", ".join(f"t.{c}" for c in GROUP_COLUMNS.split(", "))
    return (
        f"ARRAY(SELECT ROW({sign}, {columns}, {ORG_SDOC}, t.facet_values)::{S}.summary_change FROM {table} AS t)"
    )


def _event_functions(apply: str) -> None:
    """(Re)define the row-change trigger functions to hand their changes to `apply`."""
    for event, tables in EVENTS.items():
        signs = {"old_rows": -1, "new_rows": 1}
        changes = " || ".join(_changes(signs[t], t) for t in tables)
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION {S}.summary_on_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM {S}.{apply}({changes});
                RETURN NULL;
            END
            $$
            """
        )


def upgrade():
    op.execute(f"CREATE UNLOGGED TABLE {S}.summary_pending (txid bigint NOT NULL, change {S}.summary_change NOT NULL)")
    op.execute(f"CREATE INDEX summary_pending_txid_idx ON {S}.summary_pending (txid)")
    op.execute(f"CREATE TABLE {S}.summary_marker (txid bigint PRIMARY KEY)")
    op.execute(
        f"""
        CREATE FUNCTION {S}.summary_defer(changes {S}.summary_change[]) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {S}.summary_pending SELECT txid_current(), c FROM unnest(changes) AS c;
            INSERT INTO {S}.summary_marker VALUES (txid_current()) ON CONFLICT DO NOTHING;
        END
        $$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION {S}.summary_flush() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM {S}.summary_apply(ARRAY(SELECT p.change FROM {S}.summary_pending AS p WHERE p.txid = NEW.txid));
            DELETE FROM {S}.summary_pending WHERE txid = NEW.txid;
            DELETE FROM {S}.summary_marker WHERE txid = NEW.txid;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        f"CREATE CONSTRAINT TRIGGER summary_flush AFTER INSERT ON {S}.summary_marker"
        f" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {S}.summary_flush()"
    )
    _event_functions("summary_defer")
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {S}.summary_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {S}.summary_pending WHERE txid = txid_current();
            TRUNCATE {S}.facet_count, {S}.facet_group;
            RETURN NULL;
        END
        $$
        """
    )


def downgrade():
    _event_functions("summary_apply")
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {S}.summary_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {S}.facet_count, {S}.facet_group;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(f"DROP TRIGGER summary_flush ON {S}.summary_marker")
    op.execute(f"DROP FUNCTION {S}.summary_flush()")
    op.execute(f"DROP FUNCTION {S}.summary_defer({S}.summary_change[])")
    op.execute(f"DROP TABLE {S}.summary_marker")
    op.execute(f"DROP TABLE {S}.summary_pending")
