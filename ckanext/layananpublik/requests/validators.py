"""Field validators of the request forms. Messages are translated: they appear next to
the field the citizen got wrong."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

Invalid = tk.Invalid

# Text is stored as plain text; these bounds keep one request from filling the database
# and keep the register printable.
MAX_LENGTHS = {
    "name": 200,
    "entity_decree_number": 100,
    "address": 500,
    "phone": 20,
    "email": 254,
    "occupation": 100,
    "information_requested": 4000,
    "purpose": 2000,
    "public_summary": 1000,
    "extension_reason": 2000,
    "referral_body": 300,
    "information_given": 4000,
    "redactions": 2000,
    "fee_note": 500,
    "decision_note": 4000,
    "spam_reason": 500,
    "title": 200,
    "q": 200,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: Any) -> Any:
    """Strip surrounding space and control characters (they break CSV and email)."""
    if value is missing or value is None:
        return value
    if not isinstance(value, str):
        raise Invalid(tk._("Must be text"))
    return _CONTROL.sub("", value).strip()


def max_length(field: str):
    limit = MAX_LENGTHS[field]

    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise Invalid(
                tk._("Must be at most {limit} characters (now {length})").format(
                    limit=limit, length=len(value)
                )
            )
        return value

    return validator


def choice(options: tuple[str, ...]):
    def validator(value: Any) -> Any:
        if value not in options:
            raise Invalid(tk._("Choose one of the options"))
        return value

    return validator


def nik(value: Any) -> Any:
    """Nomor Induk Kependudukan: 16 digits — province (11–94), regency, district, the date
    of birth as DDMMYY (day + 40 for women), then a serial number that is not 0000."""
    if value is missing or value in (None, ""):
        return value
    digits = re.sub(r"[\s.-]", "", str(value))
    if not re.fullmatch(r"\d{16}", digits):
        raise Invalid(tk._("A NIK has exactly 16 digits"))
    province, day, month = int(digits[0:2]), int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    if not (11 <= province <= 94) or not (1 <= day <= 31) or not (1 <= month <= 12) or digits[12:] == "0000":
        raise Invalid(tk._("This is not a valid NIK: check the number on your KTP"))
    return digits


def phone(value: Any) -> Any:
    """An Indonesian or international phone number, kept as typed digits with a leading +."""
    if value is missing or value in (None, ""):
        return value
    compact = re.sub(r"[\s().-]", "", str(value))
    if not re.fullmatch(r"\+?\d{8,15}", compact):
        raise Invalid(tk._("Enter a phone number of 8 to 15 digits, e.g. 0812 3456 7890"))
    return compact


def email(value: Any, context: Any) -> Any:
    if value is missing or value in (None, ""):
        return value
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(value)):
        raise Invalid(tk._("Enter a valid email address"))
    return str(value).lower()


def empty_to_none(value: Any) -> Any:
    return None if value == "" else value


def honeypot(value: Any) -> Any:
    """A field hidden from people: only a bot fills it in."""
    if value not in (missing, None, ""):
        raise Invalid(tk._("The form could not be accepted. Please try again."))
    return missing


def working_days(value: Any) -> Any:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise Invalid(tk._("Enter a whole number of working days")) from None
    if not 1 <= days <= 7:
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


def iso_date(value: Any) -> Any:
    if value is missing or value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(tk._("Enter a date as YYYY-MM-DD")) from None


def grounds(value: Any) -> Any:
    from ckanext.layananpublik.requests.workflow import REFUSAL_GROUNDS

    if value is missing or value in (None, ""):
        return []
    items = value if isinstance(value, list) else [v for v in re.split(r"[\s,]+", str(value)) if v]
    items = sorted({str(v).strip().lower() for v in items})
    if any(v not in REFUSAL_GROUNDS for v in items):
        raise Invalid(tk._("Choose grounds from Pasal 17 a to j"))
    return items


# Cross-field rules run on the flattened data after the per-field validators.
def requester_identity(key, data, errors, context):
    """An individual gives a NIK, a legal entity its decree number; everyone gives a phone
    number or an email address (or both) so the body can answer."""
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
    if not get("phone") and not get("email") and not errors.get(("phone",)) and not errors.get(("email",)):
        errors[("email",)].append(tk._("Give a phone number or an email address (or both)"))


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
