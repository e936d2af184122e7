"""Hostile files through the upload page: a clear refusal in the user's language, no
exception, nothing stored — also when the reader process dies on the file; the file's
name and cells never become markup."""
import pytest

from csi_core import i18n
from tests.hostile.build import Sheet, book, table_xml
from tests.hostile.cases import CASES, R_LESS_WIDE
from tests.test_app_shell import (  # noqa: F401  (fixtures)
    app, clear_caches, demo_db, demo_file, navigation_mode, new_app)
from tests.test_upload_page import MIME, errors, stored, upload  # noqa: F401


def send(at, name: str, data: bytes):
    at.file_uploader[0].set_value((name, data, MIME)).run()
    assert not at.exception, at.exception
    return at


def raw_errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def problems_text(at) -> str:
    frames = [d.value for d in [*at.dataframe, *at.table] if i18n.t("upload.col.reason") in d.value.columns]
    return "\n".join(" ".join(map(str, row)) for frame in frames for row in frame.itertuples())


@pytest.mark.parametrize("name", ["value in XFD1048576", "bomb, one cell 3 million times (ratio > 400)",
                                  "LZMA part", "XXE in sharedStrings", "sheet holding only a space"])
def test_a_hostile_file_is_refused_in_a_sentence_and_nothing_is_stored(upload, name):
    case = next(c for c in CASES if c.name == name)
    before = stored()
    send(upload, "hostile.xlsx", case.make())
    assert "hostile.xlsx" in errors(upload)
    reason = problems_text(upload)
    assert "calamine" not in reason and "Error(" not in reason
    expected = {"value in XFD1048576": "XFD", "bomb, one cell 3 million times (ratio > 400)": "压缩炸弹",
                "LZMA part": "LZMA", "XXE in sharedStrings": "DTD", "sheet holding only a space": "没有数据"}[name]
    assert expected in reason, reason
    assert stored() == before


def test_a_file_the_reader_process_dies_on_is_refused_and_the_page_goes_on(upload):
    before = stored()
    send(upload, "dies.xlsx", book(Sheet("responses", R_LESS_WIDE)))
    assert "服务器不受影响" in problems_text(upload)  # "the server is not affected"
    assert stored() == before
    send(upload, "fine.xlsx", book(Sheet("responses", table_xml(extra='<row r="1048576"><c r="XFD1048576" '
                                                                   't="inlineStr"><is><t> </t></is></c></row>'))))
    assert not upload.error  # the next upload is read by a new reader process


def test_a_file_name_and_cells_never_become_markup(upload):
    name = "**big** [link](http://evil.example) <b>x</b>.xlsx"
    send(upload, name, book(Sheet("responses", table_xml().replace("很满意", "**bold** &lt;img src=x onerror=alert(1)&gt;", 1))))
    shown = raw_errors(upload)  # the markdown source: user text escaped
    assert "**big**" not in shown and "\\*\\*big\\*\\*" in shown and "\\[link\\]" in shown
    assert "\\<b\\>" in shown
    assert "**bold** <img src=x onerror=alert(1)>" in problems_text(upload)  # a table cell: plain text
