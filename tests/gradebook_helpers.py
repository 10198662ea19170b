"""Helpers for tests that build nbgrader gradebooks through its API."""

import functools
import re
from pathlib import Path

import nbgrader.api


@functools.cache
def alembic_head() -> str:
    """The newest alembic revision shipped with nbgrader, read from its migration scripts
    (nbgrader asks the ``alembic`` command otherwise, a second of start-up per gradebook)."""
    folder = Path(nbgrader.api.__file__).parent / "alembic" / "versions"
    revisions, parents = set(), set()
    for script in folder.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        revisions |= set(re.findall(r"^revision = ['\"](\w+)['\"]", text, re.M))
        parents |= set(re.findall(r"^down_revision = ['\"](\w+)['\"]", text, re.M))
    (head,) = revisions - parents
    return head
