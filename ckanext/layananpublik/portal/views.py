"""/tampilan/warna.css: the configured colours as CSS custom properties, a stylesheet of its
own so no page needs an inline style (CSP)."""

from __future__ import annotations

from flask import Blueprint, make_response

from ckanext.layananpublik.portal import branding

bp = Blueprint("layananpublik_portal", __name__)


def colours_css():
    values = branding.colours()
    body = ":root {\n" + "".join(f"  --lp-{name}: {value};\n" for name, value in values.items()) + "}\n"
    response = make_response(body)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


bp.add_url_rule("/tampilan/warna.css", "colours", colours_css)
