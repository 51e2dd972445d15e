"""hr_social/documents is a shared mechanism: it imports no domain (domains register)."""

from __future__ import annotations

import ast
from pathlib import Path

import hr_social.documents

# What documents/ may use: the app's plumbing, checked uploads (the logo) and the
# organisation's settings (the letterhead). Anything else is a domain.
ALLOWED = {"hr_social", "hr_social.pdf", "hr_social.db", "hr_social.permissions",
           "hr_social.documents", "hr_social.attachments", "hr_social.organisation",
           "hr_social.web", "hr_social.clock", "hr_social.errors"}


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("hr_social")}


def test_documents_imports_no_domain():
    folder = Path(hr_social.documents.__file__).parent
    found = {(path.name, module) for path in folder.glob("*.py")
             for module in _imported_modules(path)
             if ".".join(module.split(".")[:2]) not in ALLOWED}
    assert found == set()
    assert len(list(folder.glob("*.py"))) >= 8  # the walk did read the package
