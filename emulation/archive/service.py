"""Archive of a whole campaign: one ZIP file (JSON plus files) that re-imports elsewhere.

What is in the ZIP
------------------
`archive.json` holds the rows (`tables: {name: [row, …]}`, dates and times in ISO,
decimals as text, bytes in base64) with the format version, the time of export, the
Alembic revision of the schema, the province and the campaign's slug. `files/evidence/…`
and `files/showcase/…` hold the evidence files and showcase photos (with thumbnails) the
rows name, and `manifest.sha256` a sha256 for archive.json and every file, in the format
`sha256sum -c` reads.

Owned and reference rows
------------------------
Which tables come along is read from the SQLAlchemy metadata, not from a hand list:

* **Owned** tables hang under `campaigns` through foreign keys: phases, criteria,
  registrations and their targets, progress and evidence, score sheets, entries, events
  and snapshots, surveys and everything under them, nominations, the meeting and its
  votes, decisions, awards, showcase profiles … A table added later with a `campaign_id`
  (or a key to any owned table) is owned without a change here. A row belongs to the
  campaign when one of its keys points at a chosen row of an owned parent; each table's
  rows are chosen by a subquery on its parents' choices.
* **Reference** tables (units, clusters, users, rulebooks, award types) are what owned
  rows point at from outside. Only the rows pointed at come along, and what those point at
  in turn (a unit's parent chain, a user's unit), plus the members of every cluster and the
  award types of every rulebook that came (`REFERENCE_CHILDREN`).

A key to an owned row that is not in the archive (a survey's previous version in another
campaign) is written as null. Users come without their password hash. Nothing that would
still open something travels either: unused survey codes are written as null (the import
issues new ones) and respondents' drafts stay behind (`NOT_ARCHIVED`); citizens' contacts on
posting comments are blanked (`SCRUBBED`). A few ids are kept without a foreign key;
`IMPLICIT_REFERENCES` names them so they travel like keys.

Import
------
One transaction, tables in foreign-key order, every row under a new primary key: the old
→ new ids of each table are kept and every key column is translated through them. A table
that points at itself (units, criteria, surveys) goes in level by level, parents first.
Reference rows are matched by their natural key — the table's first unique constraint:
units by code, clusters by name and year, users by user name (any case), rulebooks by
province and version, award types by rulebook and code — and reused; the others are
inserted, users inactive and with no usable password, so the standing office opens them
again (`flask users …`, the accounts page). Members of a cluster, and award types of a
rulebook, that already existed are not changed. Unique values of owned rows that are taken
already (a showcase slug, a survey link, token codes, random keys) get new ones, so the
same campaign may also come back beside itself under another slug. Files keep their names
unless the name is taken in the database or on disk with other content.

The audit chain
---------------
Score events form one hash chain over the whole installation (emulation.scoring.audit), and the
hashes cover ids, so imported events cannot keep theirs. They are chained anew onto this
installation's head in their original order — original times and values, new ids — after
one event "archive_import" whose reason gives the archive's sha256 and how many events
follow. `audit.verify()` holds after an import; the original hashes stay in the archive.

Refused with nothing written (`ArchiveError`): a file that is not a ZIP or has no
archive.json, a file whose sha256 differs from the manifest, an archive of another schema
revision, a campaign whose slug exists already.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.util import sort_tables

from emulation.campaigns.models import Campaign
from emulation.campaigns.service import SLUG
from emulation.core.clock import utcnow
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.progress import evidence
from emulation.scoring import audit
from emulation.showcase import service as showcase
from emulation.standings import service as standings
from emulation.surveys.builder import PUBLIC_ALPHABET, PUBLIC_LENGTH
from emulation.surveys.service import TOKEN_ALPHABET, TOKEN_LENGTH, random_code

FORMAT = "thidua-luu-tru-phong-trao"
FORMAT_VERSION = 1
ARCHIVE_JSON = "archive.json"
MANIFEST = "manifest.sha256"
ROOT_TABLE = "campaigns"
AUDIT_TABLE = "score_events"
IMPORT_ACTION = "archive_import"
# Not a werkzeug hash, so no password ever matches it.
UNUSABLE_PASSWORD = "!"
CHUNK = 500
NEXT_IDS = text("SELECT nextval(:sequence) FROM generate_series(1, :n)")
COPY_BUFFER = 1024 * 1024

# Reference rows that bring their own children along (those, not what points at them).
REFERENCE_CHILDREN = {"clusters": ("cluster_members",), "rulebooks": ("award_types",)}
# Ids kept without a foreign key: (table, column) → (the table they point at, "none" value).
IMPLICIT_REFERENCES = {
    ("score_entries", "scorer_key"): ("users", 0),  # the scorer's id; 0 for one-voice stages
    ("explanations", "evidence_ids"): ("evidence", None),  # a JSON list of evidence ids
}
NOT_EXPORTED = {("users", "password_hash")}
# Rows that stay behind: a respondent's half-typed answers, keyed by a secret their browser holds.
NOT_ARCHIVED = {"survey_drafts"}
# Values written in place of personal data or secrets: a citizen's contact on a posting comment;
# the code of an unused survey token (it would still open the survey — the import issues a new
# one, so codes printed for the old installation open nothing in the new one).
SCRUBBED = {("posting_comments", "contact"): ""}
UNUSED_TOKEN_CODE = ("survey_tokens", "code", "used")
# Values of reference rows the import inserts (rather than finds).
NEW_REFERENCE_VALUES = {"users": {"password_hash": UNUSABLE_PASSWORD, "active": False}}
CASE_INSENSITIVE_KEYS = {("users", "username")}


class ArchiveError(DomainError):
    """The archive cannot be written or read; nothing was changed."""


# --- which tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The tables an archive carries, from the metadata: owned, reference, and one insert
    order for both (parents first, implicit references counted as keys)."""

    owned: tuple[Table, ...]
    reference: tuple[Table, ...]
    order: tuple[Table, ...]

    def is_owned(self, table: Table) -> bool:
        return table in self.owned

    def table(self, name: str) -> Table:
        return next(t for t in self.order if t.name == name)


