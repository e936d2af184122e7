"""Sheets from an upload's bytes, within bounds.

The zip is checked first (:mod:`container`); then the worksheets wanted are read by
the Rust reader in its worker process (:mod:`worker`) while :mod:`guard` scans their
XML here, at the same time. When the scan refuses the file, or finds stray blank cells
far away that must be dropped first, the read is abandoned (and redone on the cleaned
file); otherwise its columns are used. Chart, dialog and macro sheets are not data.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import pyarrow as pa

from csi_core.reading import bigsheet, container, guard, worker
from csi_core.reading.container import Budget, Limits, SheetEntry, refuse
from csi_core.reading.problems import WorkbookRefused


@dataclass
class Book:
    """An upload opened for reading: its bytes, its zip and the sheets it lists."""

    data: bytes
    zf: zipfile.ZipFile
    entries: list[SheetEntry]
    limits: Limits
    budget: Budget
    placeholders: bool  # "calculate on opening": saved formula results are not trusted
    loaded: dict[str, tuple[guard.Scan, pa.RecordBatch | None]] = field(default_factory=dict)

    @property
    def sheet_names(self) -> list[str]:
        """The worksheets, in order: chart, dialog and macro sheets are not data."""
        return [e.name for e in self.entries if e.kind == "worksheet"]

    @property
    def hidden(self) -> set[str]:
        return {e.name for e in self.entries if e.hidden}

    def entry(self, name: str) -> SheetEntry:
        return next(e for e in self.entries if e.name == name)

    def big(self, name: str) -> bool:
        path = self.entry(name).path
        return path is not None and bigsheet.sheet_size(self.data, path) > 2 * self.limits.chunk_bytes


def open_book(data: bytes, limits: Limits = Limits()) -> Book:
    """The checked zip and its sheet list; ``WorkbookRefused`` saying what the file is
    when it is not a workbook that may be read."""
    zf = container.check(data, limits)
    try:
        entries = container.sheet_entries(zf)
        placeholders = any(c.get("fullCalcOnLoad") in ("1", "true")
                           for c in container._elements(zf, "xl/workbook.xml", "calcPr"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, container.SafeET.ParseError):
        raise refuse("zip_damaged_part", part="xl/workbook.xml", detail="") from None
    if not any(e.kind == "worksheet" for e in entries):
        raise refuse("no_worksheet")
    return Book(data, zf, entries, limits, Budget(limits, len(data)), placeholders)


def load(book: Book, names: list[str]) -> None:
    """Scan and read the sheets ``names`` (not yet loaded): big sheets are only scanned
    here and read in chunks by :func:`parts`."""
    todo = [n for n in dict.fromkeys(names) if n not in book.loaded]
    whole = [n for n in todo if not book.big(n)]
    memory = _memory(book, whole)
    job = worker.Job(book.data, whole, memory, book.limits.reader_seconds) if whole and book.limits.isolated else None
    try:
        scans = {n: _scan(book, n) for n in todo}
    except BaseException:
        if job is not None:
            job.abandon()
        raise
    dirty = [n for n in todo if scans[n].needs_cleaning]
    if dirty:
        if job is not None:
            job.abandon()
            job = None
        for name in dirty:
            book.data = guard.clean(book.data, book.zf, book.entry(name).path, scans[name])
            book.zf = zipfile.ZipFile(io.BytesIO(book.data))
    try:
        batches = _finish(book.data, whole, book.limits, memory, job) if whole else {}
    except WorkbookRefused as refused:  # say why, when a check too costly to run always can tell
        if refused.problems[0].code in ("reader_failed", "reader_crash"):
            for name in whole:
                found = container.diagnose(book.zf, book.entry(name).path)
                if found is not None:
                    raise found from None
        raise
    for name in todo:
        book.loaded[name] = (scans[name], batches.get(name))


def _scan(book: Book, name: str) -> guard.Scan:
    path = book.entry(name).path
    if path is None:
        raise refuse("sheet_missing", sheet=name)
    found = guard.scan(book.zf, path, name, book.budget, book.limits, len(book.data), book.placeholders)
    guard.settle(book.zf, name, found, book.limits, book.limits.cell_budget(len(book.data)))
    return found


def _memory(book: Book, names: list[str]) -> int:
    """The reader's memory budget: declared sizes, capped by what the file may unpack to."""
    xml = sum(min(_declared(book.zf, book.entry(n).path), book.budget.total) for n in names)
    return max(book.limits.reader_memory_bytes, int(book.limits.reader_memory_per_xml_byte * xml))


