"""CKAN core's JavaScript messages that core's Indonesian catalogue leaves untranslated.

CKAN builds the browser's catalogue (/api/i18n/<lang>) from the .po files of core and of the
ITranslation plugins, keeping the msgids core's JavaScript uses (ckan.lib.i18n.
build_js_translations). Only our own domain's .po is read there, not i18n-core/, so these
msgids are marked here to be extracted into it and translated like ours. Nothing calls this
module.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate"
    return message


MESSAGES = (
    N_("Add Filter"),
    N_("An error occured during AJAX request. Could not load view."),
    N_("Are you sure you want to perform this action?"),
    N_("Close"),
    N_("Confirm"),
    N_("Copied deeplink to clipboard"),
    N_("Copy to clipboard"),
    N_("Double-click to reset filters"),
    N_("Failed to load data API information"),
    N_("File"),
    N_("Filtered"),
    N_("Filtered download"),
    N_("Hide"),
    N_("Input is too short, must be at least one character"),
    N_("Link"),
    N_("Link to a URL on the internet (you can also link to an API)"),
    N_("No matches found"),
    N_("Please Confirm Action"),
    N_("Please select the file to upload again"),
    N_("Press SHIFT key while clicking on\nsort control for multi-column sort"),
    N_("Print"),
    N_("Remove"),
    N_("Reorder resource view"),
    N_("Reorder resources"),
    N_("Reset"),
    N_("Restore visibility"),
    N_("Save order"),
    N_("Saving..."),
    N_("Select a field"),
    N_("Share current view"),
    N_("Show all"),
    N_("Show more"),
    N_("Show none"),
    N_("Sort"),
    N_("Start typing…"),
    N_("Table/List toggle"),
    N_("There are unsaved modifications to this form"),
    N_("There is no API data to load for this resource"),
    N_("Toggle column visibility"),
    N_("Upload a file on your computer"),
    N_(
        "You can rearrange the resources by dragging them using the arrow icon. Drag the resource to the "
        'right and place it to the desired location on the list. When you are done, click the "Save order" '
        "-button."
    ),
    N_("seconds"),
)
