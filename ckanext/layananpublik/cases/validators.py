"""Field validators of every case form (requests, objections, complaints). Messages are
translated: they appear next to the field the citizen got wrong."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing

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
    "consequence_test": 4000,
    "loss": 2000,
    "principal_name": 200,
    "spam_reason": 500,
    "suggestion": 2000,
    "title": 200,
    "q": 200,
    "reply_text": 10_000,  # a citizen's reply on social media, as read (social/listen.py)
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
    """Refuses text longer than the field's bound, and stops the field's later validators
    (navl runs them all otherwise): a pattern never reads 100,000 hostile characters."""
    limit = MAX_LENGTHS[field]

    def validator(key: Any, data: dict, errors: dict, context: Any) -> None:
        value = data.get(key)
        if isinstance(value, str) and len(value) > limit:
            errors[key].append(
                tk._("Must be at most {limit} characters (now {length})").format(limit=limit, length=len(value))
            )
            raise StopOnError

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
    """name@domain.tld: one @, no spaces, a dot inside the domain. Checked in one pass (a
    pattern with nested repeats takes seconds on a long hostile address)."""
    if value is missing or value in (None, ""):
        return value
    text = str(value)
    local, _, domain = text.partition("@")
    if not local or "@" in domain or "." not in domain[1:-1] or any(c.isspace() for c in text):
        raise Invalid(tk._("Enter a valid email address"))
    return text.lower()


def empty_to_none(value: Any) -> Any:
    return None if value == "" else value


def honeypot(value: Any) -> Any:
    """A field hidden from people: only a bot fills it in."""
    if value not in (missing, None, ""):
        raise Invalid(tk._("The form could not be accepted. Please try again."))
    return missing


def past_instant(value: Any) -> Any:
    """A moment of receipt as an officer types it ("2026-11-20T09:30", or with its offset);
    without an offset it is read later in the body's time zone. Never in the future."""
    if value is missing or value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        instant = value
    else:
        try:
            instant = dt.datetime.fromisoformat(str(value)[:40])
        except ValueError:
            raise Invalid(tk._("Enter a date and time as YYYY-MM-DDTHH:MM")) from None
    if instant.tzinfo is not None and instant > dt.datetime.now(dt.timezone.utc):
        raise Invalid(tk._("The time of receipt cannot be in the future"))
    return instant


def iso_date(value: Any) -> Any:
    if value is missing or value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(tk._("Enter a date as YYYY-MM-DD")) from None


def year(value: Any) -> Any:
    """A calendar year (registers and statistics are kept per year)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
        return value
    text = str(value).strip()
    if not (text.isdigit() and 0 < int(text) < 10000):
        raise Invalid(tk._("Enter a year as four digits, such as 2026"))
    return int(text)


# Cross-field rules run on the flattened data after the per-field validators.
def contact(key, data, errors, context):
    """Everyone gives a phone number or an email address (or both) so the body can answer."""
    if (
        not data.get(("email",))
        and not data.get(("phone",))
        and not errors.get(("email",))
        and not errors.get(("phone",))
    ):
        errors[("email",)].append(tk._("Give a phone number or an email address (or both)"))