def plan(metadata: MetaData | None = None) -> Plan:
    """Sort the metadata's tables into owned and reference tables (see the module docstring)."""
    tables = {t.name: t for t in (metadata if metadata is not None else db.metadata).sorted_tables}
    owned = _owned_names(tables) - NOT_ARCHIVED
    reference = _reference_names(tables, owned)
    dependencies = [
        (tables[target], tables[source])
        for (source, _column), (target, _none) in IMPLICIT_REFERENCES.items()
        if source in tables and target in tables
    ]
    chosen = [t for name, t in tables.items() if name in owned | reference]
    order = tuple(sort_tables(chosen, extra_dependencies=dependencies))
    return Plan(
        owned=tuple(t for t in order if t.name in owned),
        reference=tuple(t for t in order if t.name in reference),
        order=order,
    )


def _outer_keys(table: Table):
    """Foreign keys to other tables (a table's keys to itself are handled apart)."""
    return [fk for fk in table.foreign_keys if fk.column.table is not table]


def _self_keys(table: Table):
    return [fk for fk in table.foreign_keys if fk.column.table is table]


def _implicit(table: Table) -> list[tuple[Column, str, Any]]:
    return [
        (table.c[column], target, none)
        for (source, column), (target, none) in IMPLICIT_REFERENCES.items()
        if source == table.name and column in table.c
    ]


def _owned_names(tables: dict[str, Table]) -> set[str]:
    owned = {ROOT_TABLE}
    grown = True
    while grown:
        grown = False
        for name, table in tables.items():
            if name not in owned and any(
                fk.column.table.name in owned for fk in _outer_keys(table)
            ):
                owned.add(name)
                grown = True
    return owned


def _reference_names(tables: dict[str, Table], owned: set[str]) -> set[str]:
    reference: set[str] = set()
    frontier = [tables[name] for name in owned]
    while frontier:
        table = frontier.pop()
        targets = {fk.column.table.name for fk in _outer_keys(table)}
        targets |= {target for _column, target, _none in _implicit(table)}
        if table.name in reference:
            targets |= set(REFERENCE_CHILDREN.get(table.name, ()))
        for name in sorted(targets - owned - reference):
            if name in tables:
                reference.add(name)
                frontier.append(tables[name])
    return reference


def _surrogate_key(table: Table) -> Column | None:
    """The integer primary key the database numbers itself, which the import renumbers."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and not keys[0].foreign_keys and keys[0].type.python_type is int:
        return keys[0]
    return None


def _single_key(table: Table) -> Column | None:
    keys = list(table.primary_key.columns)
    return keys[0] if len(keys) == 1 else None


def _natural_key(table: Table) -> tuple[Column, ...] | None:
    """The first unique constraint without the primary key: how a reference row is found."""
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            columns = tuple(constraint.columns)
            if columns and not any(c.primary_key for c in columns):
                return columns
    return None


def _unique_text_columns(table: Table) -> list[Column]:
    """Single text columns that must be unique and are not keys: slugs, codes, random ids."""
    found: list[Column] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
            found.extend(constraint.columns)
    found.extend(
        next(iter(index.columns))
        for index in table.indexes
        if index.unique and len(index.columns) == 1
    )
    key = _single_key(table)
    if key is not None:
        found.append(key)
    return [c for c in dict.fromkeys(found) if isinstance(c.type, String) and not c.foreign_keys]


# --- stored files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFiles:
    """A column naming files kept on disk, and where they live."""

    table: str
    column: str
    folder: str  # under files/ in the archive
    directory: Callable[[], str]
    pattern: re.Pattern
    companions: Callable[[str], tuple[str, ...]] = lambda name: ()

    def names(self, stored_name: str) -> tuple[str, ...]:
        return (stored_name, *self.companions(stored_name))

    def member(self, name: str) -> str:
        return f"files/{self.folder}/{name}"


STORED_FILES = (
    StoredFiles("evidence", "stored_name", "evidence", evidence.evidence_dir, evidence.STORED_NAME),
    StoredFiles(
        "showcase_photos",
        "stored_name",
        "showcase",
        showcase.showcase_dir,
        showcase.STORED_NAME,
        lambda name: (showcase.thumb_name(name),),
    ),
)
FILES_BY_TABLE = {spec.table: spec for spec in STORED_FILES}


def _fresh_file_name(name: str) -> str:
    return uuid.uuid4().hex + os.path.splitext(name)[1]


def _fresh_slug(value: str) -> str:
    return f"{value[:110]}-{secrets.token_hex(3)}"


# How a taken unique value is replaced; any other text gets random hex of its length.
FRESH_VALUES: dict[tuple[str, str], Callable[[str], str]] = {
    ("showcase_profiles", "slug"): _fresh_slug,
    ("surveys", "public_code"): lambda value: random_code(PUBLIC_ALPHABET, PUBLIC_LENGTH),
    ("survey_tokens", "code"): lambda value: random_code(TOKEN_ALPHABET, TOKEN_LENGTH),
    **{(spec.table, spec.column): _fresh_file_name for spec in STORED_FILES},
}


def _new_codes_for_unused_tokens(table: Table, rows: list[dict]) -> None:
    name, code, _used = UNUSED_TOKEN_CODE
    if table.name == name:
        for row in rows:
            if row[code] is None:
                row[code] = FRESH_VALUES[(name, code)]("")


def _fresh_value(column: Column, value: str) -> str:
    make = FRESH_VALUES.get((column.table.name, column.name))
    if make is not None:
        return make(value)
    length = min(len(value) or 32, column.type.length or 32)
    return secrets.token_hex((length + 1) // 2)[:length]


# --- values in JSON ---------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact: "1.500" stays "1.500"
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(column: Column) -> Callable[[Any], Any] | None:
    """How a JSON value of this column becomes its Python value (None: as it is)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for sql_type, decode in (
        (DateTime, datetime.fromisoformat),
        (Date, date.fromisoformat),
        (Time, time.fromisoformat),
        (Float, float),
        (Numeric, Decimal),
        (LargeBinary, base64.b64decode),
    ):
        if isinstance(kind, sql_type):
            return decode
    return None


