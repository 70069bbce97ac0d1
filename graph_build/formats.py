"""Documents that are not plain text: HTML pages saved from government sites, DOCX, PDF with a text
layer, Markdown. Each is turned into plain text with one paragraph per line (so that the outline
parser sees one numbered item per line); evidence offsets point into that text, which the build
keeps beside the graph (DIR/texts/<id>.txt). Bad files raise an InputError naming the reason.

Third-party parsers get untrusted bytes: anything they raise is turned into one InputError."""
from __future__ import annotations

import functools
import io
import logging
import re
import statistics
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from policykg.errors import BinaryDocumentError, DecodeError, EmptyDocumentError, InputError

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RX = re.compile(f"[{_CJK}]")
# wide characters between which a line break or layout space is not a word space
_WIDE = f"{_CJK}\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014"


@dataclass(frozen=True)
class Extracted:
    """The text of a document, the encoding it was read with, and its document properties."""

    text: str
    encoding: str
    metadata: dict = field(default_factory=dict)


# ---- sniffing ------------------------------------------------------------------------------------

def sniff_format(data: bytes, suffix: str, path: str | Path = "<bytes>") -> str:
    """'text' | 'markdown' | 'html' | 'docx' | 'pdf' from the bytes, then the suffix.

    Unambiguous signatures (PDF, ZIP, OLE, an HTML doctype) win over the suffix; a suffix that
    promises a format the bytes do not have is an error."""
    suffix = suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(path, "old binary Office file (.doc/.xls/.wps), not supported: save it as .docx or .pdf")
    if data.lstrip()[:5] == b"{\\rtf":
        raise InputError(path, "RTF document, not supported: save it as .docx or .pdf")
    if suffix in {".mht", ".mhtml"} or data[:4096].lower().find(b"multipart/related") >= 0 and data[:4096].lower().startswith((b"mime-version", b"from:", b"content-type")):
        raise InputError(path, "MHTML web archive, not supported: save the page as .html")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        if suffix in DOCX_SUFFIXES or b"word/" in data[:65536] or suffix not in {".zip"}:
            return "docx"
        raise InputError(path, "a zip archive, not a document: unpack it first")
    if suffix in PDF_SUFFIXES:
        raise InputError(path, "not a PDF file (no %PDF header)")
    if suffix in DOCX_SUFFIXES:
        raise InputError(path, "not a DOCX file (not a zip package)")
    if suffix in HTML_SUFFIXES or _looks_like_html(head):
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)


def _looks_like_html(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look at the decoded start
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except UnicodeError:
            return False
    return bool(_HTML_START.match(head))


def extract(fmt: str, data: bytes, path: str | Path) -> Extracted:
    if fmt == "html":
        return extract_html(data, path)
    if fmt == "docx":
        return extract_docx(data, path)
    if fmt == "pdf":
        return extract_pdf(data, path)
    if fmt == "markdown":
        return extract_markdown(data, path)
    raise InputError(path, f"unsupported format {fmt}")


def _finish(lines: list[str], path, what: str) -> str:
    out = [ln for ln in (_clean_line(x) for x in lines) if ln]
    if not out:
        raise EmptyDocumentError(path, f"empty document: the {what} has no text")
    return "\n".join(out) + "\n"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")


def _clean_line(line: str) -> str:
    """Strip a line; drop control and zero-width characters (never part of the text)."""
    return _CONTROL.sub("", line).strip(" \t\r\n\u3000\xa0")


# ---- HTML ----------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _html_config():
    data = yaml.safe_load(resources.files("policykg.graph_build").joinpath("data/html_page.yaml").read_text("utf-8"))
    label_to_key = {lab: key for key, labs in data["metadata_labels"].items() for lab in labs}
    label_rx = re.compile("^(" + "|".join(sorted(map(re.escape, label_to_key), key=len, reverse=True)) + r")[:：]?(.*)$", re.S)
    lines = [re.compile(p) for p in data["furniture_lines"]]
    return data, label_to_key, label_rx, set(data["furniture_words"]), lines


_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030",
                    "big5": "big5hkscs", "x-big5": "big5hkscs", "cp950": "big5hkscs", "unicode": "utf-16",
                    "utf8": "utf-8", "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8"}


_SINGLE_BYTE = re.compile(r"^(?:cp125\d|iso-?8859-\d+|latin-?\d|windows-125\d|ascii|us-ascii|koi8-[ru])$")


