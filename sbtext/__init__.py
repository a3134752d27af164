"""sbtext: what Dutch policy documents expect of de sociale basis, and to what end.

>>> import sbtext
>>> result = sbtext.analyze("corpora/sample")          # doctest: +SKIP
>>> result.expectation_table()                          # doctest: +SKIP
>>> sbtext.tag_text("Mantelzorgers spelen een onmisbare rol.")  # doctest: +SKIP

The public names are imported on first use, so that `import sbtext` (and `sbtext --help`) does not
load spaCy, scikit-learn and pandas before they are needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_PUBLIC = {
    "Analysis": "sbtext.api",
    "analyze": "sbtext.api",
    "show": "sbtext.api",
    "tag_text": "sbtext.api",
    "process_document": "sbtext.pipeline",
    "read_document": "sbtext.read",
}

__all__ = ["Analysis", "__version__", "analyze", "process_document", "read_document", "show", "tag_text"]

if TYPE_CHECKING:
    from sbtext.api import Analysis, analyze, show, tag_text
    from sbtext.pipeline import process_document
    from sbtext.read import read_document


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sbtext' has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
