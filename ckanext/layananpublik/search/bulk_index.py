"""CKAN's indexer (`PackageSearchIndex.index_package`) for a whole batch of datasets.

`ckan layananpublik-search rebuild` turns each batch's `package_show` dicts (bulk_show)
into the documents CKAN sends to Solr. `index_package` does it one dataset at a time and
pays, per dataset, for what is the same for the whole batch: looking up the dataset type's
plugin and building its show schema (about 60 validator look-ups), one `vocabulary_show`
per vocabulary tag, one `Package.get` per relationship and per dataset (its permission
labels). Here those are done once per batch; each dataset still goes through the very
steps of `index_package`, in its order, with CKAN's own validation (`plugin_validate`
with the type's show schema) and every plugin's `before_dataset_index`. The documents are
equal to core's: tests/search/test_cli.py compares the index rows core's
`search.rebuild()` writes with ours, column by column, on varied datasets.

Written against CKAN 2.11's `ckan/lib/search/index.py`; a CKAN upgrade that changes
`index_package` must be mirrored here (the test above fails when the two differ).
"""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import traceback
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import ckan.lib.navl.dictization_functions as df
import ckan.lib.plugins as lib_plugins
import ckan.lib.search as search
from ckan import logic, model
from ckan.common import config
from ckan.lib.search.index import (
    KEY_CHARS,
    PACKAGE_TYPE,
    RESERVED_FIELDS,
    TYPE_FIELD,
    escape_xml_illegal_chars,
)
from dateutil.parser import ParserError as DateParserError
from dateutil.parser import parse

from ckanext.layananpublik.search import bulk_show, settings, store, validation


class Schemas:
    """Each dataset type's plugin and show schema, built once for the whole rebuild, and
    its validation planned per shape of dict (validation.Planned)."""

    def __init__(self) -> None:
        self.schemas: dict[Any, tuple[Any, validation.Planned]] = {}

    def validated(self, pkg_dict: dict) -> dict:
        """plugin_validate(type's plugin, context, pkg_dict, show schema, 'package_show')."""
        package_type = pkg_dict.get("type")
        if package_type not in self.schemas:
            plugin = lib_plugins.lookup_package_plugin(package_type)
            self.schemas[package_type] = (plugin, validation.Planned(plugin.show_package_schema()))
        plugin, planned = self.schemas[package_type]
        context = {"model": model, "session": model.Session}
        # plugin_validate: a plugin's own validate() first (IDatasetForm's returns None).
        if hasattr(plugin, "validate"):
            result = plugin.validate(context, pkg_dict, planned.schema, "package_show")
            if result is not None:
                return result[0]
        return planned.validated(pkg_dict, context)


class _Batch:
    """What index_package looks up per dataset, looked up once for the batch."""

    def __init__(self, packages: dict[str, model.Package], pkg_dicts: list[dict], schemas: Schemas) -> None:
        self.packages = packages
        self.schemas = schemas
        self.vocabularies: dict[str, str] = {}
        self.names = self._related_names(pkg_dicts)
        self.labels = lib_plugins.get_permission_labels()
        self.site_id = config.get("ckan.site_id")
        # Listed once for the batch (see bulk_show.Hooks).
        self.hooks = bulk_show.Hooks()

    def _related_names(self, pkg_dicts: list[dict]) -> dict[str, str]:
        ids = {
            rel[side]
            for pkg_dict in pkg_dicts
            for key, side in (
                ("relationships_as_object", "subject_package_id"),
                ("relationships_as_subject", "object_package_id"),
            )  # fmt: skip
            for rel in pkg_dict.get(key, [])
        }
        names = {i: p.name for i, p in self.packages.items() if i in ids}
        missing = ids - names.keys()
        if missing:
            query = model.Session.query(model.Package.id, model.Package.name).filter(
                model.Package.id.in_(missing)
            )
            names.update(dict(query.all()))
        return names

    def vocabulary_name(self, vocabulary_id: str) -> str:
        if vocabulary_id not in self.vocabularies:
            vocab = logic.get_action("vocabulary_show")({"model": model}, {"id": vocabulary_id})
            self.vocabularies[vocabulary_id] = vocab["name"]
        return self.vocabularies[vocabulary_id]


def documents(ids: Iterable[str], schemas: Schemas | None = None) -> list[dict[str, Any]]:
    """The documents index_package would send for these datasets (those that exist and are
    not deleted; a deleted one is removed from the index in the caller's transaction).
    Pass the same `schemas` to every batch."""
    packages: dict[str, model.Package] = {}
    with bulk_show.shown(ids, packages) as pkg_dicts:
        batch = _Batch(packages, pkg_dicts, schemas or Schemas())
        docs = [_document(pkg_dict, batch) for pkg_dict in pkg_dicts]
    return [doc for doc in docs if doc is not None]


