"""The Rust reader (fastexcel → calamine) in a process of its own.

calamine allocates the whole rectangle of a sheet at once; a cell far away, a lying
file or a bug can make it ask for hundreds of GB, and Rust then *aborts* the process —
no exception to catch. So cells are only ever materialised here, in a worker process
(``python -m csi_core.reading.worker``) whose data segment is capped per job
(``RLIMIT_DATA``): a read that needs more memory than its budget, or crashes, or
hangs past its deadline, costs only that upload — the caller gets :class:`ReaderStopped`
and says so in a sentence; the server goes on.

Workers are started once and reused (``prestart()`` warms one up); the workbook goes
in, and every sheet comes back, as files in shared memory (``/dev/shm``), so the Arrow
columns are mapped, not copied through a pipe.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass

_HEADER = struct.Struct("!Q")
_IDLE_MAX = 2


class ReaderStopped(Exception):
    """The reader process died, ran out of its memory budget or its time."""

    def __init__(self, cause: str, detail: str = ""):
        super().__init__(f"{cause}: {detail}" if detail else cause)
        self.cause = cause  # "memory", "time" or "crash"
        self.detail = detail


@dataclass(frozen=True)
class Loaded:
    """What the reader gave for one sheet: its cells as text columns and the Excel
    error cells ((row, column, detail) offsets in the batch), or why it could not."""

    batch: object | None  # pa.RecordBatch
    errors: tuple[tuple[int, int, str], ...] = ()
    failure: str = ""  # the reader's own message, when it refused the sheet


def _scratch_dir() -> str:
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()


class _Worker:
    def __init__(self):
        self.log = tempfile.TemporaryFile()
        env = {**os.environ, "RUST_BACKTRACE": "0", "PYTHONPATH": os.pathsep.join(filter(None, (
            os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
            os.environ.get("PYTHONPATH"))))}
        self.proc = subprocess.Popen([sys.executable, "-m", "csi_core.reading.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log, env=env, close_fds=True)

    def ask(self, request: tuple, seconds: float):
        body = pickle.dumps(request, protocol=5)
        try:
            self.proc.stdin.write(_HEADER.pack(len(body)) + body)
            self.proc.stdin.flush()
            ready, _, _ = select.select([self.proc.stdout], [], [], seconds)
            if not ready:
                self.kill()
                raise ReaderStopped("time", f"{seconds:.0f} s")
            size = _HEADER.unpack(_read_exactly(self.proc.stdout, _HEADER.size))[0]
            return pickle.loads(_read_exactly(self.proc.stdout, size))
        except (BrokenPipeError, EOFError, OSError, struct.error, pickle.UnpicklingError):
            code = self.proc.wait(timeout=5) if self.proc.poll() is None else self.proc.returncode
            raise ReaderStopped("memory" if self._out_of_memory() else "crash", f"exit {code}") from None

    def _out_of_memory(self) -> bool:
        self.log.seek(0)
        return b"memory allocation" in self.log.read()[-4096:]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _read_exactly(stream, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        block = stream.read(n - len(out))
        if not block:
            raise EOFError
        out += block
    return bytes(out)


_lock = threading.Lock()
_idle: list[_Worker] = []


def _checkout() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                return worker
            worker.kill()
    return _Worker()


def _checkin(worker: _Worker) -> None:
    with _lock:
        if worker.alive() and len(_idle) < _IDLE_MAX:
            _idle.append(worker)
            return
    worker.kill()


def prestart() -> None:
    """Start a worker now, so that the first upload does not wait for one."""
    worker = _checkout()
    try:
        worker.ask(("ping",), 60)
    except ReaderStopped:
        return
    _checkin(worker)


def shutdown() -> None:
    """Stop the idle workers (tests, the end of a benchmark)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


