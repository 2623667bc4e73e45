"""GX Data Docs that work offline.

GX renders every page with CSS, JavaScript and fonts from CDNs (bootstrap, jQuery, font-awesome,
bootstrap-table, vega …) and its logo from S3; offline, the usual case here, the index is
unstyled, its table of runs empty and the pass/fail icons blank. After each docs build,
`make_offline` copies local files into data_docs/static/vendor/ from the project's pinned XStatic
packages (never fetched at run time) and rewrites every page to use them by relative path, so the
pages open from file://.

What no package ships is dropped, with why in VENDOR_RULES: bootstrap-table (the index's table of
runs) is replaced by a small stand-in of our own (data_docs_assets/table.js); its filter-control
extension and the datepicker that extension uses go with it; vega only draws profiling charts,
which this project's pages have none of; the dark-mode theme is cosmetic. The newsletter footer goes.
"""

from __future__ import annotations

import importlib
import logging
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS_DIR = Path(__file__).parent / "data_docs_assets"
VENDOR = "static/vendor"  # relative to the Data Docs root


@dataclass(frozen=True)
class VendorFile:
    """A file copied into static/vendor/<dest> from an XStatic package's data folder (or our assets)."""

    dest: str
    package: str | None  # xstatic.pkg.* module; None: planwatch/data_docs_assets
    source: str


VENDOR_FILES = [
    VendorFile("bootstrap/css/bootstrap.min.css", "xstatic.pkg.bootstrap", "css/bootstrap.min.css"),
    # the bundle includes popper, which GX loads separately
    VendorFile("bootstrap/js/bootstrap.bundle.min.js", "xstatic.pkg.bootstrap", "js/bootstrap.bundle.min.js"),
    VendorFile("jquery/jquery.min.js", "xstatic.pkg.jquery", "jquery.min.js"),
    VendorFile("font-awesome/css/all.min.css", "xstatic.pkg.font_awesome", "css/all.min.css"),
    # all.min.css names its fonts as ../webfonts/…
    VendorFile("font-awesome/webfonts", "xstatic.pkg.font_awesome", "webfonts"),
    VendorFile("font-awesome/LICENSE.txt", "xstatic.pkg.font_awesome", "LICENSE.txt"),
    VendorFile("planwatch/table.js", None, "table.js"),
    VendorFile("planwatch/table.css", None, "table.css"),
]

# (pattern over a remote URL, local file under static/vendor or None to drop the tag, why)
VENDOR_RULES = [
    (r"bootstrapcdn\.com/bootstrap/4\.[^/]+/css/bootstrap(\.min)?\.css$", "bootstrap/css/bootstrap.min.css", "bootstrap 4"),
    (r"bootstrapcdn\.com/bootstrap/4\.[^/]+/js/bootstrap(\.min)?\.js$", "bootstrap/js/bootstrap.bundle.min.js",
     "bootstrap 4 with popper"),
    (r"/popper\.js/1\.[^/]+/umd/popper(\.min)?\.js$", None, "popper is in the bootstrap bundle"),
    (r"code\.jquery\.com/jquery-3\.[0-9.]+(\.min)?\.js$", "jquery/jquery.min.js", "jQuery 3"),
    (r"/font-awesome/6\.[^/]+/css/all(\.min)?\.css$", "font-awesome/css/all.min.css", "font-awesome 6 icons"),
    (r"/bootstrap-table@[^/]+/dist/bootstrap-table(\.min)?\.js$", "planwatch/table.js",
     "no package ships bootstrap-table: our stand-in"),
    (r"/bootstrap-table@[^/]+/dist/bootstrap-table(\.min)?\.css$", "planwatch/table.css", "styles of the stand-in"),
    (r"/bootstrap-table@[^/]+/dist/extensions/filter-control/", None, "column filters: the stand-in has a search box"),
    (r"/bootstrap-datepicker/", None, "used only by the column filters"),
    (r"/npm/vega(-lite|-embed)?@", None, "draws profiling charts only; these pages have none"),
    (r"/@forevolve/bootstrap-dark@", None, "dark theme: cosmetic"),
]

_TAG = re.compile(
    r"""<script\b[^>]*\bsrc=["'](?P<src>https?://[^"']+)["'][^>]*>\s*</script>"""
    r"""|<link\b[^>]*\bhref=["'](?P<href>https?://[^"']+)["'][^>]*>""",
    re.IGNORECASE,
)
_IMG = re.compile(r"""(<img\b[^>]*\bsrc=["'])https?://[^"']*great-expectations-web-assets[^"']*?/([\w.-]+\.png)[^"']*(["'])""")
_NEWSLETTER_FOOTER = re.compile(r"<footer>\s*<p>[^<]*newsletter.*?</footer>", re.IGNORECASE | re.DOTALL)
_FAVICON = re.compile(r"""(<link rel="shortcut icon" href=")[^"]*static/images/favicon\.ico(")""")
_CSS_REMOTE_LOGO = re.compile(r"""url\(['"]?https?://[^)'"]*great-expectations-web-assets[^)'"]*/([\w.-]+\.png)['"]?\)""")


