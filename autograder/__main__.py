"""``python -m autograder grade SUBMISSIONS OUT [--jobs N]``, ``release``, ``demo OUT``."""

import sys

# jsonschema (imported by nbformat) imports rfc3987_syntax when installed, only for an "iri"
# format check that notebooks never use; building its grammar costs 1.5 s per process.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder.pipeline.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