def _declared(zf: zipfile.ZipFile, path: str | None) -> int:
    try:
        return zf.getinfo(path).file_size if path else 0
    except KeyError:
        return 0


def _finish(data: bytes, names: list[str], limits: Limits, memory: int,
            job: worker.Job | None = None) -> dict[str, pa.RecordBatch]:
    """The sheets ``names`` as Arrow batches: the worker's (``job``, or a new one), or
    read here when the reader is not isolated."""
    if limits.isolated:
        job = job or worker.Job(data, names, memory, limits.reader_seconds)
        try:
            loaded = job.result()
        except worker.ReaderStopped as stopped:
            raise refuse(f"reader_{stopped.cause}", sheet=names[0], memory=container.megabytes(memory),
                         seconds=f"{limits.reader_seconds:.0f}") from None
    else:
        loaded = _in_process(data, names)
    out = {}
    for name, got in loaded.items():
        if got.batch is None:
            raise refuse("reader_failed", sheet=name, detail=got.failure)
        out[name] = with_error_cells(got.batch, got.errors)
    return out


def _in_process(data: bytes, names: list[str]) -> dict[str, worker.Loaded]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # noqa: BLE001 — the reader's own errors and panics alike
        return {n: worker.Loaded(None, failure=worker._first_line(exc)) for n in names}
    out = {}
    for name in names:
        try:
            batch, errors = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow_with_errors()
            cells = tuple((e.offset_position[0], e.offset_position[1], e.detail or "")
                          for e in (errors.errors if errors else ()))
            out[name] = worker.Loaded(batch, cells)
        except Exception as exc:  # noqa: BLE001
            out[name] = worker.Loaded(None, failure=worker._first_line(exc))
    return out


def parts(book: Book, name: str, header_at):
    """(batch, Excel row of its first data row or None) for a loaded sheet: the whole
    sheet at once, or a big one in chunks (``header_at()`` gives the header's row and
    first column once the first chunk has been read)."""
    scan, batch = book.loaded[name]
    if batch is not None:
        yield batch, None
        return
    path = book.entry(name).path
    try:
        for chunk in bigsheet.chunks(book.data, path, header_at, book.limits.chunk_bytes):
            memory = max(book.limits.reader_memory_bytes, int(book.limits.reader_memory_per_xml_byte * len(chunk.data)))
            yield _finish(chunk.data, [name], book.limits, memory)[name], chunk.first_row
    except ValueError:
        raise refuse("unsplittable", sheet=name) from None


_EXCEL_ERRORS = {"div0": "#DIV/0!", "na": "#N/A", "name": "#NAME?", "null": "#NULL!", "num": "#NUM!",
                 "ref": "#REF!", "value": "#VALUE!", "gettingdata": "#GETTING_DATA"}


def with_error_cells(batch: pa.RecordBatch, errors) -> pa.RecordBatch:
    """Put Excel error cells (#N/A, #DIV/0!…) back as their text, so that they are
    reported as unknown values instead of silently read as blanks."""
    if not errors:
        return batch
    by_column: dict[int, dict[int, str]] = {}
    for row, col, detail in errors:
        kind = re.search(r"Error\((\w+)\)", detail or "")
        text = _EXCEL_ERRORS.get(kind.group(1).lower(), f"#{kind.group(1)}") if kind else "#ERROR"
        by_column.setdefault(col, {})[row] = text
    columns = []
    for i in range(batch.num_columns):
        if i in by_column:
            values = batch.column(i).to_pylist()
            for row, text in by_column[i].items():
                values[row] = text
            columns.append(pa.array(values, pa.string()))
        else:
            columns.append(batch.column(i))
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


__all__ = ["Book", "open_book", "load", "parts", "WorkbookRefused"]