class MissingVendorPackage(RuntimeError):
    """An XStatic package named in requirements.txt is not installed."""


def _source(item: VendorFile) -> Path:
    if item.package is None:
        return ASSETS_DIR / item.source
    try:
        module = importlib.import_module(item.package)
    except ImportError as exc:
        raise MissingVendorPackage(
            f"{item.package} is not installed (it ships {item.source} for offline Data Docs); "
            "install the project's requirements.txt") from exc
    return Path(module.BASE_DIR) / item.source


def vendor_assets(docs_dir: Path) -> None:
    """Copy the local CSS, JavaScript and fonts the pages use into docs_dir/static/vendor."""
    for item in VENDOR_FILES:
        src, dest = _source(item), Path(docs_dir) / VENDOR / item.dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dest)


def _local(url: str) -> tuple[bool, str | None]:
    """(known, local file under static/vendor or None to drop) for a remote asset URL."""
    for pattern, local, _why in VENDOR_RULES:
        if re.search(pattern, url.split("?")[0]):
            return True, local
    return False, None


def offline_html(html: str, root: str) -> str:
    """One page with remote CSS/JS replaced by local copies (root: relative path to the docs root, '' or '../..')."""
    prefix = f"{root}/" if root else ""

    def tag(m: re.Match) -> str:
        url = m.group("src") or m.group("href")
        known, local = _local(url)
        if not known:
            # a remote asset GX added since these rules were written: a page without it beats one that waits for the network
            log.warning("Data Docs: dropped %s (no local copy; add a rule to planwatch/data_docs.py)", url)
            return ""
        if local is None:
            return ""
        path = f"{prefix}{VENDOR}/{local}"
        if m.group("src"):
            return f'<script src="{path}"></script>'
        return f'<link rel="stylesheet" href="{path}">'

    html = _TAG.sub(tag, html)
    html = _IMG.sub(lambda m: f"{m.group(1)}{prefix}static/images/{m.group(2)}{m.group(3)}", html)
    html = _NEWSLETTER_FOOTER.sub("", html)
    # the dark-mode logo is a CSS background on S3 (pages inline GX's stylesheet); GX ships the light one
    html = _CSS_REMOTE_LOGO.sub(f"url('{prefix}static/images/logo-long.png')", html)
    # GX counts one folder too few for validation pages' favicon; name it from the page's real depth
    return _FAVICON.sub(lambda m: f"{m.group(1)}{prefix}static/images/favicon.ico{m.group(2)}", html)


def make_offline(docs_dir: Path) -> list[Path]:
    """Vendor the assets and rewrite every page and stylesheet of a built Data Docs site; returns the pages."""
    docs_dir = Path(docs_dir)
    vendor_assets(docs_dir)
    pages = sorted(docs_dir.rglob("*.html"))
    for page in pages:
        depth = len(page.relative_to(docs_dir).parts) - 1
        root = "/".join([".."] * depth)
        text = page.read_text(encoding="utf-8")
        new = offline_html(text, root)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for css in (docs_dir / "static" / "styles").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        new = _CSS_REMOTE_LOGO.sub("url('../images/logo-long.png')", text)
        if new != text:
            css.write_text(new, encoding="utf-8")
    return pages


def remote_references(html: str) -> list[str]:
    """Remote URLs a page would load (scripts, stylesheets, images, CSS url()); plain links are not loads."""
    found = [m.group("src") or m.group("href") for m in _TAG.finditer(html)]
    found += re.findall(r"""<img\b[^>]*\bsrc=["'](https?://[^"']+)""", html, re.IGNORECASE)
    found += re.findall(r"""url\(['"]?(https?://[^)'"]+)""", html)
    return found


def local_references(html: str) -> list[str]:
    """Relative paths of the scripts, stylesheets, icons and images a page loads."""
    refs = re.findall(r"""<script\b[^>]*\bsrc=["']([^"']+)""", html, re.IGNORECASE)
    refs += re.findall(r"""<link\b[^>]*\bhref=["']([^"']+)""", html, re.IGNORECASE)
    refs += re.findall(r"""<img\b[^>]*\bsrc=["']([^"']+)""", html, re.IGNORECASE)
    return [r for r in refs if not re.match(r"^(https?:|data:|#)", r)]

