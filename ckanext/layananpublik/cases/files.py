"""Files of a request: the requester's identity document and released information.

Types are recognised from the first bytes of the content, never from the file name or
the browser's declared type. Files live under CKAN's storage path, outside the web root,
and are served only through an action that checks access.
"""

from __future__ import annotations

import os
import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

SUBDIR = "layananpublik"

# content type -> (extension, test on the first bytes)
_SIGNATURES: list[tuple[str, str, Any]] = [
    ("application/pdf", "pdf", lambda b: b.startswith(b"%PDF-")),
    ("image/jpeg", "jpg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("image/png", "png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/webp", "webp", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
]
IDENTITY_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str
    extension: str


def _read(upload: Any, max_bytes: int) -> tuple[str, bytes]:
    """Bytes of a werkzeug FileStorage (form or API multipart), at most max_bytes + 1."""
    stream = getattr(upload, "stream", None) or upload
    if not hasattr(stream, "read"):
        raise tk.ValidationError({"upload": [tk._("Upload a file")]})
    content = stream.read(max_bytes + 1)
    return os.path.basename(getattr(upload, "filename", "") or "file"), content


def sniff(content: bytes) -> tuple[str, str] | None:
    for content_type, extension, test in _SIGNATURES:
        if test(content[:16]):
            return content_type, extension
    if content.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return None
        for prefix, found in _OOXML.items():
            if any(n.startswith(prefix) for n in names):
                return found
        return "application/zip", "zip"
    try:
        text = content[:65536].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return (
        ("text/csv", "csv")
        if "," in text.split("\n", 1)[0] or ";" in text.split("\n", 1)[0]
        else ("text/plain", "txt")
    )


def accept(upload: Any, field: str, allowed: tuple[str, ...] | None, max_bytes: int) -> Upload | None:
    """Validate an upload by content and size; None when no file was chosen."""
    if upload is None or upload == "" or (hasattr(upload, "filename") and not upload.filename):
        return None
    filename, content = _read(upload, max_bytes)
    if not content:
        raise tk.ValidationError({field: [tk._("The file is empty")]})
    if len(content) > max_bytes:
        raise tk.ValidationError(
            {field: [tk._("The file is larger than {size} MB").format(size=round(max_bytes / 1048576, 1))]}
        )
    found = sniff(content)
    if found is None or (allowed is not None and found[0] not in allowed):
        if allowed == IDENTITY_TYPES:
            message = tk._("Upload a photo (JPEG, PNG, WebP) or a PDF; this file is neither")
        else:
            message = tk._("This type of file cannot be attached")
        raise tk.ValidationError({field: [message]})
    return Upload(filename=filename[:200], content=content, content_type=found[0], extension=found[1])


def storage_root() -> Path:
    base = tk.config.get("ckan.storage_path")
    if not base:
        raise RuntimeError("ckan.storage_path is not set: request files cannot be stored")
    return Path(base) / SUBDIR


def store(request_id: str, upload: Upload) -> str:
    """Write the file and return its storage key (a path relative to storage_root())."""
    key = f"requests/{request_id}/{uuid.uuid4().hex}.{upload.extension}"
    path = storage_root() / key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(upload.content)
    tmp.replace(path)
    return key


def path_of(key: str) -> Path:
    root = storage_root().resolve()
    path = (root / key).resolve()
    if root not in path.parents:
        raise tk.ObjectNotFound()
    return path


def remove(key: str) -> None:
    try:
        path_of(key).unlink()
    except (FileNotFoundError, tk.ObjectNotFound):
        pass
