"""Ingestion benchmark: pages/s for reading, cleaning and segmenting one generated 300-page PDF.

Usage: python bench/ingest.py [--pages 300]. Prints one line per stage; not a timed test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_pdf

from sbtext.clean import clean_document
from sbtext.nlp import load_nlp
from sbtext.read import read_document
from sbtext.segment import split_passages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    nlp = load_nlp("blank")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.pdf"
        write_pdf(path, seed=1, pages=args.pages)
        t0 = time.perf_counter()
        raw = read_document(path)
        t1 = time.perf_counter()
        doc = clean_document(raw)
        t2 = time.perf_counter()
        passages = list(split_passages(doc, nlp))
        t3 = time.perf_counter()
    n = len(doc.pages)
    for stage, seconds in (("read", t1 - t0), ("clean", t2 - t1), ("segment", t3 - t2), ("all three", t3 - t0)):
        print(f"{stage:<10} {seconds:7.3f} s  {n / seconds:8.1f} pages/s")
    print(f"{n} pages, {len(passages)} passages, fallback backend")


if __name__ == "__main__":
    main()
