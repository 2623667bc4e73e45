"""Read a plan document (.txt, .docx, .pdf) into numbered text lines.

Every format becomes the same thing: a list of lines, so that provenance is
always "document + line number" and one set of table and prose rules serves
all formats. Word tables become one tab-separated line per row (as a user
would get by copying the table), PDF pages become their text layer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")


class DocumentError(ValueError):
    """A document that cannot be read at all."""


@dataclass(frozen=True)
class Document:
    path: Path
    sha256: str
    lines: tuple[str, ...]
    encoding: str

    @property
    def name(self) -> str:
        return self.path.name

    def line(self, number: int) -> str:
        """1-based line access, as editors and `grep -n` count."""
        return self.lines[number - 1]


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312; Chinese government files
        # that are not UTF-8 are almost always one of these.
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(f"{source}: cannot decode the text (not UTF-8, GB18030 or any encoding detected)")
    return str(best), best.encoding


def _split_lines(text: str) -> tuple[str, ...]:
    # Split on \n only (not str.splitlines) so line numbers match editors and grep.
    return tuple(line.rstrip("\r") for line in text.split("\n"))


def _docx_lines(path: Path) -> tuple[str, ...]:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a bad zip
        raise DocumentError(f"{path}: not a readable .docx file ({exc})") from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            table = Table(block, document)
            for row in table.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    # Merged cells repeat the same object across the span: keep one.
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(" ".join(p.text.strip() for p in cell.paragraphs).strip())
                lines.append("\t".join(cells))
            lines.append("")
    return tuple(lines)


def _pdf_lines(path: Path) -> tuple[str, ...]:
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_pdf_page_lines(page) for page in pdf.pages]
    except Exception as exc:
        raise DocumentError(f"{path}: not a readable PDF ({exc})") from exc
    if not any(line.strip() for page in pages for line in page):
        raise DocumentError(f"{path}: the PDF has no text layer (scanned?); OCR it first")
    return tuple(line for page in pages for line in page)


def _pdf_page_lines(page) -> list[str]:
    """A page's text in reading order, with ruled tables as tab-separated rows (as a .docx table reads)."""
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    # (top, lines) blocks: text between tables keeps its own line breaks.
    blocks: list[tuple[float, list[str]]] = []
    for line in outside.extract_text_lines(return_chars=False):
        blocks.append((line["top"], [line["text"]]))
    for table in tables:
        rows = ["\t".join(" ".join((cell or "").split()) for cell in row) for row in table.extract()]
        blocks.append((table.bbox[1], rows + [""]))
    blocks.sort(key=lambda block: block[0])
    return [line for _, lines in blocks for line in lines]


def read_document(path: str | Path) -> Document:
    """Read one plan document; raise DocumentError naming the file when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path}: unsupported document type {suffix!r} (expected one of {', '.join(SUPPORTED_SUFFIXES)})")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if suffix == ".txt":
        text, encoding = decode_text(data, str(path))
        lines = _split_lines(text)
    elif suffix == ".docx":
        lines, encoding = _docx_lines(path), "docx"
    else:
        lines, encoding = _pdf_lines(path), "pdf"
    return Document(path=path, sha256=sha, lines=lines, encoding=encoding)