def _exported_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if (table.name, c.name) not in NOT_EXPORTED]


# --- schema revision --------------------------------------------------------------------------


def schema_revision(conn: Connection | None = None) -> str:
    """The Alembic revision of this database: what `alembic_version` holds or, for a schema
    built by `db.create_all()`, the head of the migration scripts (which it equals)."""
    conn = conn if conn is not None else db.session.connection()
    if inspect(conn).has_table("alembic_version"):
        found = conn.scalars(text("SELECT version_num FROM alembic_version")).all()
        if found:
            return ",".join(sorted(found))
    directory = current_app.extensions["migrate"].directory
    if not os.path.isabs(directory):
        directory = os.path.join(current_app.root_path, directory)
    return ",".join(sorted(ScriptDirectory(directory).get_heads()))


# --- export -----------------------------------------------------------------------------------


@dataclass
class ExportSummary:
    """What an export wrote: rows per table, files, and files the rows name but the disk lacks."""

    rows: dict[str, int]
    files: int
    missing_files: list[str]


def can_export(user) -> bool:
    """A campaign's whole archive (every unit's files included) is the standing office's."""
    return bool(user.is_authenticated and user.is_admin)


def export_campaign(campaign: Campaign, fileobj: IO[bytes]) -> ExportSummary:
    """Write the campaign's archive (a ZIP) to `fileobj`: what is committed, read in one
    snapshot, so scores saved meanwhile are in it with their audit events or not at all."""
    layout = plan()
    with _snapshot() as conn:
        revision = schema_revision(conn)
        rows = _owned_rows(conn, layout, campaign.id)
        rows.update(_reference_rows(conn, layout, rows))
    _drop_dangling_keys(layout, rows)
    files, missing = _campaign_files(rows)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(timespec="seconds") + "Z",
        "schema_revision": revision,
        "province": current_app.config.get("PROVINCE_NAME", ""),
        "campaign": campaign.slug,
        "owned_tables": [t.name for t in layout.owned],
        "reference_tables": [t.name for t in layout.reference],
        "missing_files": missing,
        "tables": {
            table.name: [_encode_row(table, row) for row in rows[table.name]]
            for table in layout.order
            if rows.get(table.name)
        },
    }
    sums: dict[str, str] = {}
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED) as archive:
        payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        archive.writestr(ARCHIVE_JSON, payload)
        sums[ARCHIVE_JSON] = hashlib.sha256(payload).hexdigest()
        for member, path in files:
            sums[member] = _add_file(archive, member, path)
        archive.writestr(MANIFEST, "".join(f"{sha}  {name}\n" for name, sha in sums.items()))
    return ExportSummary(
        rows={name: len(found) for name, found in rows.items() if found},
        files=len(files),
        missing_files=missing,
    )


def _encode_row(table: Table, row: dict) -> dict:
    encoded = {c.key: _encode(row[c.key]) for c in _exported_columns(table)}
    for (name, column), value in SCRUBBED.items():
        if name == table.name and column in encoded:
            encoded[column] = value
    name, code, used = UNUSED_TOKEN_CODE
    if table.name == name and not row[used]:
        encoded[code] = None
    return encoded


