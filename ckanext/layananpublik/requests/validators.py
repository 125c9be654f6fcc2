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
    """What the written notice must hold for its outcome (Pasal 22(7)):
    - a refusal or partial grant names its Pasal 17 ground(s) and the consequence test (Pasal
      19): an exemption entry of the DIK that records it, or the test written in the decision;
    - a grant says what is given, in which form, how it is delivered, by when, and the fee
      (0 when free; with how to pay when not), itemised into copying and postage when given;
    - "not held" names the body that holds the information only if known."""
    get = lambda name: data.get((name,))  # noqa: E731
    outcome = get("outcome")

    def need(field: str, message: str) -> None:
        if get(field) in (None, "", []) and not errors.get((field,)):
            errors[(field,)].append(message)

    if outcome in ("refused", "granted_part"):
        need("refusal_grounds", tk._("A refusal or partial grant must give its ground under Pasal 17"))
        if not get("exempt_item_id") and not errors.get(("exempt_item_id",)):
            need("consequence_test", tk._(
                "Choose the exemption entry (DIK) that records the consequence test, or write the test here "
                "(Pasal 19)"))  # fmt: skip
    elif get("refusal_grounds"):
        errors[("refusal_grounds",)].append(tk._("Grounds apply only to a refusal or a partial grant"))
    if outcome == "granted_part":
        need("redactions", tk._("Say which parts are withheld and why"))
    if outcome in ("granted_full", "granted_part"):
        need("information_given", tk._("Say what information will be given"))
        need("release_format", tk._("Say in which form the information is given"))
        need("release_delivery", tk._("Say how the information is delivered"))
        need("provide_by_date", tk._("Say by when the information will be provided"))
        _fee_total(data, errors)
        if not errors.get(("fee",)) and (get("fee") or 0) > 0:  # an invalid fee is reported as such
            need("fee_note", tk._("Say how to pay the fee"))


def _fee_total(data: dict, errors: dict) -> None:
    """The fee of a grant: given (0 when free), or the sum of its copying and postage parts;
    when both are given they must agree."""
    if any(errors.get((f,)) for f in ("fee", "fee_copying", "fee_postage")):
        return
    parts = [data.get((f,)) for f in ("fee_copying", "fee_postage")]
    known = [p for p in parts if p is not None]
    total = data.get(("fee",))
    if total is None and known:
        data[("fee",)] = total = sum(known, Decimal(0))
    if total is None:
        errors[("fee",)].append(tk._("Give the fee (0 when the information is free)"))
    elif known and sum(known, Decimal(0)) != total:
        errors[("fee",)].append(tk._("The fee must be the sum of copying and postage"))


def spam_reason(key, data, errors, context):
    """Setting a request aside is a decision the requester may contest: it gives its reason."""
    if data.get(("spam",)) and not data.get(("reason",)) and not errors.get(("reason",)):
        errors[("reason",)].append(tk._("Say why the request is set aside; the requester reads it"))
