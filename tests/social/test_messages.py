"""The worker's own words (last_error, the audit log) are stored in English and translated
where a page shows them; the platform's answer and exception texts are never translated."""

from __future__ import annotations

import string

import pytest

from ckanext.layananpublik.social import messages as m

INDONESIAN = {
    m.GAVE_UP: "menyerah setelah {attempts} kali mencoba: {error}",
    m.MAY_BE_PUBLISHED: "{error}; platform mungkin sudah menerbitkannya: periksa, lalu tandai terbit atau kirim ulang",
    m.CONNECTION_FAILED: "koneksi gagal: {detail}",
    m.CONNECTION_LOST: "koneksi terputus: {detail}",
    m.NO_ANSWER: "tidak ada jawaban dalam {seconds} detik: {detail}",
    m.STOPPED_NOT_SEARCHABLE: "pekerja berhenti saat mengirim; platform tidak dapat ditelusuri",
}


def indonesian(message: str) -> str:
    return INDONESIAN.get(message, message)


def test_a_fixed_message_is_translated_with_its_values_kept():
    stored = m.GAVE_UP.format(
        attempts=3, error=m.CONNECTION_FAILED.format(detail="[Errno 111] Connection refused")
    )
    assert stored == "gave up after 3 tries: connection failed: [Errno 111] Connection refused"
    assert m.translate(stored, indonesian) == (
        "menyerah setelah 3 kali mencoba: koneksi gagal: [Errno 111] Connection refused"
    )


def test_the_uncertain_message_translates_the_error_it_wraps():
    stored = m.MAY_BE_PUBLISHED.format(
        error=m.NO_ANSWER.format(seconds="1", detail="Read timed out. (read timeout=1)")
    )
    assert m.translate(stored, indonesian) == (
        "tidak ada jawaban dalam 1 detik: Read timed out. (read timeout=1); platform mungkin sudah "
        "menerbitkannya: periksa, lalu tandai terbit atau kirim ulang"
    )
    wrapped = m.MAY_BE_PUBLISHED.format(error=m.STOPPED_NOT_SEARCHABLE)
    assert m.translate(wrapped, indonesian).startswith("pekerja berhenti saat mengirim; platform tidak")


@pytest.mark.parametrize(
    "text",
    [
        'HTTP 401: {"error": "The access token is invalid"}',  # the platform's own words
        "HTTP 503",
        "Bad Request: chat not found",
        "Belum final",  # a reason an editor typed when skipping
        "",
    ],
)
def test_other_texts_are_shown_as_they_are(text):
    assert m.translate(text, indonesian) == text


def test_the_platform_s_words_inside_a_message_stay_untranslated():
    detail = "HTTPConnectionPool(host='127.0.0.1'): connection failed: {x}"
    stored = m.GAVE_UP.format(attempts=5, error=f"HTTP 400: {detail}")
    assert m.translate(stored, indonesian) == f"menyerah setelah 5 kali mencoba: HTTP 400: {detail}"


def test_every_template_is_recognised_again():
    def marked(message: str) -> str:
        return f"<{message}>"

    for template in m.TEMPLATES:
        names = [name for _literal, name, _spec, _conv in string.Formatter().parse(template) if name]
        stored = template.format(**{n: f"v-{n}" for n in names})
        translated = m.translate(stored, marked)
        assert translated.startswith("<") and translated.endswith(">"), template
        for n in names:
            assert f"v-{n}" in translated, (template, n)


def test_a_translation_with_a_broken_placeholder_falls_back_to_english():
    stored = m.CONNECTION_LOST.format(detail="reset by peer")
    assert m.translate(stored, lambda s: "koneksi terputus: {rincian}") == stored
