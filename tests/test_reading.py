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