def _owned_conditions(layout: Plan, campaign_id: int) -> dict[str, Any]:
    """For each owned table, a WHERE clause choosing the campaign's rows: one of its keys
    points at a chosen row of an owned parent (a subquery on the parent's own clause)."""
    conditions: dict[str, Any] = {}
    for table in layout.owned:
        if table.name == ROOT_TABLE:
            conditions[table.name] = _single_key(table) == campaign_id
            continue
        parts = []
        for fk in _outer_keys(table):
            parent = fk.column.table
            if parent.name == ROOT_TABLE:
                parts.append(fk.parent == campaign_id)
            elif parent.name in conditions:
                parts.append(fk.parent.in_(select(fk.column).where(conditions[parent.name])))
        conditions[table.name] = or_(*parts) if parts else false()
    return conditions


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A connection of its own whose reads all see the database as at the first one."""
    if db.engine.dialect.name == "sqlite":
        # pysqlite opens no transaction for reads; an explicit one keeps a WAL snapshot.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                conn.exec_driver_sql("ROLLBACK")
        return
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with db.engine.connect().execution_options(**options) as conn:
        yield conn


def _owned_rows(conn: Connection, layout: Plan, campaign_id: int) -> dict[str, list[dict]]:
    conditions = _owned_conditions(layout, campaign_id)
    return {
        table.name: [
            dict(row)
            for row in conn.execute(
                select(table).where(conditions[table.name]).order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for table in layout.owned
    }


def _pointers(table: Table, rows: Iterable[dict], targets: set[str]) -> dict[str, set]:
    """The ids these rows point at in the `targets` tables, by key or implicit reference."""
    found: dict[str, set] = defaultdict(set)
    keys = [(fk.parent.key, fk.column.table.name) for fk in table.foreign_keys]
    implicit = [(column.key, target, none) for column, target, none in _implicit(table)]
    for row in rows:
        for column, target in keys:
            if target in targets and row[column] is not None:
                found[target].add(row[column])
        for column, target, none in implicit:
            if target in targets:
                found[target].update(_implicit_ids(row[column], none))
    return found


def _implicit_ids(value: Any, none: Any) -> list:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if v is not None and v != none]


def _fetch(conn: Connection, table: Table, column: Column, values: set) -> list[dict]:
    """Rows whose `column` is one of `values` (a few hundred ids at a time)."""
    rows: list[dict] = []
    for chunk in _chunks(sorted(values), CHUNK):
        query = select(table).where(column.in_(chunk)).order_by(*table.primary_key.columns)
        rows.extend(dict(row) for row in conn.execute(query).mappings())
    return rows


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reference_rows(
    conn: Connection, layout: Plan, owned: dict[str, list[dict]]
) -> dict[str, list[dict]]:
    """The reference rows the owned rows point at, followed transitively, with the members
    of each cluster and the award types of each rulebook."""
    names = {t.name for t in layout.reference}
    found: dict[str, dict[Any, dict]] = {name: {} for name in names}
    wanted: dict[str, set] = defaultdict(set)

    def follow(table: Table, rows: list[dict]) -> None:
        for target, ids in _pointers(table, rows, names).items():
            wanted[target] |= ids

    def take(table: Table, rows: list[dict]) -> None:
        key = _single_key(table).key
        for row in rows:
            found[table.name].setdefault(row[key], row)
        follow(table, rows)

    for table in layout.owned:
        follow(table, owned[table.name])
    while wanted:
        name, ids = wanted.popitem()
        ids -= found[name].keys()
        if not ids:
            continue
        table = layout.table(name)
        take(table, _fetch(conn, table, _single_key(table), ids))
        for child_name in REFERENCE_CHILDREN.get(name, ()):
            if child_name in names:
                child = layout.table(child_name)
                take(child, _fetch(conn, child, _key_to(child, table), ids))
    return {name: [found[name][k] for k in sorted(found[name])] for name in names}


def _key_to(child: Table, parent: Table) -> Column:
    return next(fk.parent for fk in child.foreign_keys if fk.column.table is parent)


def _drop_dangling_keys(layout: Plan, rows: dict[str, list[dict]]) -> None:
    """A key to a row the archive does not carry becomes null (or is refused if required)."""
    ids = {
        t.name: {row[_single_key(t).key] for row in rows.get(t.name, ())}
        for t in layout.order
        if _single_key(t) is not None
    }
    for table in layout.order:
        for row in rows.get(table.name, ()):
            for fk in table.foreign_keys:
                value = row[fk.parent.key]
                if value is not None and value not in ids.get(fk.column.table.name, ()):
                    if not fk.parent.nullable:
                        raise ArchiveError(
                            _(
                                "Dòng %(table)s #%(id)s trỏ tới dữ liệu ngoài phong trào; không xuất được.",
                                table=table.name,
                                id=value,
                            )
                        )
                    row[fk.parent.key] = None
            for column, target, none in _implicit(table):
                value = row[column.key]
                if isinstance(value, list):
                    row[column.key] = [v for v in value if v in ids.get(target, ())]
                elif value is not None and value != none and value not in ids.get(target, ()):
                    row[column.key] = none


def _campaign_files(rows: dict[str, list[dict]]) -> tuple[list[tuple[str, str]], list[str]]:
    """(archive member, path on disk) of every file the rows name, and those not on disk."""
    files, missing = [], []
    for spec in STORED_FILES:
        folder = spec.directory()
        for row in rows.get(spec.table, ()):
            stored_name = row[spec.column]
            for name in spec.names(stored_name):
                path = os.path.join(folder, name)
                if spec.pattern.match(stored_name) and os.path.isfile(path):
                    files.append((spec.member(name), path))
                else:
                    missing.append(spec.member(name))
    return files, missing


def _add_file(archive: zipfile.ZipFile, member: str, path: str) -> str:
    """Copy a file into the archive; its sha256."""
    digest = hashlib.sha256()
    with open(path, "rb") as source, archive.open(member, "w") as target:
        while block := source.read(COPY_BUFFER):
            digest.update(block)
            target.write(block)
    return digest.hexdigest()


# --- reading an archive -----------------------------------------------------------------------


@dataclass
class Package:
    """An archive whose files all match its manifest."""

    archive: zipfile.ZipFile
    sha256: str
    manifest: dict[str, str]
    document: dict


def read_archive(fileobj: IO[bytes]) -> Package:
    """Open and check an archive: a ZIP, with archive.json, every file as in the manifest."""
    digest = _stream_sha256(fileobj)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(
            _("Tệp này không phải là tệp lưu trữ phong trào (không đọc được dạng ZIP).")
        ) from exc
    names = set(archive.namelist())
    if ARCHIVE_JSON not in names:
        raise ArchiveError(
            _("Tệp ZIP không có archive.json; đây không phải tệp lưu trữ phong trào.")
        )
    manifest = _read_manifest(archive, names)
    for name, expected in manifest.items():
        if _member_sha256(archive, name) != expected:
            raise ArchiveError(
                _(
                    "Tệp %(name)s trong tệp lưu trữ đã bị sửa hoặc bị hỏng (mã sha256 không khớp); không nhập gì.",
                    name=name,
                )
            )
    return Package(archive, digest, manifest, _read_document(archive))


def _stream_sha256(fileobj: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    while block := fileobj.read(COPY_BUFFER):
        digest.update(block)
    fileobj.seek(0)
    return digest.hexdigest()


def _read_manifest(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """{member: sha256} from the manifest; every listed member, archive.json included,
    must be in the ZIP."""
    if MANIFEST not in names:
        raise ArchiveError(_("Tệp lưu trữ không có bảng mã kiểm tra %(name)s.", name=MANIFEST))
    manifest = {}
    for line in _read_member(archive, MANIFEST).decode("utf-8", "replace").splitlines():
        sha, _sep, name = line.partition("  ")
        if name:
            manifest[name] = sha.strip().lower()
    for name in sorted({ARCHIVE_JSON, *manifest}):
        if name not in manifest or name not in names:
            raise ArchiveError(
                _(
                    "Tệp lưu trữ không khớp bảng mã kiểm tra ở tệp %(name)s; không nhập gì.",
                    name=name,
                )
            )
    return manifest


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(name) from exc


def _member_sha256(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            while block := member.read(COPY_BUFFER):
                digest.update(block)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(name) from exc
    return digest.hexdigest()


def _damaged(name: str) -> ArchiveError:
    return ArchiveError(
        _("Tệp %(name)s trong tệp lưu trữ bị hỏng, không đọc được; không nhập gì.", name=name)
    )


def _read_document(archive: zipfile.ZipFile) -> dict:
    try:
        document = json.loads(_read_member(archive, ARCHIVE_JSON))
    except ValueError as exc:
        raise _not_an_archive() from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _not_an_archive()
    version = document.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ArchiveError(
            _(
                "Tệp lưu trữ theo định dạng phiên bản %(version)s; hệ thống này chỉ đọc được đến phiên bản %(supported)s.",
                version=version,
                supported=FORMAT_VERSION,
            )
        )
    if not isinstance(document.get("tables"), dict) or not document.get("campaign"):
        raise _not_an_archive()
    return document


def _not_an_archive() -> ArchiveError:
    return ArchiveError(
        _("Tệp archive.json không đúng định dạng tệp lưu trữ phong trào; không nhập gì.")
    )


# --- import -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: the campaign, rows inserted and reused per table, files written."""

    campaign: Campaign
    inserted: dict[str, int]
    reused: dict[str, int]
    files_written: int
    new_users: list[str]


