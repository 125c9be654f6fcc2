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


# What the shared kernel (cases/) may use of the rest of the package: working days, who acts for
# a body, and each case type's workflow (its status list, which labels derive from). Never a
# capability's models or actions: a capability uses the kernel, not the other way round.
KERNEL_USES = {"calendar.deadlines", "roles.access", "requests.workflow", "objections.workflow",
               "complaints.workflow"}  # fmt: skip


def test_the_shared_kernel_depends_on_no_capability():
    own = "ckanext.layananpublik."
    used = set()
    for path in sorted((PACKAGE / "cases").rglob("*.py")):
        for module, name in _imports(path):
            if not module.startswith(own) or module.startswith(own + "cases"):
                continue
            target = module[len(own):]
            used.add(f"{path.name}: {target if '.' in target else f'{target}.{name}'}")
    assert sorted(u for u in used if u.split(": ")[1] not in KERNEL_USES) == []
