"""The WSGI application for a WSGI server (gunicorn, uWSGI, mod_wsgi): CKAN's app, built
from the ini file named by CKAN_INI, once per worker process.

    CKAN_INI=/etc/ckan/ckan.ini gunicorn --workers 4 ckanext.layananpublik.wsgi:application

Each worker builds its own app after the fork (no gunicorn --preload), so no database
connection pool or Redis connection is shared between processes.
"""

from __future__ import annotations

import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

_ini = os.environ.get("CKAN_INI")
if not _ini:
    raise RuntimeError("CKAN_INI is not set: point it at the site's ckan.ini")

# load_config also applies the ini's [loggers] sections.
application = make_app(load_config(_ini))
