"""The static catalogue's rules: which URLs of the web UI become files, under which names, and
how a page's links are rewritten to point at those files (``eventry site``, docs/static-site.md).

Pure functions over URLs and HTML text: the pages themselves are rendered by the web UI, and
this module only decides where each lands and what its links say. A site file is a relative
POSIX path such as ``events/orders/OrderPlaced/index.html``; every link a page keeps is relative
to the page's own file, so the folder works under any path prefix and from ``file://``.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

SEARCH_FILE = "search/index.html"
SEARCH_INDEX_FILE = "search-index.json"
SEARCH_SCRIPT = "search.js"
ASSET_PREFIX = "/static/ui/"
ASSET_FOLDER = "static"
# A query longer than this (a cursor of a deep page) is named by its hash, not spelt out.
LONGEST_QUERY_NAME = 80


class PageKind(StrEnum):
    """What a static page shows; the search index keeps the kinds a reader looks for."""

    HOME = "home"
    LIST = "list"
    EVENT = "event"
    VERSION = "version"
    DIFF = "diff"
    DOMAIN = "domain"
    BUS = "bus"
    TEAM = "team"
    SERVICE = "service"
    FIELD = "field"
    MAP = "map"


# The UI's read-only pages (docs/ui.md), each a path pattern. Left out, because they need a
# server: search with a query (the static search page stands in), validate (a form that posts),
# the audit log and webhook delivery logs (operational, not the catalogue), sign-in and the API.
_PAGES: list[tuple[re.Pattern[str], PageKind]] = [
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"/", PageKind.HOME),
        (r"/(events|buses|domains|consumers|services|teams|fields|findings)", PageKind.LIST),
        (r"/map", PageKind.MAP),
        (r"/events/[^/]+/[^/]+", PageKind.EVENT),
        (r"/events/[^/]+/[^/]+/versions/\d+", PageKind.VERSION),
        (r"/events/[^/]+/[^/]+/diff", PageKind.DIFF),
        (r"/domains/[^/]+", PageKind.DOMAIN),
        (r"/buses/[^/]+", PageKind.BUS),
        (r"/teams/[^/]+", PageKind.TEAM),
        (r"/services/.+", PageKind.SERVICE),
        (r"/fields/.+", PageKind.FIELD),
    )
]
# The API's documents a page links to that the site carries as files, beside the version's page
# (a version with its note, author and references) or under schemas/ (a schema by its id).
_DOCUMENTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), template)
    for pattern, template in (
        (r"/api/v1/schemas/(\d+)", "schemas/{0}.json"),
        (
            r"/api/v1/events/([^/]+)/([^/]+)/versions/(\d+)",
            "events/{0}/{1}/versions/{2}/version.json",
        ),
        (r"/map\.svg", "map/map.svg"),  # the whole map's drawing (a filtered one needs a server)
    )
]


@dataclass(frozen=True, order=True)
class Target:
    """What an internal link points at: the URL to fetch from the app (path and query) and the
    site file it is written to. ``page`` is False for a JSON document or an asset, which are
    copied as they are rather than rewritten and followed."""

    url: str
    file: str
    page: bool


def page_kind(path: str) -> PageKind | None:
    """The kind of the UI page at ``path``, or None when it has no place in the static site."""
    for pattern, kind in _PAGES:
        if pattern.fullmatch(path):
            return kind
    return None


def segment(text: str) -> str:
    """A URL path segment as a file name that needs no escaping in a URL or on any file system:
    letters, digits, ``.``, ``_`` and ``-`` stay; every other byte (and a leading dot) becomes
    ``~XX``, so two different names never share a file."""
    out = []
    for index, char in enumerate(text):
        if re.fullmatch(r"[A-Za-z0-9_-]", char) or (char == "." and index > 0):
            out.append(char)
        else:
            out.extend(f"~{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out) or "~"


def _query_name(pairs: list[tuple[str, str]]) -> str:
    """The file-name part of a query: ``domain-orders`` for ``?domain=orders``."""
    spelt = "_".join(f"{segment(key)}-{segment(value)}" for key, value in pairs)
    if len(spelt) <= LONGEST_QUERY_NAME:
        return spelt
    return hashlib.sha256(urlencode(pairs).encode()).hexdigest()[:16]


def _folder_of(path: str) -> str:
    parts = [segment(unquote(part)) for part in path.strip("/").split("/") if part]
    return "/".join(parts)


def page_file(path: str, query: str = "") -> str:
    """The file of a static page: ``/events/orders/OrderPlaced`` becomes
    ``events/orders/OrderPlaced/index.html``; a query names a sibling file,
    ``/events?domain=orders`` ``events/index.domain-orders.html`` (its pairs sorted)."""
    folder = _folder_of(path)
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    name = f"index.{_query_name(pairs)}.html" if pairs else "index.html"
    return f"{folder}/{name}" if folder else name


def document_file(path: str) -> str | None:
    """The file of an API JSON document the site carries, or None."""
    for pattern, template in _DOCUMENTS:
        found = pattern.fullmatch(path)
        if found:
            return template.format(*(segment(unquote(part)) for part in found.groups()))
    return None


def target_of(path: str, query: str) -> Target | None:
    """The site file an internal URL (its path and raw query) points at, or None when the
    site has nothing for it (the link is then removed)."""
    url = f"{path}?{query}" if query else path
    if path.startswith(ASSET_PREFIX) and "/" not in path[len(ASSET_PREFIX) :]:
        return Target(path, f"{ASSET_FOLDER}/{segment(path[len(ASSET_PREFIX) :])}", False)
    if path == "/search":
        return Target("/search", SEARCH_FILE, False)
    if page_kind(path) is not None:
        return Target(url, page_file(path, query), True)
    found = None if query else document_file(path)
    return Target(path, found, False) if found else None


def relative(from_file: str, to_file: str) -> str:
    """The link from one site file to another: ``../../index.html``."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


