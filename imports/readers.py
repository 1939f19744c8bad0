"""Reading untrusted bytes safely: what kind of file it is, .gz and zip members unpacked with
size and ratio limits, XML only through defusedxml, zip paths that stay inside the export.

Nothing here touches the disk: uploads are bytes in memory (the worker reads them from the
job's rows), and so is everything unpacked from them.
"""

from __future__ import annotations

import posixpath
import zlib
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from . import limits

GPX, TCX, FIT, ZIP = "gpx", "tcx", "fit", "zip"


class Refused(Exception):
    """A file (or a zip member) that is not read, with the reason's code and its values; the
    pages turn the code into words (`imports.messages`)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass
class Budget:
    """What one upload may still unpack, in bytes (every .gz and zip member counts)."""

    left: int = field(default_factory=lambda: limits.MAX_TOTAL_UNPACKED)

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise Refused("total_too_big", mb=limits.MAX_TOTAL_UNPACKED // limits.MiB)


def unpack_cap(packed: int) -> int:
    """The most a packed file of `packed` bytes may unpack to: the size limit, and the ratio
    limit past the first MiB (a tiny file of repeated lines may pack unusually well; a bomb
    only matters when it is big)."""
    return min(limits.MAX_FILE_BYTES, max(packed * limits.MAX_RATIO, limits.MiB))


def gunzip(data: bytes, budget: Budget) -> bytes:
    """A .gz file's content, unpacked a piece at a time and refused as soon as it passes the
    size or ratio limit (never the whole bomb in memory)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    cap = unpack_cap(len(data))
    pieces, size = [], 0
    try:
        chunk = inflater.decompress(data, 64 * 1024)
        while True:
            size += len(chunk)
            if size > cap:
                raise Refused("bomb", mb=limits.MAX_FILE_BYTES // limits.MiB, ratio=limits.MAX_RATIO)
            pieces.append(chunk)
            if inflater.eof or not inflater.unconsumed_tail:
                break
            chunk = inflater.decompress(inflater.unconsumed_tail, 64 * 1024)
    except zlib.error as error:
        raise Refused("unreadable_gz") from error
    if not inflater.eof:
        raise Refused("unreadable_gz")
    budget.spend(size)
    return b"".join(pieces)


class _RootSeen(Exception):
    def __init__(self, tag: str) -> None:
        self.tag = tag


class _StopAtRoot:
    """A parser target that stops at the first element: the prolog (where a DTD would be) is over."""

    def start(self, tag, attrib):
        raise _RootSeen(tag)

    def close(self):
        return None


def xml_root(data: bytes) -> str:
    """The root element's local name, read through defusedxml with DTDs, entities and external
    references forbidden. A DTD can only stand before the root element, so a document that
    passes has none: no entity of its own (billion laughs), nothing external. Only such a
    document reaches a parser (gpxpy's included)."""
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        for start in range(0, len(data), 64 * 1024):
            parser.feed(data[start : start + 64 * 1024])
        parser.close()
    except _RootSeen as seen:
        return seen.tag.rsplit("}", 1)[-1]
    except DefusedXmlException as error:
        raise Refused("xml_entities") from error
    except Exception as error:  # expat's ParseError and anything a broken document raises
        raise Refused("unreadable_xml") from error
    raise Refused("unreadable_xml")


def sniff(data: bytes) -> str:
    """GPX, TCX, FIT or zip, from the bytes (never from the name alone); .gz is unpacked first."""
    if not data:
        raise Refused("empty")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return ZIP
    if len(data) >= 12 and data[8:12] == b".FIT":
        return FIT
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        root = xml_root(data).lower()
        if root == "gpx":
            return GPX
        if root == "trainingcenterdatabase":
            return TCX
        raise Refused("not_activity")
    raise Refused("not_activity")


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def safe_member_name(name: str) -> str | None:
    """The member's path inside the zip, normalised, or None if it could point outside it
    (absolute, `..`, a drive letter, a backslash, a NUL). Nothing is ever written to disk;
    such a name is refused all the same and said so."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if ".." in parts or (parts and ":" in parts[0]):
        return None
    return posixpath.normpath(name)


def shown_name(name: str, width: int = 120) -> str:
    """A file or member name as a page may show it: no control characters, not too long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean if len(clean) <= width else clean[: width - 1] + "…"