def decode_markup(data: bytes, path) -> tuple[str, str]:
    """HTML bytes -> (text, encoding): a BOM, else the declared <meta charset>, else detection."""
    import codecs

    from policykg.graph_build.ingest import decode_bytes

    if not data.strip():
        raise EmptyDocumentError(path, "empty document")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_strict(data, enc, path), enc
    m = _META_CHARSET.search(data[:8192]) or _XML_DECL.search(data[:512])
    if m:
        declared = m.group(1).decode("ascii").lower()
        enc = _CHARSET_ALIASES.get(declared, declared)
        try:
            codecs.lookup(enc)
        except LookupError:
            enc = None
        if enc:
            try:
                text = data.decode(enc)
                if _CJK_RX.search(text) or not _SINGLE_BYTE.match(enc) or max(data) < 0x80:
                    return text, enc
                # a Western code page declared over Chinese bytes decodes to mojibake: detect, and
                # keep the declared reading when detection finds no Chinese encoding either
                try:
                    return decode_bytes(data, path, markup=True)
                except InputError:
                    return text, enc
            except UnicodeDecodeError as exc:
                if _is_truncation(exc, data):
                    raise DecodeError(path, f"truncated: the file ends in the middle of a {enc} character") from None
                # the declaration is wrong (a page re-saved in another encoding): detect instead
    text, enc = decode_bytes(data, path, markup=True)
    return text, enc


def _is_truncation(exc: UnicodeDecodeError, data: bytes) -> bool:
    return exc.end >= len(data) - 1 and any(w in exc.reason for w in ("unexpected end", "incomplete", "truncated"))


def _decode_strict(data: bytes, enc: str, path) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        if _is_truncation(exc, data):
            raise DecodeError(path, f"truncated: the file ends in the middle of a {enc} character") from None
        raise DecodeError(path, f"undecodable bytes for encoding {enc} at byte {exc.start}") from None


_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "button",
              "select", "option", "input", "textarea", "nav", "footer", "aside", "map", "area", "audio", "video", "head",
              "title", "meta", "link", "base"}
_BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "blockquote",
               "pre", "dd", "dt", "dl", "ul", "ol", "center", "form", "header", "main", "figure", "figcaption", "hr",
               "address", "caption", "thead", "tbody", "tfoot", "body", "html", "fieldset", "details", "summary", "br"}
_CELL_TAGS = {"td", "th"}
_WORD_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")


def extract_html(data: bytes, path) -> Extracted:
    import lxml.etree
    import lxml.html

    text, encoding = decode_markup(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    if "\x00" in text:
        raise BinaryDocumentError(path, "binary file, not an HTML page")
    # control characters are never text, and lxml refuses them in the text it is given back
    text = re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", "", text)
    try:
        return _extract_html_text(text, encoding, path)
    except (ValueError, lxml.etree.LxmlError) as exc:
        raise InputError(path, f"damaged HTML page ({type(exc).__name__}: {_short(exc)})") from None


def _extract_html_text(text: str, encoding: str, path) -> Extracted:
    import lxml.etree
    import lxml.html

    try:
        # huge_tree: long text nodes and nesting up to libxml2's hard limit (2048 levels)
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise EmptyDocumentError(path, f"HTML page has no content ({exc})") from None
    if _depth(root) >= _MAX_HTML_DEPTH:
        raise InputError(path, f"HTML nested too deeply (over {_MAX_HTML_DEPTH} levels): the parser would drop text")
    config, label_to_key, label_rx, furniture_words, furniture_lines = _html_config()
    metadata = _html_metadata(root, config, label_to_key, label_rx)
    body = root.find("body")
    if body is None or not "".join(body.itertext()).strip():
        raise EmptyDocumentError(path, "HTML page has no body text")
    weights = _weights(body)
    total = weights.get(body, 0)
    # page furniture: navigation, breadcrumbs, share bars, footers — unless it holds most of the text
    furniture = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el is body:
            continue
        if el.tag in _SKIP_TAGS:
            furniture.append(el)
            continue
        names = f"{el.get('id') or ''} {el.get('class') or ''}"
        if names.strip():
            words = {w.lower() for w in _WORD_SPLIT.split(names) if w}
            if words & furniture_words and weights.get(el, 0) < 0.5 * total:
                furniture.append(el)
    for el in furniture:
        _drop(el)
    _drop_metadata_blocks(body, label_rx)
    content = _main_block(body)
    _fill_row_spans(content)
    lines = [ln for ln in _render(content) if not _is_furniture(ln, furniture_lines)]
    title = _page_title(root, metadata)
    head = "".join("".join(lines[:3]).split())
    if title and "".join(title.split()) not in head:
        lines.insert(0, title)
    try:
        return Extracted(_finish(lines, path, "HTML page"), encoding, metadata)
    except EmptyDocumentError:
        raise EmptyDocumentError(path, "HTML page has no body text") from None


_MAX_HTML_DEPTH = 2040


def _depth(root) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in el)
    return deepest