_ATTRIBUTE = re.compile(r'\s(href|src|action)="([^"]*)"')
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL)
# In a navigation bar, a link the site has no file for goes altogether (elsewhere its text stays).
_NAV = re.compile(r"<nav\b[^>]*>.*?</nav>", re.DOTALL)
_BARE_LINK = re.compile(r"\s*<a(?:\s+class=\"[^\"]*\")?>[^<]*</a>")
# What a page marks `data-server-only` (an invitation to sign in or to write) is not in the site;
# such an element holds no element of its own tag.
_SERVER_ONLY = re.compile(r"<(\w+)\b[^>]*\sdata-server-only\b[^>]*>.*?</\1>", re.DOTALL)


def rewrite(page: str, page_url: str, own_file: str) -> tuple[str, set[Target]]:
    """A rendered page made static: every internal link points at its site file (relative to
    ``own_file``, the page's own file), or loses its ``href`` when the site has no such file
    (its text stays; in a navigation bar it goes); forms are removed, but those that search,
    which go to the static search page; elements marked ``data-server-only`` are removed.
    Returns the page and the targets of the links it kept."""
    targets: set[Target] = set()

    def static_form(found: re.Match[str]) -> str:
        action = re.search(r'\baction="([^"]*)"', found.group(0))
        is_search = (
            action is not None and urlsplit(html.unescape(action.group(1))).path == "/search"
        )
        return found.group(0) if is_search else ""

    def link(found: re.Match[str]) -> str:
        name, raw = found.group(1), html.unescape(found.group(2))
        if raw.startswith("#") or raw.startswith("data:"):
            return found.group(0)
        if urlsplit(raw).scheme or urlsplit(raw).netloc:
            return found.group(0)  # a link to another site or a mail address stays as written
        parts = urlsplit(urljoin(page_url, raw))
        target = target_of(parts.path, parts.query)
        if target is None:
            return ""
        targets.add(target)
        keep = f"?{parts.query}" if target.file == SEARCH_FILE and parts.query else ""
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        address = quote(relative(own_file, target.file), safe="/~._-") + keep + fragment
        return f' {name}="{html.escape(address)}"'

    linked = _ATTRIBUTE.sub(link, _FORM.sub(static_form, _SERVER_ONLY.sub("", page)))
    return _NAV.sub(lambda nav: _BARE_LINK.sub("", nav.group(0)), linked), targets


class _Reader(HTMLParser):
    """The title, first heading and the main's text of a page, for the search index."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.heading, self.text = "", "", []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "h1", "main", "script", "style", "svg"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
        elif any(tag in self._in for tag in ("script", "style", "svg")):
            return
        elif "h1" in self._in:
            self.heading += data
        elif "main" in self._in:
            self.text.append(data)


# How much of a page's text its index entry keeps: enough for its description and first rows.
INDEX_TEXT_CHARS = 600


def index_entry(page: str, kind: PageKind, file: str) -> dict[str, str]:
    """A page's entry in the search index: kind, title (the page's, else its first heading),
    file and the beginning of its text, whitespace collapsed."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    text = " ".join(" ".join(reader.text).split())
    # The page's own title ("orders.OrderPlaced · Eventry") names it best; a heading carries
    # badges ("OrderPlaced full").
    title = " ".join(reader.title.rpartition(" · ")[0].split()) or " ".join(reader.heading.split())
    return {"kind": kind.value, "title": title, "file": file, "text": text[:INDEX_TEXT_CHARS]}
