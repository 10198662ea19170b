"""Student ids that nbgrader can use, and names that are safe to print.

nbgrader finds submissions with glob patterns on ``{root}/{step}/{student_id}/{assignment}``
and takes ``--student ID`` on its command line, so a student folder named ``a*b``, ``[x]``,
``-rf``, ``o'neil\\n`` or a 300-character name breaks it (no notebook found, an option parsed
as a flag, a log file name too long). The grader therefore grades every student under an
*internal id*:

- a *safe* folder name (``^[A-Za-z0-9_.@-]+$``, not starting with ``-`` or ``.``, at most
  ``MAX_ID_LENGTH`` characters) is its own internal id, so ordinary classes look exactly as
  before (OUT/submitted/<student>/, gradebook, grades.csv);
- any other name becomes ``<slug>--<hash>``: a readable ASCII slug of the name (at most 40
  characters) and the first 10 hex digits of the SHA-256 of the name (its UTF-8 bytes, an
  undecodable byte as itself). Deterministic, so a regrade reuses the earlier results.

The internal id is what OUT/submitted/, autograded/, feedback/, intake/, logs/, .work/runs/,
gradebook.db and nbgrader's grades.csv use; scores.csv reports ``display_id(real folder name)``.
The mapping of a run is written to ``OUT/student_ids.csv`` (``MAPPING_FILE``: columns
``internal_id``, ``student_folder``), and every intake record holds both
(``OUT/intake/<internal id>/<assignment>.json``: ``student_id`` and ``student_folder``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from pathlib import Path

SAFE_ID = re.compile(r"^[A-Za-z0-9_.@-]+$")
MAX_ID_LENGTH = 64
SLUG_LENGTH = 40
HASH_LENGTH = 10
MAPPING_FILE = "student_ids.csv"
MAPPING_COLUMNS = ["internal_id", "student_folder"]


def is_safe_id(name: str) -> bool:
    """Whether nbgrader can use the folder name ``name`` as a student id as it is."""
    return (isinstance(name, str) and bool(SAFE_ID.match(name)) and len(name) <= MAX_ID_LENGTH
            and not name.startswith(("-", ".")))


def _name_bytes(name: str) -> bytes:
    # Folder names that are not UTF-8 come from os.listdir as lone surrogates.
    return name.encode("utf-8", "surrogateescape")


def slug(name: str) -> str:
    """A readable ASCII version of ``name`` made of safe characters (never empty)."""
    text = unicodedata.normalize("NFKD", display_id(name))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_.@-]+", "_", text).strip("_.-@")
    text = text[:SLUG_LENGTH].rstrip("_.-@")
    return text or "student"


def internal_id(name: str, hash_length: int = HASH_LENGTH) -> str:
    """The id ``name`` (a student folder's name) is graded under (see the module docstring)."""
    if is_safe_id(name):
        return name
    digest = hashlib.sha256(_name_bytes(name)).hexdigest()[:hash_length]
    return f"{slug(name)}--{digest}"


def assign_internal_ids(names) -> dict[str, str]:
    """{student folder name: internal id} for a class, one-to-one.

    A collision (some other folder is literally named like another's internal id, or two
    hashes agree in their first digits) takes a longer hash for the hashed name, so two
    students are never graded as one.
    """
    names = sorted(set(names))
    taken = {n for n in names if is_safe_id(n)}
    mapping = {n: n for n in taken}
    for name in names:
        if name in mapping:
            continue
        for length in (HASH_LENGTH, 20, 32, 64):
            candidate = internal_id(name, length)
            if candidate not in taken:
                break
        else:  # pragma: no cover - a full SHA-256 collision
            raise ValueError(f"cannot find an internal id for {display_id(name)}")
        mapping[name] = candidate
        taken.add(candidate)
    return mapping


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def display_id(name: str) -> str:
    """``name`` as it may be printed (summary, notes, scores.csv): the same text, except that
    control characters (newlines, tabs, terminal escapes, bidi overrides) and bytes that are
    not UTF-8 are written as escapes (``\\n``, ``\\x1b``, ``\\udcff``...)."""
    if not isinstance(name, str):
        name = str(name)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = _name_bytes(name).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def write_mapping(path: Path, mapping: dict[str, str]) -> Path:
    """Write ``{student folder: internal id}`` to ``path`` (CSV, sorted by internal id)."""
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MAPPING_COLUMNS)
    for name, iid in sorted(mapping.items(), key=lambda item: item[1]):
        writer.writerow([iid, display_id(name)])
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_mapping(path: Path) -> dict[str, str]:
    """{internal id: student folder (as displayed)} from a file written by write_mapping."""
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["internal_id"]: row["student_folder"] for row in csv.DictReader(fh)}