def _drop(el) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _tree_stats(root, label_rx) -> dict:
    """element -> (text length without spaces, descendants, metadata labels inside, full stops
    inside), in one pass."""
    stats: dict = {}
    stack = [(root, False)]
    while stack:
        el, visited = stack.pop()
        if not visited:
            stack.append((el, True))
            stack.extend((c, False) for c in el if isinstance(c.tag, str))
            continue
        own = "".join((el.text or "").split())
        length, desc, stops = len(own), 0, own.count("。")
        labels = 1 if own and label_rx.match(own) else 0
        for c in el:
            if isinstance(c.tag, str):
                cl, cd, cn, cs = stats[c]
                length, desc, labels, stops = length + cl, desc + cd + 1, labels + cn, stops + cs
            if c.tail:
                tail = "".join(c.tail.split())
                length, stops = length + len(tail), stops + tail.count("。")
        stats[el] = (length, desc, labels, stops)
    return stats


def _weights(root) -> dict:
    """element -> CJK characters of its text outside links and skipped elements (navigation is
    mostly links), in one pass over the tree."""
    weights: dict = {}
    # iterative post-order: (element, in_link, visited)
    stack = [(root, False, False)]
    while stack:
        el, in_link, visited = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if el.tag in _SKIP_TAGS and el is not root:
            weights[el] = 0
            continue
        link = in_link or el.tag == "a"
        if not visited:
            stack.append((el, in_link, True))
            for child in el:
                stack.append((child, link, False))
            continue
        n = 0 if link or not el.text else len(_CJK_RX.findall(el.text))
        for child in el:
            if isinstance(child.tag, str):
                n += weights.get(child, 0)
            if child.tail and not link:
                n += len(_CJK_RX.findall(child.tail))
        weights[el] = n
    return weights


def _main_block(body):
    """Descend from <body> into the child that holds at least 80% of the text, while there is one."""
    weights = _weights(body)
    cur = body
    while True:
        total = weights.get(cur, 0)
        nxt = None
        for child in cur:
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS and weights.get(child, 0) >= 0.8 * total:
                nxt = child
                break
        if nxt is None or total == 0:
            return cur
        cur = nxt


_MAX_ROW_SPAN = 200


def _fill_row_spans(el) -> None:
    """A cell spanning rows (<td rowspan="2">) is repeated in the rows below it, so that each row's
    line holds all its cells (a 配合单位 cell shared by two tasks belongs to both)."""
    import copy

    for table in el.iter("table"):
        pending: dict[int, list] = {}  # column -> [rows left, cell]
        for tr in table.iter("tr"):
            if tr.getparent() is not None and tr.getparent().tag not in ("table", "tbody", "thead", "tfoot"):
                continue
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in _CELL_TAGS]
            col, out = 0, []
            it = iter(cells)
            nxt = next(it, None)
            while nxt is not None or any(c >= col for c in pending):
                if col in pending:
                    left, cell = pending[col]
                    dup = copy.deepcopy(cell)
                    dup.attrib.pop("rowspan", None)
                    dup.tail = None
                    out.append(("new", dup, col))
                    pending[col][0] -= 1
                    if pending[col][0] <= 0:
                        del pending[col]
                    col += 1
                    continue
                if nxt is None:
                    break
                try:
                    span = min(int(nxt.get("rowspan") or 1), _MAX_ROW_SPAN)
                except ValueError:
                    span = 1
                if span > 1:
                    pending[col] = [span - 1, nxt]
                out.append(("old", nxt, col))
                col += 1
                nxt = next(it, None)
            # insert the repeated cells before the cell that follows them in the row
            for i, (kind, cell, _c) in enumerate(out):
                if kind != "new":
                    continue
                after = next((c for k, c, _ in out[i + 1:] if k == "old"), None)
                if after is not None:
                    after.addprevious(cell)
                else:
                    tr.append(cell)


