"""Finding and reading inputs: paths and directories to files, files and streams to bytes, bytes to a format.

Directories are walked recursively in sorted order; hidden entries (``.name``) and
README/LICENSE files inside them are skipped, symbolic links are followed once (loops are
cut), and each file is visited once even when named twice. Anything that is not a regular
file (FIFO, socket, device) is reported instead of opened, so a walk never blocks. Reading
is bounded by a size limit checked before any byte is read.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from eventwire.ingest.encoding import UnreadableInput
from eventwire.records import Failure

#: Default maximum input size: 20 MB.
DEFAULT_MAX_BYTES = 20_000_000
_SKIPPED_IN_DIRECTORIES = re.compile(r"^(readme|license|licence|copying|changelog)(\.\w+)?$", re.I)
FORMAT_BY_EXTENSION: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
}
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf)\b", re.I)
_HTML_START = re.compile(r"<(!doctype html|html|head|body|div|p|article|meta|title)\b", re.I)


def path_text(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A path as text that can always be printed and stored, without losing anything.

    File names on Linux are bytes; those that are not valid in the file-system encoding reach
    Python as lone surrogates, which no UTF-8 writer accepts. Here such bytes become
    ``\\xNN`` escapes (``b"caf\\xe9.txt"`` → ``"caf\\xe9.txt"``); every valid name is unchanged.
    """
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that no file name can hold: escape it as written
        return os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")  # type: ignore[union-attr]
    return raw.decode(sys.getfilesystemencoding(), "backslashreplace")


def expand_path(path: str, seen: set[tuple[int, int]]) -> Iterator[str | Failure]:
    """The regular files under a path (itself if a file), in sorted order, or Failures saying why not."""
    try:
        info = os.stat(path)
    except OSError as error:
        yield Failure(path, _stat_problem(path, error))
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return
    seen.add(key)
    if stat.S_ISDIR(info.st_mode):
        yield from _walk_directory(path, seen)
    elif stat.S_ISREG(info.st_mode):
        yield path
    else:
        yield Failure(path, f"not a regular file ({_file_kind(info.st_mode)}); skipped")


def _walk_directory(path: str, seen: set[tuple[int, int]]) -> Iterator[str | Failure]:
    try:
        names = sorted(os.listdir(path))
    except OSError as error:
        yield Failure(path, f"cannot list directory: {_describe_os_error(error)}")
        return
    for name in names:
        if name.startswith(".") or _SKIPPED_IN_DIRECTORIES.match(name):
            continue
        yield from expand_path(os.path.join(path, name), seen)


def _stat_problem(path: str, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and os.path.islink(path):
        return "broken symbolic link (its target does not exist)"
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    return _describe_os_error(error)


def _describe_os_error(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"))
    for test, name in kinds:
        if test(mode):
            return name
    return "block device" if stat.S_ISBLK(mode) else "special file"


def read_file_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, refusing (UnreadableInput) files over ``max_bytes`` before reading them."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise UnreadableInput(too_large_message(size, max_bytes, "file"))
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableInput(f"cannot read: {_describe_os_error(error)}") from None
    if len(data) > max_bytes:
        raise UnreadableInput(too_large_message(len(data), max_bytes, "file"))
    return data


def read_stream_bytes(stream: TextIO | BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Up to ``max_bytes`` from a text or binary stream (standard input), refusing longer input."""
    source = getattr(stream, "buffer", stream)
    try:
        chunk = source.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableInput(f"cannot read: {_describe_os_error(error)}") from None
    data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk or b"")
    if len(data) > max_bytes:
        raise UnreadableInput(too_large_message(len(data), max_bytes, "input", at_least=True))
    return data


def too_large_message(size: int, max_bytes: int, what: str, at_least: bool = False) -> str:
    """E.g. "file too large (52.4 MB > 20 MB limit)"."""
    prefix = "over " if at_least else ""
    return f"{what} too large ({prefix}{size / 1e6:.1f} MB > {max_bytes / 1e6:g} MB limit)"


def format_for_path(path: str | None) -> str | None:
    """The format a file's extension names, or None when only its content can tell."""
    if not path:
        return None
    return FORMAT_BY_EXTENSION.get(os.path.splitext(path)[1].lower())


def sniff_format(text: str) -> str:
    """Guess a document's format from its first characters: feed, html, json or text."""
    head = text.lstrip()[:4096]
    if head.startswith("<"):
        if _FEED_ROOT.search(head):
            return "feed"
        if _HTML_START.search(head):
            return "html"
    if head.startswith(("{", "[")):
        return "json"
    return "text"
