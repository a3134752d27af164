"""sbtext: what Dutch policy documents expect of de sociale basis, and to what end.

>>> import sbtext
>>> result = sbtext.analyze("corpora/sample")          # doctest: +SKIP
>>> result.expectation_table()                          # doctest: +SKIP
>>> sbtext.tag_text("Mantelzorgers spelen een onmisbare rol.")  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from sbtext.api import Analysis, analyze, show, tag_text
from sbtext.pipeline import process_document
from sbtext.read import read_document

__all__ = ["Analysis", "__version__", "analyze", "process_document", "read_document", "show", "tag_text"]