def import_archive(fileobj: IO[bytes], *, slug: str | None = None) -> Campaign:
    """Import an archive as a new campaign (under `slug` if given) and commit; see the
    module docstring. Raises ArchiveError, with nothing written, when it is refused."""
    return import_with_report(fileobj, slug=slug).campaign


def import_with_report(fileobj: IO[bytes], *, slug: str | None = None) -> ImportReport:
    """`import_archive`, telling what was inserted and reused. Call it on a clean session:
    it commits, or rolls back and removes the files it wrote."""
    package = read_archive(fileobj)
    _check_revision(package.document)
    layout = plan()
    _check_tables(layout, package.document)
    slug = _check_slug(slug or package.document["campaign"])
    importer = _Importer(package, layout, slug)
    try:
        campaign_id = importer.run()
        standings.touch(campaign_id)
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        importer.remove_written_files()
        if audit.chain_conflict(exc):
            raise ArchiveError(
                _("Có người vừa ghi điểm trong lúc nhập nên chưa nhập gì; hãy nhập lại.")
            ) from exc
        raise
    except BaseException:
        db.session.rollback()
        importer.remove_written_files()
        raise
    return ImportReport(
        campaign=db.session.get(Campaign, campaign_id),
        inserted=dict(importer.inserted),
        reused={name: len(ids) for name, ids in importer.reused.items() if ids},
        files_written=len(importer.written),
        new_users=importer.new_users,
    )


