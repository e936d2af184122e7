"""Strings of files refused before they are read (README "Hostile files"): what the
file is, which limit it passes, which cell is to blame — never a library's message alone.

Keys: ``problem.<code>``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

_SAVE_AGAIN = ("请在 Excel 中打开并另存为 .xlsx 后再上传", "open it in Excel, save it as .xlsx and upload that")

STRINGS: dict[str, dict[str, str]] = {
    # what the file is, when it is not an .xlsx
    "problem.pdf_file": {"zh": "这是 PDF 文件，不是 Excel 工作簿 (.xlsx)",
                         "en": "this is a PDF file, not an Excel workbook (.xlsx)"},
    "problem.html_file": {"zh": "这是网页或 XML 文本（有些系统导出的“Excel”其实是网页），不是 .xlsx 工作簿；" + _SAVE_AGAIN[0],
                          "en": "this is a web page or XML text (some systems export those as “Excel”), not an "
                                ".xlsx workbook: " + _SAVE_AGAIN[1]},
    "problem.csv_file": {"zh": "这是文本/CSV 文件，不是 Excel 工作簿 (.xlsx)；" + _SAVE_AGAIN[0],
                         "en": "this is a text/CSV file, not an Excel workbook (.xlsx): " + _SAVE_AGAIN[1]},
    "problem.ods_file": {"zh": "这是 OpenDocument 表格 (.ods)；" + _SAVE_AGAIN[0],
                         "en": "this is an OpenDocument spreadsheet (.ods): " + _SAVE_AGAIN[1]},
    "problem.xlsb_file": {"zh": "这是二进制工作簿 (.xlsb)；" + _SAVE_AGAIN[0],
                          "en": "this is a binary workbook (.xlsb): " + _SAVE_AGAIN[1]},
    "problem.docx_file": {"zh": "这是 Word 文档，不是 Excel 工作簿", "en": "this is a Word document, not an Excel workbook"},
    "problem.pptx_file": {"zh": "这是 PowerPoint 文件，不是 Excel 工作簿",
                          "en": "this is a PowerPoint file, not an Excel workbook"},
    "problem.zip_not_workbook": {"zh": "这是 zip 压缩包，但里面没有 Excel 工作簿 (xl/workbook.xml)",
                                 "en": "this is a zip archive without an Excel workbook in it (no xl/workbook.xml)"},
    "problem.no_worksheet": {"zh": "工作簿里没有工作表（只有图表或对话框工作表）",
                             "en": "the workbook holds no worksheet (only chart or dialog sheets)"},
    # the zip itself
    "problem.file_too_large": {"zh": "文件有 {size}，超过上传上限 {limit}",
                               "en": "the file is {size}; the largest upload is {limit}"},
    "problem.zip_damaged": {"zh": "文件已损坏或不完整（可能没有下载完）；" + _SAVE_AGAIN[0],
                            "en": "the file is damaged or incomplete (an interrupted download?): " + _SAVE_AGAIN[1]},
    "problem.zip_damaged_part": {
        "zh": "文件已损坏：其中的 {part} 无法解压（{detail}）；" + _SAVE_AGAIN[0],
        "en": "the file is damaged: its part {part} cannot be unpacked ({detail}): " + _SAVE_AGAIN[1]},
    "problem.zip_entries": {"zh": "文件包含 {count} 个部件，上限 {limit}；正常的工作簿只有几十个",
                            "en": "the file holds {count} parts, the limit is {limit}; a normal workbook has a few dozen"},
    "problem.zip_duplicate": {"zh": "文件中 {part} 出现了两次，无法确定读哪一个；为安全起见拒绝读取",
                              "en": "the file holds its part {part} twice, so which one counts is ambiguous; refused for safety"},
    "problem.zip_encrypted": {"zh": "文件中的 {part} 用密码加密了；请去掉密码保护后另存为 .xlsx 再上传",
                              "en": "the part {part} is password-encrypted: remove the protection, save as .xlsx and upload that"},
    "problem.zip_method": {
        "zh": "文件中的 {part} 用 {method} 方式压缩，Excel 从不这样保存；" + _SAVE_AGAIN[0],
        "en": "the part {part} is compressed with {method}, which Excel never writes: " + _SAVE_AGAIN[1]},
    "problem.zip_bomb": {
        "zh": "文件解压后超过 {limit}（文件本身 {size}，到 {part} 时已超过），这是“压缩炸弹”的特征，正常的问卷工作簿不会这样；未读取即拒绝",
        "en": "the file unpacks to more than {limit} (it is {size}; passed while unpacking {part}) — that is how "
              "compressed “zip bombs” look, and no survey workbook does; refused without reading it"},
    "problem.zip_ratio": {
        "zh": "文件中的 {part} 压缩比高达 {ratio} 倍（上限 {limit}），这是“压缩炸弹”的特征；未读取即拒绝",
        "en": "the part {part} unpacks to {ratio} times its packed size (the limit is {limit}) — a compressed "
              "“zip bomb”; refused without reading it"},
    "problem.bad_utf8": {
        "zh": "文件中的 {part} 在第 {offset} 字节处不是有效的 UTF-8 文本，文件已损坏或不是 Excel 保存的；" + _SAVE_AGAIN[0],
        "en": "the part {part} is not valid UTF-8 text at byte {offset}: the file is damaged or was not saved by "
              "Excel; " + _SAVE_AGAIN[1]},
    "problem.xml_utf16": {"zh": "文件中的 {part} 用 UTF-16 编码，Excel 从不这样保存；" + _SAVE_AGAIN[0],
                          "en": "the part {part} is encoded in UTF-16, which Excel never writes: " + _SAVE_AGAIN[1]},
    "problem.xml_dtd": {
        "zh": "文件中的 {part} 含有 DTD/实体声明（<!DOCTYPE>、<!ENTITY>），Excel 从不写这些；这类文件可用于 XXE 或“十亿笑声”攻击，拒绝读取",
        "en": "the part {part} declares a DTD or entities (<!DOCTYPE>, <!ENTITY>), which Excel never writes; "
              "such files are used for XXE and “billion laughs” attacks, so it is refused"},
    # the sheet's structure
    "problem.sheet_missing": {"zh": "工作簿列出了这个工作表，但文件里没有它的内容，文件已损坏",
                              "en": "the workbook lists this sheet but the file does not hold it: the file is damaged"},
    "problem.too_many_cells": {
        "zh": "工作表有超过 {count} 个单元格，而 {size} 的文件最多允许 {limit} 个；这是“压缩炸弹”的特征，拒绝读取",
        "en": "the sheet holds more than {count} cells where a file of {size} may hold {limit}; that is how "
              "compressed “zip bombs” look, so it is refused"},
    "problem.beyond_grid": {
        "zh": "单元格 {value} 超出了 Excel 的范围（最后一个单元格是 XFD1048576），文件已损坏或不是 Excel 保存的",
        "en": "the cell reference {value} lies beyond Excel's last cell XFD1048576: the file is damaged or was not "
              "saved by Excel"},
    "problem.stray_value": {
        "zh": "单元格 {value} 有内容，但它远在表格之外：读取它意味着约 {cells} 个空单元格（上限 {limit}）。如果不是数据，请删除它",
        "en": "the cell {value} holds a value far outside the table: reading it would mean about {cells} empty "
              "cells (the limit is {limit}). Delete it if it is not data"},
    "problem.unsplittable": {"zh": "这个很大的工作表无法按行分块读取（缺少行号），文件不是 Excel 保存的；" + _SAVE_AGAIN[0],
                             "en": "this very large sheet cannot be read in row chunks (its rows carry no numbers): "
                                   + _SAVE_AGAIN[1]},
    # the reader, in its own process
    "problem.reader_memory": {
        "zh": "读取这个工作表需要的内存超过了为它分配的 {memory}，已停止读取（服务器不受影响）；文件可能已损坏或被构造来耗尽内存。" + _SAVE_AGAIN[0],
        "en": "reading this sheet needed more than the {memory} of memory allowed for it, so the reading was "
              "stopped (the server is not affected); the file may be damaged or made to exhaust memory: "
              + _SAVE_AGAIN[1]},
    "problem.reader_time": {"zh": "读取这个工作表超过了 {seconds} 秒，已停止（服务器不受影响）；" + _SAVE_AGAIN[0],
                            "en": "reading this sheet took more than {seconds} s and was stopped (the server is not "
                                  "affected): " + _SAVE_AGAIN[1]},
    "problem.reader_crash": {
        "zh": "读取器在读这个工作表时意外停止（服务器不受影响），文件可能已损坏；" + _SAVE_AGAIN[0],
        "en": "the reader stopped unexpectedly on this sheet (the server is not affected); the file may be damaged: "
              + _SAVE_AGAIN[1]},
    "problem.reader_failed": {
        "zh": "这个工作表无法读取，文件可能已损坏或不是 Excel 保存的（读取器报告：{detail}）；" + _SAVE_AGAIN[0],
        "en": "this sheet cannot be read, the file may be damaged or not saved by Excel (the reader reports: "
              "{detail}); " + _SAVE_AGAIN[1]},
}
