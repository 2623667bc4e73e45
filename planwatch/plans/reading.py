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
# Document formats plans are published in that planwatch cannot read: a file in seeds/plans with one of
# these is refused (and says how to convert it) rather than passed over.
UNREADABLE_SUFFIXES = (".doc", ".wps", ".rtf", ".odt", ".ofd", ".caj", ".pages")


class DocumentError(ValueError):
    """A document that cannot be read (or extracted, or placed in a plan) at all.

    `reason` says what is wrong without the path and `kind` names the kind of problem (the
    ingest flow quarantines the document with both); str() is "<path>: <reason>".
    """

    def __init__(self, path, reason: str, kind: str = "unreadable document"):
        self.path, self.reason, self.kind = path, reason, kind
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):  # pickled by Prefect with a failed task's state
        return type(self), (self.path, self.reason, self.kind)


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
        raise DocumentError(source, "cannot decode the text (not UTF-8, GB18030 or any encoding detected)", "undecodable text")
    return str(best), best.encoding


def _split_lines(text: str) -> tuple[str, ...]:
    # Split on \n only (not str.splitlines) so line numbers match editors and grep.
    return tuple(line.rstrip("\r") for line in text.split("\n"))


def _docx_lines(path: Path) -> tuple[str, ...]:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_word_archive(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a bad archive
        raise DocumentError(path, f"not a Word file: {_detail(exc)}", "not a Word file") from exc
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


def _check_word_archive(path: Path) -> None:
    """A .docx is a ZIP archive holding word/document.xml; say which part is missing."""
    import zipfile

    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(path, "not a Word file: bad zip (an old binary .doc renamed .docx; save it as .docx)", "not a Word file")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(path, f"not a Word file: bad zip ({_detail(exc)})", "not a Word file") from exc
    if "word/document.xml" not in names:
        shown = ", ".join(sorted(names)[:5]) or "nothing"
        raise DocumentError(path, f"not a Word file: the ZIP archive holds no Word document (word/document.xml); it has {shown}",
                            "not a Word file")


def _detail(exc: BaseException) -> str:
    """An exception's message, or its type when the message is empty (pdfminer's often are)."""
    text = str(exc).strip().strip("\"'")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _pdf_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in PdfminerException(inner)."""
    seen = exc
    while seen.args and isinstance(seen.args[0], BaseException):
        seen = seen.args[0]
    return seen


def _pdf_lines(path: Path) -> tuple[str, ...]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_pdf_page_lines(page) for page in pdf.pages]
    except Exception as exc:
        cause = _pdf_cause(exc)
        if isinstance(cause, PDFPasswordIncorrect):
            raise DocumentError(path, "encrypted PDF: needs a password (save an unprotected copy)", "encrypted PDF") from exc
        if isinstance(cause, PDFEncryptionError):
            raise DocumentError(path, f"encrypted PDF: cannot decrypt ({_detail(cause)})", "encrypted PDF") from exc
        raise DocumentError(path, f"not a readable PDF: {_detail(cause)}", "unreadable PDF") from exc
    if not any(line.strip() for page in pages for line in page):
        raise DocumentError(path, f"no text layer (scanned?) — OCR it first ({len(pages)} page{'s' if len(pages) != 1 else ''} without text)", "no text layer")
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
        raise DocumentError(path, "no such file", "no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = "; save it as .docx or .pdf" if suffix in UNREADABLE_SUFFIXES else ""
        raise DocumentError(path, f"unsupported document type {suffix!r} (expected one of {', '.join(SUPPORTED_SUFFIXES)}){hint}",
                            "unsupported type")
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