class Writer:
    """Writes batches of index rows in a thread of its own, one batch at a time, while the
    caller reads and builds the next: PostgreSQL computing a batch's text vectors overlaps
    Python building the next batch.

    The caller builds the rows (store.rows_of): the writer only sends them, so the index's
    write lock (store.write_rows) is held for the statements alone. The thread has no
    transaction open, so each batch is written in a transaction of its own, committed at
    once (store.write_transaction). `submit` first waits for the batch before, and
    re-raises its error; `close` waits for the last one.

    `threaded=False` writes each batch in the caller's thread as it is submitted: in a
    worker process, where the other workers keep the CPUs busy while this one writes (and
    one connection per worker is enough).
    """

    def __init__(self, threaded: bool = True) -> None:
        self._pool = (
            concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-writer")
            if threaded
            else None
        )
        self._pending: concurrent.futures.Future | None = None

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def submit(self, rows: store.Rows) -> None:
        self.wait()
        if self._pool is None:
            _write_and_close(rows)
        else:
            self._pending = self._pool.submit(_write_and_close, rows)

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


def index_batches(batches: list[list[str]], on_written: Callable[[int], None], workers: int = 1) -> None:
    """Index the datasets of `batches` (lists of ids), each batch read, built and written in
    a transaction of its own; `on_written(n)` after each batch of n ids is written.

    With `workers` > 1 (and more than one batch), that many processes forked from this one
    take the batches in turn, each reading, building and writing its batches itself on one
    connection of its own: the Python work of a rebuild (reading, validating, building the
    rows) is CPU-bound and single-threaded, so one process uses one core at most, while
    PostgreSQL computes the text vectors of one worker's batch as the other builds its next. Each batch's upsert is the same transaction as in one process; two
    of them never interleave (every index write takes the generation row's lock first, so
    they commit one after the other). A worker's error ends the others and is raised here.
    """
    if workers <= 1 or len(batches) <= 1:
        _index_in_process(batches, on_written)
        return
    _index_in_workers(batches, on_written, min(workers, len(batches)))


def _index_in_process(
    batches: Iterable[list[str]], on_written: Callable[[int], None], threaded: bool = True
) -> None:
    schemas, writer, languages = Schemas(), Writer(threaded), settings.languages()
    sizes: list[int] = []
    try:
        for batch in batches:
            # package_show's dicts for the whole batch in a few statements (bulk_show),
            # CKAN's indexer over each with its per-batch look-ups done once; the batch's
            # rows are written in one upsert by the writer thread while the next is read.
            rows = store.rows_of(documents(batch, schemas), languages)
            model.Session.commit()
            model.Session.remove()
            writer.submit(rows)
            if sizes:
                on_written(sizes.pop())  # the batch before is written
            if threaded:
                sizes.append(len(batch))
            else:
                on_written(len(batch))  # written in submit
    finally:
        writer.close()  # re-raises the last batch's writing error
    for size in sizes:
        on_written(size)


def _index_in_workers(batches: list[list[str]], on_written: Callable[[int], None], workers: int) -> None:
    context = multiprocessing.get_context("fork")
    # The children open connections of their own: none of this process's may be shared.
    model.Session.remove()
    model.meta.engine.dispose()
    next_batch = context.Value("i", 0)
    running: dict[Any, Any] = {}
    for n in range(workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker, args=(batches, next_batch, sender), name=f"index-worker-{n}"
        )
        process.start()
        sender.close()  # the child's end: EOF here once the child has gone
        running[receiver] = process
    try:
        while running:
            for receiver in multiprocessing.connection.wait(list(running)):
                try:
                    kind, value = receiver.recv()
                except EOFError:
                    process = running.pop(receiver)
                    process.join()
                    raise IndexWorkerError(f"{process.name} ended (exit code {process.exitcode})") from None
                if kind == "written":
                    on_written(value)
                elif kind == "done":
                    running.pop(receiver).join()
                else:
                    raise IndexWorkerError(value)
    finally:
        for receiver, process in running.items():
            process.terminate()  # its open transaction is rolled back by PostgreSQL
            process.join()
            receiver.close()


class IndexWorkerError(Exception):
    """A rebuild worker process failed (its traceback is the message)."""


def _worker(batches: list[list[str]], next_batch: Any, reports: Any) -> None:
    """Runs in a forked process: index the batches it takes, report each written one."""
    # The parent's connections (those it still has checked out) stay the parent's: this
    # process opens its own. (Its session holds none: the parent removed it.)
    model.meta.engine.dispose(close=False)

    def taken() -> Iterator[list[str]]:
        while True:
            with next_batch.get_lock():
                index = next_batch.value
                next_batch.value += 1
            if index >= len(batches):
                return
            yield batches[index]

    try:
        _index_in_process(taken(), lambda n: reports.send(("written", n)), threaded=False)
    except BaseException:
        reports.send(("error", traceback.format_exc()))
    else:
        reports.send(("done", None))
    finally:
        reports.close()


def _write_and_close(rows: store.Rows) -> None:
    try:
        if rows.statements:
            with store.write_transaction() as conn:
                store.write_rows(conn, rows)
    finally:
        model.Session.remove()  # this thread's session


