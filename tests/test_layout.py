"""How the package is layered (README, "Layout"): CKAN core is used through its public API only.
Read from the source, as a reviewer would."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ckanext" / "layananpublik"


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every `from module import name` and `import module` in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return found


def test_no_module_imports_a_private_name_of_ckan_core():
    private = [
        f"{path.relative_to(PACKAGE)}: {module} {name}".strip()
        for path in sorted(PACKAGE.rglob("*.py"))
        for module, name in _imports(path)
        if module.split(".")[0] == "ckan"
        and (name.startswith("_") or any(part.startswith("_") for part in module.split(".")))
    ]
    assert private == []