def _render(el) -> list[str]:
    """Block elements and <br> break lines; table cells are joined by tabs on their row's line."""
    lines: list[str] = []
    cur: list[str] = []

    def flush():
        if cur:
            lines.append(_join_inline("".join(cur)))
            cur.clear()

    # an explicit stack instead of recursion: deeply nested pages must not hit the recursion limit
    stack: list[tuple[object, bool]] = [(el, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            tag = node.tag
            if tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS:
                cur.append("\x01")
            if node is not el and node.tail:
                cur.append(node.tail)
            continue
        if not isinstance(node.tag, str):  # comment or processing instruction: only its tail counts
            if node.tail:
                cur.append(node.tail)
            continue
        if node.tag in _SKIP_TAGS:
            if node is not el and node.tail:
                cur.append(node.tail)
            continue
        if node.tag in _BLOCK_TAGS:
            flush()
        if node.text:
            cur.append(node.text)
        stack.append((node, True))
        for child in reversed(node):
            stack.append((child, False))
    flush()
    return lines


_WS = re.compile(r"[ \t\r\n\f]+")
_WIDE_GAP = re.compile(f"(?<=[{_WIDE}])\u0002|\u0002(?=[{_WIDE}])")


def _join_inline(s: str) -> str:
    """Collapse markup whitespace; a source line break between two Chinese characters is no space."""
    s = _WS.sub(lambda m: "\u0002" if "\n" in m.group(0) else " ", s)
    s = _WIDE_GAP.sub("", s).replace("\u0002", " ")
    cells = [c.strip(" \t\u3000\xa0") for c in s.split("\x01")]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells).strip()


def _is_furniture(line: str, patterns) -> bool:
    compact = "".join(line.split())
    return not compact or any(p.search(compact) for p in patterns)


def _html_metadata(root, config, label_to_key, label_rx) -> dict:
    meta: dict[str, str] = {}
    names = config["meta_names"]
    for m in root.iter("meta"):
        name, content = m.get("name") or "", (m.get("content") or "").strip()
        if name in names and content:
            meta.setdefault(names[name], _WS.sub(" ", content))
    stats = _tree_stats(root, label_rx)
    for el in root.iter("td", "th", "span", "li", "div", "p", "dt", "dd", "strong", "b", "label", "em", "font"):
        length, desc, _, _ = stats.get(el, (0, 0, 0, 0))
        if not length or length > 120 or desc > 50:
            continue
        txt = "".join("".join(el.itertext()).split())
        m = label_rx.match(txt)
        if not m:
            continue
        key, value = label_to_key[m.group(1)], m.group(2).strip(":： ")
        if not value and el.tag in ("td", "th", "dt", "span", "strong", "b", "label", "em", "font"):
            # the value sits in the next cell: <td>发文字号:</td><td>深府办〔2019〕1号</td>
            nxt = el.getnext()
            if nxt is not None and isinstance(nxt.tag, str) and stats.get(nxt, (0, 0, 0, 0))[0] <= 200 and stats[nxt][1] <= 50:
                value = _WS.sub(" ", "".join(nxt.itertext())).strip()
                if label_rx.match("".join(value.split())):
                    value = ""
        if value and key not in meta and len(value) <= 200 and "\n" not in value:
            # labels and values written in one run: "发布日期:2019-05-14来源:市政府办" keeps only the date
            meta[key] = _cut_at_next_label(value, label_to_key)
    return {k: meta[k] for k in sorted(meta)}


def _cut_at_next_label(value: str, label_to_key: dict) -> str:
    rx = re.compile("(" + "|".join(sorted(map(re.escape, label_to_key), key=len, reverse=True)) + r")\s*[:：]")
    m = rx.search(value)
    return value[:m.start()].strip() if m and m.start() > 0 else value


def _drop_metadata_blocks(body, label_rx) -> None:
    """Remove the outermost short blocks that carry two or more metadata labels (the 信息公开 table,
    an info bar "发布日期:… 来源:…"): their values are document properties, not text."""
    stats = _tree_stats(body, label_rx)
    blocks = {"table", "div", "ul", "dl", "p"}
    todo = [body]
    while todo:  # top-down: the first block that qualifies is dropped whole, its inside not visited
        el = todo.pop()
        length, _, labels, stops = stats.get(el, (0, 0, 0, 0))
        # labels and values only: short, and no sentence in it (the text of a document has full stops)
        if el is not body and el.tag in blocks and labels >= 2 and length <= 600 and stops == 0:
            _drop(el)
            continue
        if labels >= 2:
            todo.extend(c for c in el if isinstance(c.tag, str))


# "标题_栏目_网站", "标题 - 网站", "标题-网站" (but not the dash of a period "2019-2021")
_TITLE_SEP = re.compile(r"\s*(?:[_|｜]+|——|\s[-–—]\s|(?<!\d)[-–—](?!\d))\s*")


def _page_title(root, metadata: dict) -> str:
    if metadata.get("标题"):
        return metadata["标题"]
    for tag in ("h1", "h2"):
        for h in root.iter(tag):
            t = _WS.sub(" ", "".join(h.itertext())).strip()[:400]
            if len(_CJK_RX.findall(t)) >= 4:
                return t
    t = root.find(".//title")
    if t is not None and t.text:
        parts = [p for p in _TITLE_SEP.split(t.text.strip()) if p]
        parts.sort(key=lambda p: -len(_CJK_RX.findall(p)))
        if parts and len(_CJK_RX.findall(parts[0])) >= 4:
            return parts[0]
    return ""


# ---- DOCX ----------------------------------------------------------------------------------------

def extract_docx(data: bytes, path, max_unpacked: int | None = None) -> Extracted:
    """Paragraphs and tables of the body in order; list numbering that Word generates is written
    out (一、 (一) 1.), since the outline depends on it. Headers, footers and comments are skipped."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"damaged or truncated DOCX (not a readable zip package: {exc})") from None
    if "word/document.xml" not in names:
        raise InputError(path, "not a DOCX file (no word/document.xml in the package)")
    if max_unpacked is not None and unpacked > max_unpacked:
        raise InputError(path, f"too large: the DOCX unpacks to {unpacked:,} bytes (limit {max_unpacked:,})")
    try:
        import docx
        from docx.table import Table

        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table(block))
            else:
                lines.extend(_docx_paragraph(block, numbering))
        props = document.core_properties
        metadata = {k: v.strip() for k, v in (("标题", props.title), ("主题", props.subject), ("关键词", props.keywords)) if v and v.strip()}
    except InputError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged package
        raise InputError(path, f"damaged DOCX ({type(exc).__name__}: {_short(exc)})") from None
    return Extracted(_finish(lines, path, "DOCX"), "utf-8", metadata)


def _short(exc: Exception) -> str:
    s = str(exc).splitlines()[0] if str(exc) else ""
    return s[:160]


def _docx_paragraph(p, numbering) -> list[str]:
    """The paragraph's text with its list label; a manual line break (w:br) starts a new line."""
    text = p.text
    label = numbering.label(p)
    if label and text.strip():
        text = label + text.lstrip()
    return text.split("\n")


def _docx_table(table) -> list[str]:
    """Each row on one line, cells joined by tabs (merged cells once); nested tables inline."""
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            parts = []
            for block in cell.iter_inner_content():
                if hasattr(block, "rows"):
                    parts.extend(_docx_table(block))
                else:
                    parts.append(block.text.strip())
            cells.append(" ".join(x for x in parts if x).replace("\n", " ").replace("\t", " "))
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append("\t".join(cells))
    return lines


_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                     (_CN_DIGITS[rest // 10] + "十" + (_CN_DIGITS[rest % 10] if rest % 10 else "")))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional"):
        return chinese_number(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman" or fmt == "upperRoman":
        vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, k = "", n
        for v, s in vals:
            while k >= v:
                out, k = out + s, k - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("bullet", "none"):
        return ""
    return str(n)  # decimal, decimalZero, decimalFullWidth and anything unknown


class _Numbering:
    """Word list numbering (w:numPr on the paragraph or its style) rendered as text: Word keeps
    "一、" and "(一)" of an auto-numbered list out of the paragraph text."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (fmt, lvlText, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}  # abstractNumId -> counter per level
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            part = None
        if part is not None:
            el = part.element
            abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
            for an in el.findall(qn("w:abstractNum")):
                aid = an.get(qn("w:abstractNumId"))
                lv = {}
                for lvl in an.findall(qn("w:lvl")):
                    ilvl = int(lvl.get(qn("w:ilvl")) or 0)
                    fmt = self._val(lvl, "w:numFmt") or "decimal"
                    text = self._val(lvl, "w:lvlText") or ""
                    start = int(self._val(lvl, "w:start") or 1)
                    lv[ilvl] = (fmt, text, start)
                abstract[aid] = lv
            for num in el.findall(qn("w:num")):
                nid = num.get(qn("w:numId"))
                aid = self._val(num, "w:abstractNumId")
                if aid in abstract:
                    self.abstract_of[nid] = aid
                    for ilvl, spec in abstract[aid].items():
                        self.levels[(nid, ilvl)] = spec
        try:
            for style in document.styles:
                ppr = style.element.find(qn("w:pPr"))
                numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
                if numpr is not None:
                    nid = self._val(numpr, "w:numId")
                    if nid:
                        self.style_num[style.style_id] = (nid, int(self._val(numpr, "w:ilvl") or 0))
        except (AttributeError, ValueError, KeyError):
            pass

    def _val(self, el, tag):
        child = el.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def label(self, p) -> str:
        qn = self.qn
        ppr = p._p.pPr
        nid, ilvl = None, 0
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None:
            nid = self._val(numpr, "w:numId")
            ilvl = int(self._val(numpr, "w:ilvl") or 0)
        elif ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            sid = self._val(ppr, "w:pStyle")
            if sid in self.style_num:
                nid, ilvl = self.style_num[sid]
        if not nid or nid == "0" or (nid, ilvl) not in self.levels or not p.text.strip():
            return ""
        key = self.abstract_of.get(nid, nid)
        counts = self.counters.setdefault(key, [0] * 10)
        ilvl = max(0, min(ilvl, 8))
        fmt, text, start = self.levels[(nid, ilvl)]
        counts[ilvl] = (counts[ilvl] or start - 1) + 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        if fmt in ("bullet", "none"):
            return ""

        def level_value(m):
            k = int(m.group(1)) - 1
            if (nid, k) not in self.levels:
                return ""
            f, _, st = self.levels[(nid, k)]
            return _format_number(counts[k] or st, f)

        return re.sub(r"%([1-9])", level_value, text)


# ---- PDF -----------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:[-—–－·\s]*\d{1,4}[-—–－·\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_SENTENCE_END = "。！？；：!?;:"
_TEXTY = re.compile(f"[{_CJK}A-Za-z]")
_NO_LINE_START = set("。，、；：？！）》」』】〕”’,.;:?!)]")


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


def extract_pdf(data: bytes, path, max_pages: int = 2000) -> Extracted:
    """The text layer in reading order, one paragraph per line: a line broken by the page width
    is joined to the next only when the layout shows a continuation (it runs to the right margin,
    the next starts at the left margin unindented and is no numbered item)."""
    from pdfminer.layout import LAParams, LTAnno, LTChar, LTContainer, LTTextLineHorizontal
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are not the user's business
    if b"%%EOF" not in data[-2048:]:
        raise InputError(path, "truncated or damaged PDF (no %%EOF end marker)")
    lines: list[_Line] = []
    pages = 0
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser)
        metadata = _pdf_info(document)
        rsrc = PDFResourceManager(caching=True)
        device = PDFPageAggregator(rsrc, laparams=LAParams(line_margin=0.3, char_margin=1.0, word_margin=0.2, all_texts=True))
        interpreter = PDFPageInterpreter(rsrc, device)
        for page in PDFPage.create_pages(document):
            pages += 1
            if pages > max_pages:
                raise InputError(path, f"too large: more than {max_pages} pages")
            interpreter.process_page(page)
            layout = device.get_result()
            stack = list(layout)
            while stack:  # text lines anywhere in the layout tree (boxes, figures)
                item = stack.pop()
                if isinstance(item, LTTextLineHorizontal):
                    text, size = _pdf_line_text(item, LTChar, LTAnno)
                    if text.strip():
                        lines.append(_Line(pages, item.x0, item.x1, layout.height - item.y1, layout.height - item.y0, size, text))
                elif isinstance(item, LTContainer):
                    stack.extend(item)
    except PDFPasswordIncorrect:
        raise InputError(path, "encrypted PDF (needs a password)") from None
    except PDFEncryptionError as exc:
        raise InputError(path, f"encrypted PDF that cannot be read ({_short(exc)})") from None
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(path, f"damaged PDF ({type(exc).__name__}: {_short(exc)})") from None
    if pages == 0:
        raise InputError(path, "damaged PDF (no pages)")
    real = sum(len(ln.text.replace("(cid:", "").strip()) for ln in lines)
    if not lines or real == 0:
        raise InputError(path, "no text layer (scanned PDF?): run OCR first")
    cid = sum(ln.text.count("(cid:") for ln in lines)
    if cid * 4 > real:
        raise DecodeError(path, "the PDF's fonts have no Unicode mapping: its text layer cannot be read")
    paragraphs = _pdf_paragraphs(lines)
    if sum(len(_TEXTY.findall(p)) for p in paragraphs) < 5 * pages:  # page numbers, a stamp: no real text
        raise InputError(path, "no text layer (scanned PDF?): run OCR first")
    return Extracted(_finish(paragraphs, path, "PDF"), "utf-8", metadata)


_PLACEHOLDERS = {"untitled", "unspecified", "anonymous", "(anonymous)", "无标题", "(无标题)"}


def _pdf_info(document) -> dict:
    from pdfminer.pdftypes import resolve1

    out = {}
    for info in document.info[:1]:
        for key, name in (("Title", "标题"), ("Subject", "主题"), ("Keywords", "关键词")):
            v = resolve1(info.get(key))
            if isinstance(v, bytes):
                try:
                    v = v.decode("utf-16") if v.startswith((b"\xfe\xff", b"\xff\xfe")) else v.decode("latin-1")
                except UnicodeDecodeError:
                    v = None
            if isinstance(v, str) and v.strip() and "\x00" not in v and v.strip().lower() not in _PLACEHOLDERS:
                out[name] = v.strip()
    return out


def _pdf_line_text(line, LTChar, LTAnno) -> tuple[str, float]:
    """The line's text; a layout space pdfminer inserts between two Chinese characters (justified
    text) is dropped. Also the median character size."""
    chars = list(line)
    out, sizes = [], []
    for i, ch in enumerate(chars):
        t = ch.get_text()
        if isinstance(ch, LTChar):
            sizes.append(ch.size)
        elif isinstance(ch, LTAnno) and t == " ":
            prev = chars[i - 1].get_text()[-1:] if i else ""
            nxt = chars[i + 1].get_text()[:1] if i + 1 < len(chars) else ""
            if re.match(f"[{_WIDE}]", prev or "a") or re.match(f"[{_WIDE}]", nxt or "a"):
                continue
        out.append(t)
    return "".join(out).replace("\n", ""), (statistics.median(sizes) if sizes else 10.0)


_ITEM_START = re.compile(r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[(（〔]\s*[一二三四五六七八九十\d]+\s*[)）〕]|\d{1,3}\s*[、.．](?!\d)"
                         r"|[\u2460-\u2473]|专栏|第[一二三四五六七八九十\d]+[章节条篇]|附件)")


def _pdf_paragraphs(lines: list[_Line]) -> list[str]:
    # rows: lines of a page at the same height are one row (table cells, a split line), left to right
    rows: list[_Line] = []
    for ln in sorted(lines, key=lambda l: (l.page, round(l.top, 0), l.x0)):
        last = rows[-1] if rows else None
        if last is not None and last.page == ln.page and abs(last.top - ln.top) < 0.5 * min(last.size, ln.size):
            gap = ln.x0 - last.x1
            sep = "" if gap < 0.8 * ln.size else "\t"
            rows[-1] = _Line(last.page, last.x0, max(last.x1, ln.x1), min(last.top, ln.top), max(last.bottom, ln.bottom),
                             last.size, last.text.rstrip() + sep + ln.text.strip())
        else:
            rows.append(_Line(ln.page, ln.x0, ln.x1, ln.top, ln.bottom, ln.size, ln.text))
    for r in rows:  # an indent typed as spaces ("\u3000\u3000") counts as an indent
        lead = r.text[: len(r.text) - len(r.text.lstrip(" \u3000\xa0"))]
        r.x0 += sum(r.size if c == "\u3000" else 0.5 * r.size for c in lead)
    rows = [r for r in rows if not _PAGE_NUMBER.match(r.text.strip())]
    if not rows:
        return []
    size = statistics.median(r.size for r in rows)
    right = _percentile([r.x1 for r in rows], 0.95)
    left_all = _left_margin([r.x0 for r in rows])
    left_of: dict[int, float] = {}
    for page in sorted({r.page for r in rows}):
        xs = [r.x0 for r in rows if r.page == page]
        left_of[page] = _left_margin(xs) if len(xs) >= 5 else left_all
    indented_style = sum(1 for r in rows if 1.2 * size <= r.x0 - left_of[r.page] <= 3.5 * size) >= max(2, len(rows) // 20)
    paragraphs: list[str] = []
    prev: _Line | None = None
    for r in rows:
        text = r.text.strip()
        if prev is not None and _continues(prev, r, text, left_of[r.page], right, size, indented_style):
            latin = re.search(r"[A-Za-z0-9,.]$", paragraphs[-1]) and re.match(r"[A-Za-z0-9(]", text)
            paragraphs[-1] += (" " if latin else "") + text
        else:
            paragraphs.append(text)
        prev = r
    return paragraphs


def _continues(prev: _Line, cur: _Line, text: str, left: float, right: float, size: float, indented_style: bool) -> bool:
    """Is `cur` the continuation of the paragraph on `prev`, by the layout? Only when sure."""
    if text[:1] in _NO_LINE_START and abs(cur.x0 - left) <= 0.6 * size and "\t" not in prev.text:
        return True  # closing punctuation never starts a paragraph
    if prev.x1 < right - 1.5 * size:  # the previous line stopped short of the margin: paragraph end
        return False
    if abs(cur.x0 - left) > 0.6 * size:  # indented (a new paragraph), centred, or another column
        return False
    if _ITEM_START.match(text) or "\t" in text or "\t" in prev.text:
        return False
    if cur.page == prev.page and cur.top - prev.bottom > 1.2 * size:  # a blank line between them
        return False
    if prev.text.rstrip()[-1:] in _SENTENCE_END and not indented_style:
        return False  # without first-line indents a full line ending a sentence may end the paragraph
    return True


def _left_margin(xs: list[float]) -> float:
    """The text's left edge: the leftmost line start that several lines share (not the most common
    one: in a plan of short indented headings most lines start indented)."""
    counts: dict[int, int] = {}
    for x in xs:
        counts[round(x)] = counts.get(round(x), 0) + 1
    need = max(2, len(xs) // 20)
    common = [x for x, n in counts.items() if n >= need]
    return float(min(common)) if common else float(round(min(xs)))


def _percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * (len(s) - 1)))]


# ---- Markdown ------------------------------------------------------------------------------------

_MD_RULES = [
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),  # headings
    (re.compile(r"\s+#+\s*$"), ""),  # closing hashes of a heading
    (re.compile(r"^\s{0,3}(?:>\s?)+"), ""),  # block quotes
    (re.compile(r"^\s*[-*+]\s+(?!\s)"), ""),  # bullets (numbered lists keep their numbers: they are the outline)
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> their text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?(?:span|font|b|strong|i|em|u|sup|sub)\b[^>]*>", re.I), ""),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # escapes: 1\. -> 1.
]
_MD_SKIP = re.compile(r"^\s*(?:```.*|~~~.*|(?:[-*_]\s*){3,}|\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?)$")


def extract_markdown(data: bytes, path) -> Extracted:
    """Markdown to plain lines: heading marks, bullets, emphasis and link syntax removed, table rows
    as tab-joined cells, YAML front matter as document properties. One source line, one line."""
    from policykg.graph_build.ingest import decode_bytes

    text, encoding = decode_bytes(data, path)
    lines = text.split("\n")
    metadata: dict = {}
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 200)):
            if lines[i].strip() in ("---", "..."):
                try:
                    front = yaml.safe_load("\n".join(lines[1:i]))
                except yaml.YAMLError:
                    front = None
                if isinstance(front, dict):
                    metadata = {str(k): str(v) for k, v in sorted(front.items(), key=lambda kv: str(kv[0]))
                                if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
                    lines = lines[i + 1:]
                break
    out = []
    for line in lines:
        if _MD_SKIP.match(line):
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            line = "\t".join(c.strip() for c in line.strip()[1:-1].split("|"))
        for rx, rep in _MD_RULES:
            line = rx.sub(rep, line)
        out.append(line)
    return Extracted(_finish(out, path, "Markdown file"), encoding, metadata)
