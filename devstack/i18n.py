"""`make i18n`: extract messages, update the id/en catalogues, compile .mo files.

Uses Babel's API directly with CKAN's template extractor (CKAN's own tags such as
`{% ckan_extends %}` need it).

CKAN core's messages that core's own catalogue leaves untranslated are translated in a
catalogue of their own, i18n-core/<locale>/LC_MESSAGES/ckan.po (not extracted: its msgids
are core's; `make core-strings` lists what is still missing). They are compiled into the
extension's .mo file, which CKAN merges over core's (flask-babel: the plugins' catalogues
come after core's and win), so one gettext domain carries both; a message of our own wins
over a core translation of the same msgid.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from devstack.procs import ROOT

PACKAGE = ROOT / "ckanext" / "layananpublik"
I18N = PACKAGE / "i18n"
CORE_I18N = PACKAGE / "i18n-core"
DOMAIN = "ckanext-layananpublik"
LOCALES = ("id", "en")
METHODS = [("**/templates/**.html", "ckan.lib.extract:extract_ckan"), ("**.py", "python")]


def extract() -> Catalog:
    template = Catalog(project=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(str(PACKAGE), METHODS):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    with open(I18N / f"{DOMAIN}.pot", "wb") as f:
        write_po(f, template, omit_header=False, sort_output=True)
    return template


def update_and_compile(template: Catalog) -> None:
    for locale in LOCALES:
        po_path = I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with open(po_path, "rb") as f:
                catalog = read_po(f, locale=locale)
        else:
            catalog = Catalog(locale=locale, project=DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        with open(po_path, "wb") as f:
            write_po(f, catalog, sort_output=True, ignore_obsolete=True)
        # a plural message is translated when every one of its forms is; a fuzzy one (babel's
        # guess after a msgid changed) is left out of the .mo file, so it is not translated
        untranslated = [
            m.id
            for m in catalog
            if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
        ]
        if untranslated:
            print(f"{locale}: {len(untranslated)} untranslated: {untranslated[:5]}")
        with open(po_path.with_suffix(".mo"), "wb") as f:
            write_mo(f, with_core(catalog, locale))


def core_catalogue(locale: str) -> Catalog | None:
    path = CORE_I18N / locale / "LC_MESSAGES" / "ckan.po"
    if not path.exists():
        return None
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def with_core(catalog: Catalog, locale: str) -> Catalog:
    """The catalogue to compile: ours, plus the core translations we ship for this locale
    (ours win on a shared msgid)."""
    core = core_catalogue(locale)
    if core is None:
        return catalog
    merged = Catalog(locale=locale, project=DOMAIN)
    merged.mime_headers = catalog.mime_headers
    for message in catalog:
        if message.id:
            merged.add(message.id, message.string, flags=message.flags)
    for message in core:
        # Catalog.add keeps the first string of a msgid: ours
        if message.id and not message.fuzzy and message.id not in merged:
            merged.add(message.id, message.string)
    return merged


if __name__ == "__main__":
    update_and_compile(extract())
