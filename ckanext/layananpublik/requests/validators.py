"""Validators of the request forms only: the extension, the fee, the refusal grounds and the
rules between fields (the shared ones are in cases/validators.py)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.layananpublik.calendar.deadlines import EXTENSION_MAX_WORKING_DAYS
from ckanext.layananpublik.cases.validators import contact
from ckanext.layananpublik.requests.workflow import REFUSAL_GROUNDS

Invalid = tk.Invalid


def working_days(value: Any) -> Any:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise Invalid(tk._("Enter a whole number of working days")) from None
    if not 1 <= days <= EXTENSION_MAX_WORKING_DAYS:
        raise Invalid(tk._("An extension is 1 to 7 working days"))
    return days


def fee(value: Any) -> Any:
    """Rupiah, written the Indonesian way ("5.000", "5.000,50") or plainly ("5000", "5000.5")."""
    if value is missing or value in (None, ""):
        return None
    text = str(value).strip().replace("Rp", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", text) or "," in text:
        text = text.replace(".", "").replace(",", ".")  # dots group thousands, the comma is decimal
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Invalid(tk._("Enter an amount in rupiah, e.g. 5000")) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1000000000"):
        raise Invalid(tk._("Enter an amount in rupiah, e.g. 5000"))
    return amount.quantize(Decimal("0.01"))


def grounds(value: Any) -> Any:
    if value is missing or value in (None, ""):
        return []
    items = value if isinstance(value, list) else [v for v in re.split(r"[\s,]+", str(value)) if v]
    items = sorted({str(v).strip().lower() for v in items})
    if any(v not in REFUSAL_GROUNDS for v in items):
        raise Invalid(tk._("Choose grounds from Pasal 17 a to j"))
    return items


# Cross-field rules run on the flattened data after the per-field validators.
def requester_identity(key, data, errors, context):
    """An individual gives a NIK, a legal entity its decree number; everyone gives a contact."""
    get = lambda name: data.get((name,)) or None  # noqa: E731
    if not errors.get(("requester_type",)):
        if get("requester_type") == "individual" and not get("nik") and not errors.get(("nik",)):
            errors[("nik",)].append(tk._("Enter your NIK (16 digits, on your KTP)"))
        if (
            get("requester_type") == "legal_entity"
            and not get("entity_decree_number")
            and not errors.get(("entity_decree_number",))
        ):
            errors[("entity_decree_number",)].append(tk._("Enter the decree number of the legal entity"))
    contact(key, data, errors, context)


def decision_fields(key, data, errors, context):
    """A refusal names its Pasal 17 ground; "not held" names the body that holds it."""
    outcome = data.get(("outcome",))
    if outcome == "refused" and not data.get(("refusal_grounds",)) and not errors.get(("refusal_grounds",)):
        errors[("refusal_grounds",)].append(tk._("A refusal must give its ground under Pasal 17"))
    if outcome == "granted_part" and not data.get(("redactions",)):
        errors[("redactions",)].append(tk._("Say which parts are withheld and why"))
    if outcome not in ("refused", "granted_part") and data.get(("refusal_grounds",)):
        errors[("refusal_grounds",)].append(tk._("Grounds apply only to a refusal or a partial grant"))
    if outcome == "not_held" and not data.get(("referral_body",)):
        errors[("referral_body",)].append(tk._("Name the public body that holds this information"))
    if outcome in ("granted_full", "granted_part") and not data.get(("information_given",)):
        errors[("information_given",)].append(tk._("Say what information will be given"))
