"""`make core-strings`: CKAN core's messages met on the pages a citizen or an officer sees
that have no Indonesian translation, neither in CKAN's own id catalogue nor in the one this
extension ships for core (ckanext/layananpublik/i18n-core/id/LC_MESSAGES/ckan.po).

The pages are named by the templates and Python modules that render them (issue 17's list).
Prints, per page, the messages still missing; `--all` lists every page's messages once.
Exit status 1 when some are missing on the pages given with `--require` (default none), so
CI can hold the line on pages already done.

    python -m devstack.core_strings                      # summary and missing messages
    python -m devstack.core_strings --page home --page login
    python -m devstack.core_strings --require home --require dataset_search
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from devstack.procs import ROOT

CORE_PO = ROOT / "ckanext" / "layananpublik" / "i18n-core" / "id" / "LC_MESSAGES" / "ckan.po"
HTML = "ckan.lib.extract:extract_ckan"

# page -> templates (under ckan/templates, or ckanext/activity/templates with "activity:")
# and Python modules (under the ckan package, "py:" prefix; under ckanext/activity,
# "activity-py:") whose messages it shows.
PAGES: dict[str, tuple[str, ...]] = {
    "layout": ("page.html", "base.html", "header.html", "footer.html", "snippets/language_selector.html",
               "snippets/home_breadcrumb_item.html", "activity:header.html"),
    "home": ("home/index.html", "home/snippets/*.html"),
    "about": ("home/about.html",),
    "dataset_search": ("package/search.html", "snippets/search_form.html", "snippets/facet_list.html",
                       "snippets/package_list.html", "snippets/package_item.html", "snippets/search_result_text.html",
                       "snippets/add_dataset.html", "package/base.html"),
    "dataset": ("package/read.html", "package/read_base.html", "package/snippets/info.html",
                "package/snippets/resources_list.html", "package/snippets/resource_item.html",
                "package/snippets/additional_info.html", "package/snippets/tags.html", "snippets/license.html",
                "snippets/social.html", "snippets/follow_button.html", "snippets/private.html",
                "package/resources.html", "package/group_list.html", "package/followers.html"),
    "resource": ("package/resource_read.html", "package/snippets/resource_info.html",
                 "package/snippets/resources.html", "package/snippets/resource_view.html",
                 "package/snippets/resource_views_list.html", "package/snippets/resource_views_list_item.html"),
    "dataset_form": ("package/new.html", "package/edit.html", "package/edit_base.html", "package/base_form_page.html",
                     "package/new_package_form.html", "package/snippets/package_form.html",
                     "package/snippets/package_basic_fields.html", "package/snippets/package_metadata_fields.html",
                     "package/snippets/stages.html", "package/snippets/new_package_breadcrumb.html",
                     "snippets/custom_form_fields.html", "macros/form/*.html", "macros/form.html"),
    "resource_form": ("package/new_resource.html", "package/new_resource_not_draft.html", "package/resource_edit.html",
                      "package/resource_edit_base.html", "package/snippets/resource_form.html",
                      "package/snippets/resource_edit_form.html", "package/snippets/resource_upload_field.html",
                      "package/snippets/resource_help.html"),
    "organization": ("organization/index.html", "organization/read.html", "organization/read_base.html",
                     "organization/about.html", "organization/snippets/*.html", "snippets/organization_item.html",
                     "snippets/organization.html"),
    "group": ("group/index.html", "group/read.html", "group/read_base.html", "group/about.html",
              "group/snippets/*.html", "snippets/group_item.html", "snippets/group.html"),
    "login": ("user/login.html", "user/logout_first.html", "user/snippets/login_form.html", "user/new.html",
              "user/new_user_form.html", "user/request_reset.html", "user/perform_reset.html",
              "py:views/user.py"),
    "dashboard": ("user/dashboard.html", "user/dashboard_datasets.html", "user/dashboard_organizations.html",
                  "user/dashboard_groups.html", "user/read_base.html", "user/read.html", "user/edit.html",
                  "user/edit_base.html", "user/edit_user_form.html", "user/snippets/info.html",
                  "activity:user/*.html", "activity:user/snippets/*.html"),
    "api_tokens": ("user/api_tokens.html", "user/snippets/api_token_list.html", "py:views/api_token.py"),
    "activity": ("activity:snippets/*.html", "activity:snippets/*/*.html", "activity:package/*.html",
                 "activity:package/snippets/*.html", "activity:organization/*.html",
                 "activity:organization/snippets/*.html", "activity:group/*.html", "activity:group/snippets/*.html",
                 "activity:ajax_snippets/*.html", "activity-py:views.py", "activity-py:helpers.py",
                 "activity-py:changes.py", "activity-py:logic/*.py"),
    "messages": ("py:views/dataset.py", "py:views/resource.py", "py:views/group.py", "py:views/dashboard.py",
                 "py:views/home.py", "py:logic/validators.py", "py:lib/navl/dictization_functions.py",
                 "py:lib/navl/validators.py", "py:lib/formatters.py", "py:lib/helpers.py", "py:logic/action/create.py",
                 "py:model/license.py",
                 "py:logic/action/update.py", "py:logic/__init__.py", "py:lib/search/__init__.py"),
}  # fmt: skip

# Messages core marks for translation that no reader sees as text (an internal type name, a
# JSON key).
IGNORED = frozenset({"OrganizationGroup", "message"})


def _ckan_root() -> Path:
    import ckan

    return Path(ckan.__file__).parent


def _files(spec: str) -> list[tuple[Path, str]]:
    ckan = _ckan_root()
    if spec.startswith("py:"):
        return [(p, "python") for p in sorted(ckan.glob(spec[3:]))]
    if spec.startswith("activity:"):
        base = ckan.parent / "ckanext" / "activity" / "templates"
        return [(p, HTML) for p in sorted(base.glob(spec[len("activity:") :]))]
    if spec.startswith("activity-py:"):
        base = ckan.parent / "ckanext" / "activity"
        return [(p, "python") for p in sorted(base.glob(spec[len("activity-py:") :]))]
    return [(p, HTML) for p in sorted((ckan / "templates").glob(spec))]


def page_messages(page: str) -> list[str]:
    """The msgids of a page's templates and modules, in order, once each (plural messages
    by their singular)."""
    seen: dict[str, None] = {}
    for spec in PAGES[page]:
        for path, method in _files(spec):
            for _line, message, _comments, _context in extract_from_file(method, str(path)):
                msgid = message[0] if isinstance(message, tuple) else message
                if msgid and msgid not in IGNORED:
                    seen.setdefault(msgid, None)
    return list(seen)


def _translated(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with open(path, "rb") as f:
        catalogue = read_po(f, locale="id")
    done = set()
    for m in catalogue:
        if not m.id or m.fuzzy:
            continue
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        if all(strings):
            done.add(m.id[0] if isinstance(m.id, (list, tuple)) else m.id)
    return done


def translated() -> tuple[set[str], set[str]]:
    """The msgids translated by CKAN's id catalogue, and by ours for core."""
    return _translated(_ckan_root() / "i18n" / "id" / "LC_MESSAGES" / "ckan.po"), _translated(CORE_PO)


def missing(pages: list[str]) -> dict[str, list[str]]:
    core, ours = translated()
    return {page: [m for m in page_messages(page) if m not in core and m not in ours] for page in pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="only these pages")
    parser.add_argument("--require", action="append", choices=sorted(PAGES), default=[],
                        help="fail (exit 1) if one of these pages has a message missing")  # fmt: skip
    parser.add_argument("--summary", action="store_true", help="counts only")
    args = parser.parse_args(argv)
    pages = args.page or list(PAGES)
    core, ours = translated()
    result = missing(sorted(set(pages) | set(args.require)))
    for page in pages:
        total = len(page_messages(page))
        print(f"{page}: {total - len(result[page])}/{total} translated, {len(result[page])} missing")
        if not args.summary:
            for msgid in result[page]:
                print(f"    {msgid!r}")
    failing = [page for page in args.require if result[page]]
    if failing:
        print("pages with untranslated core messages: " + ", ".join(failing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
