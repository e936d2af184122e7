"""A closed tab's upload leaves the server's memory (issue 10 point 5): the sweeper
shuts down sessions disconnected for longer than the grace period, and removes the
uploaded files of sessions Streamlit dropped without a shutdown."""
import gc
import weakref
from types import SimpleNamespace

from ui import sessions


class Upload(bytearray):
    """Bytes that a weak reference can follow."""


class FakeSession:
    def __init__(self, sid, files):
        self.id = sid
        self.state = {"upload.file": {"data": Upload(b"x" * 1000)}}
        self._session_state = self.state  # emptied by the sweeper: Streamlit may keep the session itself
        self.files = files

    def shutdown(self):  # what AppSession.shutdown does: the uploaded files go, not the state
        self.files.remove_session_files(self.id)


class FakeFiles:
    def __init__(self):
        self.file_storage = {}

    def remove_session_files(self, sid):
        self.file_storage.pop(sid, None)


class FakeManager:
    def __init__(self):
        self.active, self.stored = {}, {}

    def list_active_sessions(self):
        return [SimpleNamespace(session=s) for s in self.active.values()]

    def list_sessions(self):
        return self.list_active_sessions() + [SimpleNamespace(session=s) for s in self.stored.values()]

    def get_session_info(self, sid):
        session = self.active.get(sid) or self.stored.get(sid)
        return SimpleNamespace(session=session) if session else None

    def close_session(self, sid):
        session = self.stored.pop(sid, None) or self.active.pop(sid)
        session.shutdown()


def runtime_with(active: list[str], closed: list[str]):
    files = FakeFiles()
    manager = FakeManager()
    for sid in active:
        manager.active[sid] = FakeSession(sid, files)
    for sid in closed:
        manager.stored[sid] = FakeSession(sid, files)
    for sid in active + closed + ["gone"]:
        files.file_storage[sid] = {"f": Upload(b"y" * 1000)}
    return SimpleNamespace(_session_mgr=manager, uploaded_file_mgr=files), manager, files


def test_a_closed_session_keeps_its_upload_for_the_grace_period_then_releases_it():
    sessions._seen_closed.clear()
    runtime, manager, files = runtime_with(["open"], ["closed"])
    held = weakref.ref(manager.stored["closed"].state["upload.file"]["data"])
    widget_copy = weakref.ref(files.file_storage["closed"]["f"])
    assert sessions.sweep(runtime, now=100.0, grace=30) == []
    assert held() is not None and "closed" in manager.stored  # a reconnect within the grace keeps it
    closed = manager.stored["closed"]
    assert sessions.sweep(runtime, now=131.0, grace=30) == ["closed"]
    assert closed.state == {}
    del closed
    gc.collect()
    assert held() is None and widget_copy() is None
    assert set(files.file_storage) == {"open"}  # the dropped session's files ("gone") too
    assert "open" in manager.active and manager.active["open"].state  # the open tab keeps everything


def test_a_session_that_reconnects_is_not_released():
    sessions._seen_closed.clear()
    runtime, manager, files = runtime_with([], ["blip"])
    sessions.sweep(runtime, now=0.0, grace=30)
    manager.active["blip"] = manager.stored.pop("blip")  # reconnected
    assert sessions.sweep(runtime, now=40.0, grace=30) == []
    assert manager.active["blip"].state and "blip" not in sessions._seen_closed


def test_without_a_runtime_the_sweep_does_nothing():
    assert sessions.sweep(None) == []