def _check_revision(document: dict) -> None:
    here = schema_revision()
    if document.get("schema_revision") != here:
        raise ArchiveError(
            _(
                "Tệp lưu trữ được xuất từ cơ sở dữ liệu phiên bản %(archive)s, khác phiên bản của hệ thống này (%(here)s). Hãy nâng cấp để hai bên cùng phiên bản (flask db upgrade) rồi nhập lại.",
                archive=document.get("schema_revision") or "?",
                here=here,
            )
        )


def _check_tables(layout: Plan, document: dict) -> None:
    known = {t.name for t in layout.order}
    for name, rows in document["tables"].items():
        if name not in known or not isinstance(rows, list):
            raise ArchiveError(
                _("Tệp lưu trữ có bảng %(table)s mà hệ thống này không nhận.", table=name)
            )
    if len(document["tables"].get(ROOT_TABLE, [])) != 1:
        raise _not_an_archive()


def _check_slug(slug: str) -> str:
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 80:
        raise ArchiveError(
            _("Mã đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch nối."), "slug"
        )
    if db.session.scalar(select(Campaign.id).where(Campaign.slug == slug)) is not None:
        raise ArchiveError(
            _(
                "Đã có phong trào với mã đường dẫn %(slug)s; không nhập lại. Muốn giữ cả hai, hãy nhập với mã đường dẫn khác.",
                slug=slug,
            ),
            "slug",
        )
    return slug