class Job:
    """One read running in a worker: start it, do other work, then ``result()`` or
    ``abandon()`` (the worker is killed: its result is no longer wanted)."""

    def __init__(self, data: bytes, sheets: list[str], memory_bytes: int, seconds: float):
        import pyarrow as pa  # noqa: F401 — the batches come back as Arrow files

        self.sheets = sheets
        self.seconds = seconds
        self._dir = tempfile.mkdtemp(prefix="csi-read-", dir=_scratch_dir())
        path = os.path.join(self._dir, "in.xlsx")
        with open(path, "wb") as f:
            f.write(data)
        self._worker = _checkout()
        self._done = threading.Event()
        self._answer = None
        self._error: ReaderStopped | None = None
        self._thread = threading.Thread(target=self._run, args=(path, memory_bytes), daemon=True,
                                        name="csi-reader")
        self._thread.start()

    def _run(self, path: str, memory_bytes: int) -> None:
        try:
            self._answer = self._worker.ask(("read", path, self.sheets, memory_bytes, self._dir), self.seconds)
        except ReaderStopped as stopped:
            self._error = stopped
        finally:
            self._done.set()

    def result(self) -> dict[str, Loaded]:
        """Every sheet asked for, by name; :class:`ReaderStopped` when the worker died."""
        self._done.wait()
        try:
            if self._error is not None:
                self._worker.kill()
                raise self._error
            _checkin(self._worker)
            return {name: _mapped(self._dir, name, answer) for name, answer in self._answer.items()}
        finally:
            _remove(self._dir)

    def abandon(self) -> None:
        if not self._done.is_set():
            self._worker.kill()
        self._done.wait()
        if self._error is None and self._worker.alive():
            _checkin(self._worker)
        _remove(self._dir)


def _mapped(folder: str, name: str, answer) -> Loaded:
    import pyarrow as pa

    kind, payload, errors = answer
    if kind != "ok":
        return Loaded(None, failure=payload)
    batch = pa.ipc.open_file(pa.memory_map(os.path.join(folder, payload))).get_batch(0)
    return Loaded(batch, tuple(errors))


def _remove(folder: str) -> None:
    for name in os.listdir(folder) if os.path.isdir(folder) else ():
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            pass
    try:
        os.rmdir(folder)
    except OSError:
        pass


# --- the worker's side -------------------------------------------------------------------
def _serve() -> None:  # pragma: no cover — runs in the worker process, tested through Job
    import fastexcel
    import pyarrow as pa

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer stream
    base = _data_size()
    while True:
        try:
            size = _HEADER.unpack(_read_exactly(stdin, _HEADER.size))[0]
        except EOFError:
            return
        request = pickle.loads(_read_exactly(stdin, size))
        if request[0] == "ping":
            answer: object = "pong"
        else:
            _, path, sheets, memory_bytes, folder = request
            resource.setrlimit(resource.RLIMIT_DATA, (base + memory_bytes, resource.RLIM_INFINITY))
            try:
                answer = _read(fastexcel, pa, path, sheets, folder)
            finally:
                resource.setrlimit(resource.RLIMIT_DATA, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                base = max(base, _data_size())
        body = pickle.dumps(answer, protocol=5)
        stdout.write(_HEADER.pack(len(body)) + body)
        stdout.flush()


def _read(fastexcel, pa, path: str, sheets: list[str], folder: str) -> dict:
    out = {}
    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # noqa: BLE001 — the reader's refusal, told in the caller's words
        return {name: ("failed", _first_line(exc), ()) for name in sheets}
    for i, name in enumerate(sheets):
        try:
            batch, errors = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow_with_errors()
            cells = tuple((e.offset_position[0], e.offset_position[1], e.detail or "")
                          for e in (errors.errors if errors else ()))
            file = f"sheet{i}.arrow"
            with pa.OSFile(os.path.join(folder, file), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as w:
                w.write_batch(batch)
            out[name] = ("ok", file, cells)
        except Exception as exc:  # noqa: BLE001
            out[name] = ("failed", _first_line(exc), ())
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


def _data_size() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


if __name__ == "__main__":  # pragma: no cover
    _serve()
