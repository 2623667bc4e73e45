from pathlib import Path

import pytest

from planwatch.plans.reading import DocumentError, read_document

TEXT = "某县科技创新工作方案\n到2025年，高新技术企业达到45家以上。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_documents_decode_in_every_supported_encoding(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(TEXT.encode(encoding))
    doc = read_document(path)
    assert doc.line(2) == "到2025年，高新技术企业达到45家以上。"
    assert doc.lines[0] == "某县科技创新工作方案"  # no BOM left on the first line


def test_line_numbers_follow_newlines_only(tmp_path):
    # \x0c (form feed, common in text dumped from PDFs) must not start a new line.
    path = tmp_path / "plan.txt"
    path.write_text("第一行\x0c仍是第一行\r\n第二行\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.line(1) == "第一行\x0c仍是第一行"
    assert doc.line(2) == "第二行"


def test_docx_tables_become_tab_separated_rows(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("表1 主要指标")
    table = document.add_table(rows=2, cols=3)
    for i, text in enumerate(["指标名称", "2020年", "2025年"]):
        table.cell(0, i).text = text
    for i, text in enumerate(["高新技术企业数（家）", "149", "400"]):
        table.cell(1, i).text = text
    document.add_paragraph("到2025年，技术合同成交额达到18亿元。")
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.lines[:3] == ("表1 主要指标", "指标名称\t2020年\t2025年", "高新技术企业数（家）\t149\t400")
    assert "到2025年，技术合同成交额达到18亿元。" in doc.lines


def test_unreadable_documents_fail_naming_the_file(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DocumentError, match="broken.docx"):
        read_document(bad)
    with pytest.raises(DocumentError, match="unsupported"):
        read_document(Path(__file__))


def _pdf(path, encrypt=None, text=True):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=encrypt)
    if text:
        c.drawString(72, 720, "2025 plan")
    else:
        c.rect(72, 400, 300, 300, fill=1)  # what a scan gives: marks on the page, no text
    c.save()
    return path


@pytest.mark.parametrize("make, kind, reason", [
    (lambda p: _write(p.with_suffix(".docx"), b"not a zip"), "not a Word file", "not a Word file: bad zip"),
    (lambda p: _write(p.with_suffix(".docx"), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
     "not a Word file", "not a Word file: bad zip (an old binary .doc"),
    (lambda p: _zip_without_word(p.with_suffix(".docx")), "not a Word file", "not a Word file: the ZIP archive holds no Word document"),
    (lambda p: _pdf(p.with_suffix(".pdf"), encrypt="secret"), "encrypted PDF", "encrypted PDF: needs a password"),
    (lambda p: _pdf(p.with_suffix(".pdf"), text=False), "no text layer", "no text layer (scanned?) — OCR it first"),
    (lambda p: _write(p.with_suffix(".pdf"), b"%PDF-1.4\n1 0 obj\n<<"), "unreadable PDF", "not a readable PDF: "),
    (lambda p: _write(p.with_suffix(".doc"), b"x"), "unsupported type", "unsupported document type '.doc'"),
], ids=["bad-zip", "old-doc", "zip-not-word", "encrypted-pdf", "image-only-pdf", "broken-pdf", "unsupported"])
def test_unreadable_documents_say_what_is_wrong(tmp_path, make, kind, reason):
    path = make(tmp_path / "plan")
    with pytest.raises(DocumentError) as failed:
        read_document(path)
    error = failed.value
    assert str(error).startswith(f"{path}: ")  # names the file
    assert error.kind == kind
    assert error.reason.startswith(reason), error.reason
    assert error.reason.rstrip(" ()") != reason.rstrip(" :")  # a reason with its detail, never an empty "()"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _zip_without_word(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    return path


def test_a_pdf_locked_only_against_editing_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = _pdf(tmp_path / "plan.pdf", encrypt=StandardEncryption("", ownerPassword="owner", canModify=0))
    assert read_document(path).lines[0] == "2025 plan"


def test_document_errors_survive_pickling(tmp_path):
    # Prefect ships a task's exception between processes and stores it with the failed state.
    import pickle

    error = DocumentError(tmp_path / "plan.pdf", "encrypted PDF: needs a password", kind="encrypted PDF")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.reason, copy.kind) == (str(error), error.reason, error.kind)