@dataclass
class _Importer:
    """One import: the old → new ids of every table, and the files written so far."""

    package: Package
    layout: Plan
    slug: str
    ids: dict[str, dict] = field(default_factory=lambda: defaultdict(dict))
    reused: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    inserted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    written: list[str] = field(default_factory=list)
    new_users: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.missing_files = set(self.package.document.get("missing_files") or ())
        raw = self.package.document["tables"]
        self.decoders = {
            table.name: {c.key: _decoder(c) for c in _exported_columns(table)}
            for table in self.layout.order
        }
        # Every row is read before anything is written: a malformed one refuses the file.
        self.rows = {
            table.name: [self._decode_row(table, row) for row in raw.get(table.name, ())]
            for table in self.layout.order
        }
        self.pointed = self._pointed_ids()

    def run(self) -> int:
        """Insert everything in key order; the new campaign's id."""
        self.conn = db.session.connection()
        for table in self.layout.order:
            rows = self.rows[table.name]
            if not rows:
                continue
            if table.name == AUDIT_TABLE:
                self._rechain(table, rows)
            elif self.layout.is_owned(table):
                self._insert_owned(table, rows)
            else:
                self._match_or_insert(table, rows)
        return self.campaign_id

    @property
    def campaign_id(self) -> int:
        [campaign] = self.rows[ROOT_TABLE]
        return self.ids[ROOT_TABLE][campaign["id"]]

    # rows

    def _decode_row(self, table: Table, raw: Any) -> dict:
        decoders = self.decoders[table.name]
        if not isinstance(raw, dict) or raw.keys() != decoders.keys():
            raise ArchiveError(
                _(
                    "Dữ liệu bảng %(table)s trong tệp lưu trữ không khớp cấu trúc của hệ thống này.",
                    table=table.name,
                )
            )
        row = {}
        try:
            for key, value in raw.items():
                decode = decoders[key]
                row[key] = value if decode is None or value is None else decode(value)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise _not_an_archive() from exc
        return row

    def _pointed_ids(self) -> dict[str, set]:
        """Old ids that some archived row points at, per table."""
        pointed: dict[str, set] = defaultdict(set)
        names = {t.name for t in self.layout.order}
        for table in self.layout.order:
            for target, ids in _pointers(table, self.rows[table.name], names).items():
                pointed[target] |= ids
        return pointed

    def _remap(self, table: Table, row: dict) -> dict:
        """The row with every key translated to this installation's ids."""
        out = dict(row)
        for fk in table.foreign_keys:
            value = row[fk.parent.key]
            if value is None:
                continue
            new = self.ids[fk.column.table.name].get(value)
            if new is None and not fk.parent.nullable:
                raise ArchiveError(
                    _(
                        "Tệp lưu trữ không nhất quán: %(table)s.%(column)s trỏ tới dòng không có trong tệp.",
                        table=table.name,
                        column=fk.parent.name,
                    )
                )
            out[fk.parent.key] = new
        for column, target, none in _implicit(table):
            value, known = row[column.key], self.ids[target]
            if isinstance(value, list):
                out[column.key] = [known[v] for v in value if v in known]
            elif value is not None and value != none:
                out[column.key] = known.get(value, none)
        return out

    def _levels(self, table: Table, rows: list[dict]) -> Iterator[list[dict]]:
        """The rows in batches whose parents in the same table are already in (units,
        criteria): parents first. The caller inserts each batch before asking the next."""
        keys = [fk.parent.key for fk in _self_keys(table)]
        if not keys:
            yield rows
            return
        pending = rows
        while pending:
            done = self.ids[table.name]
            ready = [r for r in pending if all(r[k] is None or r[k] in done for k in keys)]
            if not ready:
                raise ArchiveError(
                    _(
                        "Tệp lưu trữ không nhất quán: %(table)s có dòng trỏ tới dòng cha không có trong tệp.",
                        table=table.name,
                    )
                )
            yield ready
            taken = {id(r) for r in ready}
            pending = [r for r in pending if id(r) not in taken]

    def _insert(self, table: Table, originals: list[dict], rows: list[dict]) -> None:
        """Insert in batches; remember each old id's new id."""
        if not rows:
            return
        self.inserted[table.name] += len(rows)
        surrogate, key = _surrogate_key(table), _single_key(table)
        if surrogate is None:
            self.conn.execute(insert(table), rows)
            if key is not None:
                for old, new in zip(originals, rows, strict=True):
                    self.ids[table.name][old[key.key]] = new[key.key]
            return
        new_ids = self._insert_numbered(table, surrogate, rows)
        for old, new in zip(originals, new_ids, strict=True):
            self.ids[table.name][old[surrogate.key]] = new

    def _insert_numbered(self, table: Table, surrogate: Column, rows: list[dict]) -> list[int]:
        """Insert rows under new ids, given in the rows' order and increasing."""
        sequence = self._sequence_of(table, surrogate)
        if sequence is not None:
            # PostgreSQL: the ids in one query, then a plain (pipelined) executemany, several
            # times faster with psycopg than INSERT … RETURNING in pages.
            new_ids = sorted(self.conn.scalars(NEXT_IDS, {"sequence": sequence, "n": len(rows)}))
            for row, new in zip(rows, new_ids, strict=True):
                row[surrogate.key] = new
            self.conn.execute(insert(table), rows)
            return new_ids
        for row in rows:
            row.pop(surrogate.key, None)
        statement = insert(table).returning(surrogate, sort_by_parameter_order=True)
        return self.conn.execute(statement, rows).scalars().all()

    def _sequence_of(self, table: Table, surrogate: Column) -> str | None:
        if self.conn.dialect.name != "postgresql":
            return None
        return self.conn.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": surrogate.name},
        )

    # owned rows

    def _insert_owned(self, table: Table, rows: list[dict]) -> None:
        for level in self._levels(table, rows):
            prepared = [self._remap(table, row) for row in level]
            if table.name == ROOT_TABLE:
                prepared[0]["slug"] = self.slug
            else:
                _new_codes_for_unused_tokens(table, prepared)
                self._replace_taken_values(table, prepared)
            self._place_files(table, level, prepared)
            self._insert(table, level, prepared)

    def _replace_taken_values(self, table: Table, rows: list[dict]) -> None:
        """Unique text already used in this installation (the same campaign imported again
        under another slug) is replaced: a new showcase slug, survey link, code or key."""
        for column in _unique_text_columns(table):
            taken = self._existing_values(column, [r[column.key] for r in rows])
            for row in rows:
                if row[column.key] in taken:
                    value = _fresh_value(column, row[column.key])
                    while value in taken or self._existing_values(column, [value]):
                        value = _fresh_value(column, row[column.key])
                    taken.add(value)
                    row[column.key] = value

    def _existing_values(self, column: Column, values: list) -> set:
        wanted = sorted({v for v in values if v is not None})
        found: set = set()
        for chunk in _chunks(wanted, CHUNK):
            found.update(self.conn.scalars(select(column).where(column.in_(chunk))))
        return found

    # files

    def _place_files(self, table: Table, originals: list[dict], rows: list[dict]) -> None:
        """Write the rows' files under this installation's folder; a name in use on disk
        with other content gets a new one (and the row with it)."""
        spec = FILES_BY_TABLE.get(table.name)
        if spec is None:
            return
        folder = spec.directory()
        os.makedirs(folder, exist_ok=True)
        for original, row in zip(originals, rows, strict=True):
            source = original[spec.column]
            if not spec.pattern.match(source) or not spec.pattern.match(row[spec.column]):
                raise ArchiveError(
                    _("Tên tệp %(name)s trong tệp lưu trữ không hợp lệ.", name=source)
                )
            # Files already missing where the archive was made: the row comes without them.
            members = [
                (index, spec.member(name))
                for index, name in enumerate(spec.names(source))
                if spec.member(name) not in self.missing_files
            ]
            for _index, member in members:
                if member not in self.package.manifest:
                    raise ArchiveError(
                        _("Tệp lưu trữ thiếu tệp %(name)s; không nhập gì.", name=member)
                    )
            name = row[spec.column]
            while not self._fits(folder, spec.names(name), members):
                name = _fresh_file_name(name)
            for index, member in members:
                self._write(member, os.path.join(folder, spec.names(name)[index]))
            row[spec.column] = name

    def _fits(self, folder: str, names: tuple[str, ...], members: list[tuple[int, str]]) -> bool:
        """Each name is free on disk, or holds exactly the archived content already."""
        for index, member in members:
            path = os.path.join(folder, names[index])
            if os.path.exists(path) and _file_sha256(path) != self.package.manifest[member]:
                return False
        return True

    def _write(self, member: str, path: str) -> None:
        if os.path.exists(path):  # the same content is there already (checked by _fits)
            return
        partial = path + ".part"
        try:
            with self.package.archive.open(member) as source, open(partial, "wb") as target:
                while block := source.read(COPY_BUFFER):
                    target.write(block)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)
            raise
        self.written.append(path)

    def remove_written_files(self) -> None:
        for path in self.written:
            if os.path.exists(path):
                os.remove(path)
        self.written.clear()

    # reference rows

    def _match_or_insert(self, table: Table, rows: list[dict]) -> None:
        """Reuse the rows this installation has (by natural key); insert the others."""
        key = _natural_key(table)
        pk = _single_key(table).key
        for level in self._levels(table, rows):
            prepared = [self._remap(table, row) for row in level]
            existing = self._existing_keys(table, key, prepared) if key else {}
            originals, new_rows = [], []
            for original, row in zip(level, prepared, strict=True):
                found = existing.get(self._key_of(table, key, row)) if key else None
                if found is not None:
                    self.ids[table.name][original[pk]] = found
                    self.reused[table.name].add(original[pk])
                elif not self._leave_alone(table, original):
                    originals.append(original)
                    new_rows.append({**row, **NEW_REFERENCE_VALUES.get(table.name, {})})
            self._insert(table, originals, new_rows)
            if table.name == "users":
                self.new_users.extend(row["username"] for row in new_rows)

    def _leave_alone(self, table: Table, original: dict) -> bool:
        """A member of a cluster (an award type of a rulebook) this installation had
        already is not added to it, unless an archived row needs it."""
        for parent_name, children in REFERENCE_CHILDREN.items():
            if table.name in children:
                parent_key = _key_to(table, self.layout.table(parent_name)).key
                parent_reused = original[parent_key] in self.reused[parent_name]
                needed = original[_single_key(table).key] in self.pointed[table.name]
                return parent_reused and not needed
        return False

    def _key_of(self, table: Table, key: tuple[Column, ...], row: dict) -> tuple:
        return tuple(
            row[c.key].lower()
            if (table.name, c.name) in CASE_INSENSITIVE_KEYS and row[c.key]
            else row[c.key]
            for c in key
        )

    def _existing_keys(self, table: Table, key: tuple[Column, ...], rows: list[dict]) -> dict:
        """Natural key → id of the rows this installation has among those wanted."""
        keys = {self._key_of(table, key, row) for row in rows}
        wanted = sorted((k for k in keys if None not in k), key=repr)
        columns = [
            func.lower(c) if (table.name, c.name) in CASE_INSENSITIVE_KEYS else c for c in key
        ]
        pk = _single_key(table)
        found = {}
        for chunk in _chunks(wanted, CHUNK):
            if len(columns) == 1:
                condition = columns[0].in_([k[0] for k in chunk])
            else:
                condition = tuple_(*columns).in_(chunk)
            for row in self.conn.execute(select(pk, *columns).where(condition)):
                found[tuple(row[1:])] = row[0]
        return found

    # the audit chain

    def _rechain(self, table: Table, rows: list[dict]) -> None:
        """Chain the campaign's score events anew onto this installation's head, after one
        event that says where they came from (see the module docstring)."""
        rows = sorted(rows, key=lambda row: row["id"])
        events = [self._remap(table, row) for row in rows]
        marker = dict.fromkeys(events[0], None) | {
            "at": utcnow(),
            "campaign_id": self.campaign_id,
            "stage": "",
            "action": IMPORT_ACTION,
            "old_value": "",
            "new_value": str(len(events)),
            "reason": _(
                "Nhập từ tệp lưu trữ có mã sha256 %(sha)s: %(n)s sự kiện chấm điểm theo sau, nối lại vào chuỗi nhật ký của hệ thống này.",
                sha=self.package.sha256,
                n=len(events),
            ),
        }
        previous = self.conn.scalar(select(table.c.hash).order_by(table.c.id.desc()).limit(1))
        previous = previous or audit.GENESIS
        chained = []
        for event in [marker, *events]:
            event["prev_hash"] = previous
            event["hash"] = previous = audit.compute_hash(event)
            chained.append(event)
        new_ids = self._insert_numbered(table, table.c.id, chained)
        if any(later <= earlier for earlier, later in zip(new_ids, new_ids[1:], strict=False)):
            raise ArchiveError(
                _("Không nối được nhật ký chấm điểm theo đúng thứ tự; hãy nhập lại.")
            )
        for old, new in zip(rows, new_ids[1:], strict=True):
            self.ids[table.name][old["id"]] = new
        self.inserted[table.name] += len(chained)


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while block := source.read(COPY_BUFFER):
            digest.update(block)
    return digest.hexdigest()
