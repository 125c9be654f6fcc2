from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-layananpublik",
    version="0.1.0",
    description="Public-information service (PPID) for CKAN: requests, transparency pages, "
    "feeds, social posting and PostgreSQL search without Solr",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=find_namespace_packages(include=["ckanext.*"]),
    include_package_data=True,
    zip_safe=False,
    entry_points={
        "ckan.plugins": [
            "layananpublik = ckanext.layananpublik.plugin:LayananPublikPlugin",
            "layananpublik_search = ckanext.layananpublik.plugin:PostgresSearchPlugin",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