def _document(pkg_dict: dict[str, Any], batch: _Batch) -> dict[str, Any] | None:
    """index_package's document for one dataset (None: deleted, removed from the index)."""
    validated_pkg_dict = batch.schemas.validated(pkg_dict)
    pkg_dict["validated_data_dict"] = json.dumps(validated_pkg_dict, cls=df.MissingNullEncoder)
    pkg_dict["data_dict"] = json.dumps(pkg_dict)
    title = pkg_dict.get("title")
    if title:
        pkg_dict["title_string"] = title
    if config.get("ckan.search.remove_deleted_packages") and pkg_dict.get("state") in [None, "deleted"]:
        search.index_for(model.Package).delete_package(pkg_dict)
        return None
    index_fields = RESERVED_FIELDS + list(pkg_dict.keys())
    _flatten_extras(pkg_dict, index_fields)
    _split_tags(pkg_dict, batch)
    groups = pkg_dict.pop("groups", [])
    pkg_dict["capacity"] = "private" if pkg_dict["private"] else "public"
    pkg_dict["groups"] = [group["name"] for group in groups]
    pkg_dict["organization"] = pkg_dict["organization"]["name"] if pkg_dict.get("organization") else None
    _flatten_resources(pkg_dict)
    _relationships(pkg_dict, batch)
    pkg_dict[TYPE_FIELD] = PACKAGE_TYPE
    pkg_dict["dataset_type"] = pkg_dict["type"]
    pkg_dict = _dates(pkg_dict)
    for k in ("title", "notes", "title_string"):
        if k in pkg_dict and pkg_dict[k]:
            pkg_dict[k] = escape_xml_illegal_chars(pkg_dict[k])
    pkg_dict["metadata_created"] += "Z"
    pkg_dict["metadata_modified"] += "Z"
    pkg_dict["site_id"] = batch.site_id
    if pkg_dict.get("title"):
        pkg_dict["title"] = pkg_dict["title"].lstrip()
    pkg_dict["index_id"] = hashlib.md5(f"{pkg_dict['id']}{batch.site_id}".encode()).hexdigest()
    for item in batch.hooks.package:
        pkg_dict = item.before_dataset_index(pkg_dict)
    assert pkg_dict, "Plugin must return non empty package dict on index"
    dataset = batch.packages.get(pkg_dict["id"]) or model.Package.get(pkg_dict["id"])
    pkg_dict["permission_labels"] = batch.labels.get_dataset_labels(dataset) if dataset else []
    return pkg_dict


def _flatten_extras(pkg_dict: dict, index_fields: list[str]) -> None:
    for extra in pkg_dict.get("extras", []):
        key, value = extra["key"], extra["value"]
        if isinstance(value, (tuple, list)):
            value = " ".join(map(str, value))
        key = "".join([c for c in key if c in KEY_CHARS])
        pkg_dict["extras_" + key] = value
        if key not in index_fields:
            pkg_dict[key] = value
    pkg_dict.pop("extras", None)


def _split_tags(pkg_dict: dict, batch: _Batch) -> None:
    # Vocabulary tags go to vocab_<vocabulary name>, the others to `tags`.
    non_vocab_tag_names = []
    for tag in pkg_dict.pop("tags", []):
        if tag.get("vocabulary_id"):
            key = f"vocab_{batch.vocabulary_name(tag['vocabulary_id'])}"
            if key in pkg_dict:
                pkg_dict[key].append(tag["name"])
            else:
                pkg_dict[key] = [tag["name"]]
        else:
            non_vocab_tag_names.append(tag["name"])
    pkg_dict["tags"] = non_vocab_tag_names


def _flatten_resources(pkg_dict: dict) -> None:
    resource_fields = [("name", "res_name"), ("description", "res_description"), ("format", "res_format"),
                       ("url", "res_url"), ("resource_type", "res_type")]  # fmt: skip
    resource_extras = [(e, "res_extras_" + e) for e in model.Resource.get_extra_columns()]
    for resource in pkg_dict.get("resources", []):
        for okey, nkey in resource_fields + resource_extras:
            pkg_dict[nkey] = pkg_dict.get(nkey, []) + [resource.get(okey, "")]
    pkg_dict.pop("resources", None)


def _relationships(pkg_dict: dict, batch: _Batch) -> None:
    rel_dict: dict[str, list[Any]] = collections.defaultdict(list)
    subjects = pkg_dict.pop("relationships_as_subject", [])
    objects = pkg_dict.pop("relationships_as_object", [])
    for rel in objects:
        rel_type = model.PackageRelationship.forward_to_reverse_type(rel["type"])
        rel_dict[rel_type].append(batch.names[rel["subject_package_id"]])
    for rel in subjects:
        rel_dict[rel["type"]].append(batch.names[rel["object_package_id"]])
    for key, value in rel_dict.items():
        if key not in pkg_dict:
            pkg_dict[key] = value


def _dates(pkg_dict: dict) -> dict:
    # Keys ending in _date as ISO dates (UTC 'Z' when naive); unparseable ones dropped.
    new_dict = {}
    for key, value in pkg_dict.items():
        if key.endswith("_date"):
            if not value:
                continue
            try:
                date = parse(value)
                value = date.isoformat()
                if not date.tzinfo:
                    value += "Z"
            except DateParserError:
                continue
        new_dict[key] = value
    return new_dict
