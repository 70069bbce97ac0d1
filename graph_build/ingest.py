"""Read documents: detect the encoding, decode as Python's text mode would, normalise, and find
the document metadata (title, issuing region, plan period)."""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

import charset_normalizer

from policykg.errors import BinaryDocumentError, DecodeError, EmptyDocumentError, InputError
from policykg.graph_build.formats import (DOCX_SUFFIXES, HTML_SUFFIXES, MARKDOWN_SUFFIXES, PDF_SUFFIXES, extract,
                                          extract_docx, sniff_format)
from policykg.graph_build.model import SourceDocument
from policykg.graph_build.regions import Region, RegionIndex, default_index
from policykg.graph_build.textnorm import normalize

TEXT_SUFFIXES = {".txt", ".text", ""}
# other formats (graph_build/formats.py): their extracted text is what offsets index
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | MARKDOWN_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES
# a document larger than this is refused ("too large") rather than read; `policykg build --max-bytes`
MAX_BYTES = 50 * 1024 * 1024

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# charset-normalizer names -> the superset codec we decode with
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def decode_bytes(data: bytes, path: str | Path = "<bytes>", markup: bool = False) -> tuple[str, str]:
    """Bytes -> (text, encoding), newlines normalised to \\n as Python's text mode does.

    markup: the bytes are an HTML page (tags do not count against the share of Chinese text)."""
    if not data.strip():
        raise EmptyDocumentError(path, "empty document")
    encoding = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    if encoding is None:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            if _truncated(exc, data):
                raise DecodeError(path, f"truncated: the file ends in the middle of a UTF-8 character "
                                        f"(byte {exc.start} of {len(data)})") from None
            best = charset_normalizer.from_bytes(data).best()
            if best is None:
                _check_truncated_multibyte(data, path)
                if b"\x00" in data:
                    raise BinaryDocumentError(path, "binary file, not a text document")
                raise DecodeError(path, "cannot detect the text encoding (undecodable bytes)")
            encoding = _SUPERSET.get(best.encoding, best.encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if _truncated(exc, data):
            raise DecodeError(path, f"truncated: the file ends in the middle of a {encoding} character") from None
        raise DecodeError(path, f"undecodable bytes for encoding {encoding} at byte {exc.start}") from None
    except LookupError:
        raise DecodeError(path, f"unknown text encoding {encoding}") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or _control_share(text) > 0.05:
        raise BinaryDocumentError(path, "binary file, not a text document")
    if not encoding.startswith("utf") and _cjk_share(re.sub(r"<[^>]{0,2000}>", "", text) if markup else text) < 0.05:
        raise DecodeError(path, f"undecodable bytes: not UTF-8, GB18030, Big5 or UTF-16 text (best guess {encoding})")
    if not text.strip():
        raise EmptyDocumentError(path, "empty document")
    return text, encoding


def _truncated(exc: UnicodeDecodeError, data: bytes) -> bool:
    """The data ends inside a multi-byte character (a file cut short), rather than holding bad bytes."""
    return exc.end >= len(data) - 1 and exc.start >= len(data) - 4 and any(
        w in exc.reason for w in ("unexpected end", "incomplete", "truncated"))


def _check_truncated_multibyte(data: bytes, path) -> None:
    """Text in a Chinese multi-byte encoding cut inside its last character: detection fails on the
    whole, succeeds without the last byte or two."""
    for cut in (1, 2, 3):
        best = charset_normalizer.from_bytes(data[-20000 - cut:-cut]).best()
        if best is None:
            continue
        enc = _SUPERSET.get(best.encoding, best.encoding)
        try:
            data.decode(enc)
        except UnicodeDecodeError as exc:
            if _truncated(exc, data):
                raise DecodeError(path, f"truncated: the file ends in the middle of a {enc} character") from None
        except LookupError:
            pass
        return


def _cjk_share(text: str) -> float:
    sample = "".join(text[:20000].split())
    return len(_CJK.findall(sample)) / max(1, len(sample))


# control characters other than \t \n \v \f, and U+FFFD (what a wrong decoding leaves)
_CONTROL = re.compile("[\x00-\x08\x0d-\x1f\ufffd]")


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(1, len(sample))


_PLAN_WORDS = re.compile(r"(计划|方案|规划|意见|通知|办法|措施|纲要|细则|决定|规定|政策|条例|指南)")
_OUTLINE_START = re.compile(r"^\s*([一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、]|专栏)")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年?")


def find_title(norm: str) -> tuple[str, tuple[int, int] | None]:
    """The first line when it is a title; else the first title-like line of the opening lines."""
    pos = 0
    lines = []
    for line in norm.split("\n")[:20]:
        lines.append((pos, line))
        pos += len(line) + 1
    for i, (start, line) in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        lead = len(line) - len(line.lstrip())
        m = re.match(r"附件\s*\d*\s*[::]\s*", s)
        if m:
            s, lead = s[m.end():], lead + m.end()
        if (4 <= len(s) <= 80 and _PLAN_WORDS.search(s) and not s.endswith(("。", ":", ";", ","))
                and "。" not in s and "http" not in s and not _OUTLINE_START.match(s) and _CJK.search(s)
                and not re.match(r"(为|根据|按照|现将|各有关|关于印发.*的通知$)", s)):
            begin = start + lead
            end = begin + len(s)
            # a title continued on the next line, e.g. "(征求意见稿)"
            if i + 1 < len(lines):
                nxt = lines[i + 1][1].strip()
                if re.fullmatch(r"[(\[【].{1,12}[)\]】]", nxt):
                    end = lines[i + 1][0] + len(lines[i + 1][1].rstrip())
                    return s + nxt, (begin, end)
            return s, (begin, end)
    return "", None


def find_period(title: str) -> tuple[int, int] | None:
    m = _PERIOD.search(title)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b:
            return a, b
    return None


def find_region(norm: str, title: str, index: RegionIndex) -> Region | None:
    """The issuing region: named in the title; else the city or province named most often."""
    for levels in (("district", "city", "province", "sar"),):
        best = None
        for name in index.names_in(title):
            r = index.lookup(name)
            if r is not None and r.level in levels:
                # prefer the longest (most specific) name found in the title, then the first in it
                if best is None or len(name) > best[0] or (len(name) == best[0] and title.index(name) < best[2]):
                    best = (len(name), r, title.index(name))
        if best:
            # a region named right after the one that contains it (广东省深圳市…, 杭州市余杭区…) is the
            # more specific issuer
            found = sorted(index.names_in(title), key=lambda n: (-len(n), n))
            _, r, at = best
            end = at + best[0]
            while True:
                nxt = next(((d, end + len(n)) for n in found if title.startswith(n, end)
                            for d in [index.lookup(n, within=r)]
                            if d is not None and d.level in levels and d.id != r.id and index.is_within(d, r)), None)
                if nxt is None:
                    return r
                r, end = nxt
    counts: dict[str, int] = {}
    for name, n in index.count_mentions(norm[:60000]).items():
        r = index.lookup(name)
        if r is not None and r.level in ("city", "province"):
            counts[r.id] = counts.get(r.id, 0) + n
    if not counts:
        return None
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return index.get(top[0][0])


def doc_id_for(path: Path) -> str:
    return path.stem if path.suffix else path.name


def read_bytes(path: Path, max_bytes: int | None = MAX_BYTES) -> bytes:
    """The file's bytes; a file over `max_bytes` is refused before it is read."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(path, f"too large: {size:,} bytes (the limit is {max_bytes:,}; raise it with --max-bytes)")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1) if max_bytes is not None else fh.read()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if max_bytes is not None and len(data) > max_bytes:  # grew while we looked, or not a regular file
        raise InputError(path, f"too large: more than {max_bytes:,} bytes (raise the limit with --max-bytes)")
    return data


def read_text_document(path: Path, index: RegionIndex | None = None, max_bytes: int | None = MAX_BYTES) -> SourceDocument:
    path = Path(path)
    data = read_bytes(path, max_bytes)
    text, encoding = decode_bytes(data, path)
    return make_document(path, text, data, encoding, "text", index)


def make_document(path: Path, text: str, data: bytes, encoding: str, fmt: str,
                  index: RegionIndex | None = None, metadata: dict | None = None) -> SourceDocument:
    index = index or default_index()
    norm = normalize(text)
    title, title_span = find_title(norm)
    region = find_region(norm, title, index)
    return SourceDocument(
        id=doc_id_for(path), file=path.name, path=str(path), text=text, norm=norm,
        sha256=hashlib.sha256(data).hexdigest(), encoding=encoding, format=fmt,
        title=title, title_span=title_span, region=region.name if region else None,
        region_id=region.id if region else None, period=find_period(title), metadata=metadata or {},
    )


def read_document(path: Path, index: RegionIndex | None = None, max_bytes: int | None = MAX_BYTES) -> SourceDocument:
    """Any supported document: the format comes from the bytes (PDF, DOCX, HTML signatures), then
    the suffix; an unknown suffix is read as text. Non-text formats keep their extracted text."""
    path = Path(path)
    return document_from_bytes(path, read_bytes(path, max_bytes), index, max_bytes)


def document_from_bytes(path: Path, data: bytes, index: RegionIndex | None = None,
                        max_bytes: int | None = MAX_BYTES) -> SourceDocument:
    """The document in `data`, read from `path`: any bad input raises an InputError naming it."""
    path = Path(path)
    if not data.strip():
        raise EmptyDocumentError(path, "empty document")
    fmt = sniff_format(data, path.suffix, path)
    if fmt == "text":
        text, encoding = decode_bytes(data, path)
        return make_document(path, text, data, encoding, "text", index)
    if fmt == "docx":
        got = extract_docx(data, path, max_unpacked=None if max_bytes is None else 4 * max_bytes)
    else:
        got = extract(fmt, data, path)
    return make_document(path, got.text, data, got.encoding, fmt, index, got.metadata)


def discover(paths: list[str | Path]) -> list[Path]:
    """Files named, and files under folders named (recursively), in a stable order."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(p, "no such file or folder")
    return out
