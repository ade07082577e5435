"""Output files of a batch run: append-only JSON Lines, then CSV / Parquet tables.

* ``reports.jsonl`` / ``errors.jsonl`` are appended one line per result and flushed at
  once, so a run killed at any moment keeps everything already finished. A torn last
  line (kill -9 in the middle of a write) is cut off by :func:`repair_tail` before the
  next run appends.
* ``reports.csv`` (one row per report, wide), ``facts.csv`` (one row per fact, long)
  and their Parquet twins are rebuilt from ``reports.jsonl`` at the end of a run, each
  written to a temporary file and moved into place with ``os.replace``. CSV is UTF-8
  with a BOM so that Excel on Chinese Windows opens it correctly.

Each ``reports.jsonl`` line is the SCHEMA §1 object with one extra member first,
``"batch": {"input", "sha256", "options", "seconds"}``, which the batch uses to resume.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .jsonsafe import INT64_MAX, INT64_MIN, spreadsheet_safe
from .research.panel import Duplicates, column_order, default_type, meta_row, series_row
from .safepath import open_output

REPORTS_JSONL = "reports.jsonl"
ERRORS_JSONL = "errors.jsonl"
REPORTS_CSV = "reports.csv"
FACTS_CSV = "facts.csv"
REPORTS_PARQUET = "reports.parquet"
FACTS_PARQUET = "facts.parquet"
LOCK_FILE = ".govreport-batch.lock"
CHECKS_JSONL = "checks.jsonl"              # cross-report findings (govreport.crossyear)
CROSS_CHECKS_JSON = "cross_checks.json"    # their summary
SQLITE_DB = "govreport.db"
METADATA_JSON = "metadata.json"
ALL_OUTPUTS = (REPORTS_JSONL, ERRORS_JSONL, REPORTS_CSV, FACTS_CSV, REPORTS_PARQUET,
               FACTS_PARQUET, CHECKS_JSONL, CROSS_CHECKS_JSON, SQLITE_DB, METADATA_JSON)
FORMATS = ("jsonl", "csv", "parquet", "sqlite")
#: The files each table format writes (rebuilt from reports.jsonl at the end of a run).
TABLE_FILES = {"csv": (REPORTS_CSV, FACTS_CSV), "parquet": (REPORTS_PARQUET, FACTS_PARQUET),
               "sqlite": (SQLITE_DB, METADATA_JSON)}

SOURCE_COLUMNS = ("source.path", "source.sha256", "source.kind")
FACT_COLUMNS = ("source", "key", "value", "kind", "section", "page", "wording")

_BATCH_PREFIX = b'{"batch": '


class OutdirBusyError(RuntimeError):
    """Another batch run is writing to the same output folder."""


# --------------------------------------------------------------------------- JSON Lines

class JsonlAppender:
    """Append lines to a JSON Lines file, flushing each one; ``write`` returns its offset."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._fh: IO[bytes] | None = None
        self._pos = 0

    def __enter__(self) -> JsonlAppender:
        fd = open_output(self.path.parent, self.path.name, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        self._fh = os.fdopen(fd, "ab")
        self._pos = self._fh.seek(0, os.SEEK_END)
        return self

    def write(self, line: str) -> int:
        assert self._fh is not None, "use JsonlAppender as a context manager"
        data = line.encode("utf-8", "backslashreplace")  # a lone surrogate: \udcXX in JSON
        if not data.endswith(b"\n"):
            data += b"\n"
        offset = self._pos
        self._fh.write(data)
        self._fh.flush()
        self._pos += len(data)
        return offset

    def __exit__(self, *exc: Any) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


def repair_tail(path: str | os.PathLike[str]) -> int:
    """Cut a torn last line (no final newline) off a JSON Lines file; bytes removed."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with os.fdopen(open_output(p.parent, p.name, os.O_RDWR), "rb+") as fh:
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return 0
        # walk back to the last newline
        pos, block = size, 1 << 16
        keep = 0
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            i = chunk.rfind(b"\n")
            if i >= 0:
                keep = start + i + 1
                break
            pos = start
        fh.truncate(keep)
        return size - keep


def iter_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, bytes]]:
    """(offset, line without newline) for every complete, non-blank line of a file."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return
    with fh:
        offset = 0
        for line in fh:
            start, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                break  # torn tail: not a result
            if line.strip():
                yield start, line.rstrip(b"\r\n")


def read_batch_meta(line: bytes | str) -> dict[str, Any] | None:
    """The ``batch`` member of a reports.jsonl line, without decoding the whole report."""
    if isinstance(line, str):
        line = line.encode("utf-8")
    try:
        if line.startswith(_BATCH_PREFIX):
            text = line.decode("utf-8")
            meta, _ = json.JSONDecoder().raw_decode(text, len(_BATCH_PREFIX))
        else:
            meta = json.loads(line).get("batch")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return None
    return meta if isinstance(meta, dict) else None


def iter_reports(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Every report of a reports.jsonl (undecodable lines are skipped)."""
    for _, line in iter_lines(path):
        try:
            yield json.loads(line)
        except ValueError:
            continue


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, binary: bool = False,
                  encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[Any]]:
    """Write ``path`` through a temporary file in the same folder, then ``os.replace``."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)  # a leftover (or planted) temporary: never written through
    fd = open_output(p.parent, tmp.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    fh: IO[Any] = os.fdopen(fd, "wb") if binary else \
        os.fdopen(fd, "w", encoding=encoding, newline=newline, errors="backslashreplace")
    try:
        with fh:
            yield fh
            fh.flush()
            with contextlib.suppress(OSError):
                os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class OutdirLock:
    """An exclusive lock on an output folder for the duration of a run."""

    def __init__(self, outdir: str | os.PathLike[str]):
        self.path = Path(outdir) / LOCK_FILE
        self._fh: IO[str] | None = None

    def __enter__(self) -> OutdirLock:
        self._fh = os.fdopen(open_output(self.path.parent, self.path.name,
                                         os.O_RDWR | os.O_CREAT), "a+")
        try:
            import fcntl

            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows: no advisory lock, carry on
            pass
        except OSError:
            self._fh.close()
            self._fh = None
            raise OutdirBusyError(f"{self.path.parent}: another govreport batch run is "
                                  "writing to this folder") from None
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._fh is not None:
            self._fh.close()  # releases the flock
            self._fh = None


def remove_stale_temporaries(outdir: str | os.PathLike[str]) -> int:
    """Delete the temporary files of an earlier run that was killed while writing."""
    n = 0
    for name in ALL_OUTPUTS:
        for tmp in Path(outdir).glob(f".{name}.tmp-*"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                n += 1
    return n


def remove_outputs(outdir: str | os.PathLike[str]) -> None:
    for name in ALL_OUTPUTS:
        with contextlib.suppress(FileNotFoundError):
            (Path(outdir) / name).unlink()


# --------------------------------------------------------------------------- tables

def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    else:
        out[prefix] = value


def report_row(report: dict[str, Any], *, series: bool = True) -> dict[str, Any]:
    """The flat row of one report: source.*, meta.*, checks, fact keys, series.*, plugins.*."""
    row: dict[str, Any] = {}
    source = report.get("source") or {}
    batch = report.get("batch") or {}
    row["source.path"] = source.get("path") or batch.get("input")
    row["source.sha256"] = source.get("sha256") or batch.get("sha256")
    row["source.kind"] = source.get("kind")
    row.update(meta_row(report.get("meta") or {}))
    rules = []
    for c in report.get("checks") or []:
        rule = c.get("rule") if isinstance(c, dict) else None
        if rule and rule not in rules:
            rules.append(rule)
    row["checks"] = ";".join(rules)
    for k, v in (report.get("facts") or {}).items():
        row[k] = v
    if series:
        row.update(series_row(report))
    for name, extra in (report.get("plugins") or {}).items():
        if isinstance(extra, dict):
            _flatten(f"plugins.{name}", extra, row)
        elif extra is not None:
            row[f"plugins.{name}"] = extra
    return row


def fact_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    source = (report.get("source") or {}).get("path") or (report.get("batch") or {}).get("input")
    prov = report.get("provenance") or {}
    for key, value in (report.get("facts") or {}).items():
        p = prov.get(key) or {}
        yield {"source": source, "key": key, "value": value, "kind": p.get("kind"),
               "section": p.get("section"), "page": p.get("page"), "wording": p.get("text")}


def _tag(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int" if INT64_MIN <= v <= INT64_MAX else "str"  # too large: exported as text
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    return "json"


def csv_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return spreadsheet_safe(v)  # "=HYPERLINK(...)" in a title is text, not a formula
    if isinstance(v, (int, float)):
        return str(v)
    return spreadsheet_safe(json.dumps(v, ensure_ascii=False, default=str))


def _arrow_type(tags: set[str]) -> str:
    if not tags:
        return "string"
    if tags == {"bool"}:
        return "bool"
    if tags <= {"int", "bool"}:
        return "int64"
    if tags <= {"int", "float", "bool"}:
        return "float64"
    return "string"


def _arrow_value(v: Any, kind: str) -> Any:
    if v is None:
        return None
    if kind == "int64":
        return int(v)
    if kind == "float64":
        return float(v)
    if kind == "bool":
        return bool(v)
    return v if isinstance(v, str) else csv_value(v)


def _latest_lines(path: Path) -> tuple[set[int], dict[str, set[str]]]:
    """Pass 1: the last line of each input, the columns seen and their value types."""
    latest: dict[str, int] = {}
    seen: dict[str, set[str]] = {}
    for offset, line in iter_lines(path):
        try:
            report = json.loads(line)
        except ValueError:
            continue
        row = report_row(report, series=False)  # series columns are fixed: not needed here
        latest[str(row.get("source.path"))] = offset
        for col, v in row.items():
            tags = seen.setdefault(col, set())
            t = _tag(v)
            if t:
                tags.add(t)
    return set(latest.values()), seen


def remove_stale_tables(outdir: str | os.PathLike[str], formats: Iterable[str]) -> list[str]:
    """Remove table files of formats this run does not write: left from an earlier run,
    they would no longer match reports.jsonl. Returns one line per file removed."""
    fmts = {f.strip().lower() for f in formats}
    notes = []
    for fmt, names in TABLE_FILES.items():
        if fmt in fmts:
            continue
        for name in names:
            path = Path(outdir) / name
            if path.is_file() and not path.is_symlink():
                path.unlink()
                notes.append(f"removed {name}: left by an earlier run with --format {fmt}, "
                             f"it no longer matches reports.jsonl")
    return notes


def export_tables(outdir: str | os.PathLike[str], formats: Iterable[str] = ("csv",),
                  notes: list[str] | None = None) -> list[Path]:
    """Rebuild reports/facts CSV, Parquet and/or the SQLite file from ``outdir/reports.jsonl``.

    When an input appears on several lines (rerun with other options, or the file
    changed) only its last line is exported. Table files of formats not asked for are
    removed (a line for each goes to ``notes``). Returns the paths written.
    """
    out = Path(outdir)
    fmts = {f.strip().lower() for f in formats}
    removed = remove_stale_tables(out, fmts)
    if notes is not None:
        notes.extend(removed)
    want_csv, want_parquet, want_sqlite = "csv" in fmts, "parquet" in fmts, "sqlite" in fmts
    if not (want_csv or want_parquet or want_sqlite):
        return []
    src = out / REPORTS_JSONL
    keep, seen = _latest_lines(src)
    columns = column_order(SOURCE_COLUMNS, seen)
    duplicates = Duplicates()
    written: list[Path] = []
    with contextlib.ExitStack() as stack:
        rep_csv = fact_csv = rep_pq = fact_pq = None
        if want_csv:
            fh = stack.enter_context(atomic_writer(out / REPORTS_CSV, encoding="utf-8-sig", newline=""))
            rep_csv = csv.writer(fh)
            rep_csv.writerow(columns)
            fh2 = stack.enter_context(atomic_writer(out / FACTS_CSV, encoding="utf-8-sig", newline=""))
            fact_csv = csv.writer(fh2)
            fact_csv.writerow(FACT_COLUMNS)
            written += [out / REPORTS_CSV, out / FACTS_CSV]
        if want_parquet:
            rep_pq = stack.enter_context(_ParquetTable(
                out / REPORTS_PARQUET, [(c, _arrow_type(seen.get(c) or {default_type(c)}))
                                        for c in columns]))
            fact_pq = stack.enter_context(_ParquetTable(
                out / FACTS_PARQUET, [("source", "string"), ("key", "string"), ("value", "float64"),
                                      ("value_raw", "string"), ("kind", "string"), ("section", "string"),
                                      ("page", "int64"), ("wording", "string")]))
            written += [out / REPORTS_PARQUET, out / FACTS_PARQUET]
        db = None
        if want_sqlite:
            from .research.sqlite import SqliteWriter

            db = stack.enter_context(SqliteWriter(out))
            written += [out / SQLITE_DB, out / METADATA_JSON]
        for offset, line in iter_lines(src):
            if offset not in keep:
                continue
            try:
                report = json.loads(line)
            except ValueError:
                continue
            row = report_row(report)
            duplicates.add(str(row.get("source.path")), row.get("source.sha256"),
                           row.get("meta.issuer_canonical"), row.get("meta.year"))
            row.update(duplicates.row(str(row.get("source.path"))))
            if rep_csv is not None:
                rep_csv.writerow([csv_value(row.get(c)) for c in columns])
            if rep_pq is not None:
                rep_pq.add(row)
            if db is not None:
                db.add(report, row)
            for fact in fact_rows(report) if fact_csv is not None or fact_pq is not None else ():
                if fact_csv is not None:
                    fact_csv.writerow([csv_value(fact[c]) for c in FACT_COLUMNS])
                if fact_pq is not None:
                    v = fact["value"]
                    number = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
                    page = fact["page"] if isinstance(fact["page"], int) else None
                    fact_pq.add({**fact, "value": number, "page": page,
                                 "value_raw": json.dumps(v, ensure_ascii=False, default=str)})
        if db is not None:
            for _, line in iter_lines(out / ERRORS_JSONL):
                with contextlib.suppress(ValueError, AttributeError):
                    db.add_error(json.loads(line))
    return written


class _ParquetTable:
    """Write rows to a Parquet file in row groups, through a temporary file."""

    def __init__(self, path: Path, schema: list[tuple[str, str]], batch_rows: int = 2000):
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise RuntimeError("Parquet output needs pyarrow: pip install 'govreport[parquet]'") from exc
        self.pa, self.pq = pa, pq
        self.path = path
        self.columns = schema
        types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
                 "bool": pa.bool_()}
        self.schema = pa.schema([(name, types[kind]) for name, kind in schema])
        self.batch_rows = batch_rows
        self.rows: list[dict[str, Any]] = []
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.writer = None
        self._fh: IO[bytes] | None = None

    def __enter__(self) -> _ParquetTable:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)
        self._fh = os.fdopen(open_output(self.path.parent, self.tmp.name,
                                         os.O_WRONLY | os.O_CREAT | os.O_EXCL), "wb")
        self.writer = self.pq.ParquetWriter(self._fh, self.schema, compression="zstd")
        return self

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.rows or self.writer is None:
            return
        arrays = [self.pa.array([_arrow_value(r.get(name), kind) for r in self.rows],
                                type=self.schema.field(name).type)
                  for name, kind in self.columns]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows = []

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        try:
            if exc_type is None:
                self._flush()
        finally:
            if self.writer is not None:
                self.writer.close()
            if self._fh is not None:
                self._fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True
