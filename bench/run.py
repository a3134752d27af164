"""Benchmark: full pipeline versus the floor, peak memory per corpus size, scaling to 2 processes.

Each measurement runs in a fresh subprocess so that its peak RSS is its own. Results go to
bench/RESULTS.md with the machine and versions. Usage: python bench/run.py [--sizes 10 100 1000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import make_corpus  # noqa: E402

WORKER = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
mode, folder, n_process = sys.argv[1], sys.argv[2], int(sys.argv[3])
from pathlib import Path
import os
def cpu():
    own, kids = os.times(), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.user + own.system + kids.ru_utime + kids.ru_stime
t0 = time.perf_counter()
if mode == "full":
    from sbtext.api import analyze_to_dir
    from sbtext.pipeline import Options, tagger_for
    tagger_for(Options(spacy_model="blank"))
    words = 0
    def count(result):
        global words
        words += sum(len(p["text"].split()) for p in result.passages)
    start, cpu_start = time.perf_counter(), cpu()
    out = Path(folder).parent / ("out-" + Path(folder).name)
    run = analyze_to_dir(folder, out, force=True, spacy_model="blank", n_process=n_process, on_document=count)
    elapsed, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start
    pages = run["counts"]["pages"]
    stages = run["timings"]
else:
    from sbtext.nlp import load_nlp
    from sbtext.read import find_documents, read_document
    nlp = load_nlp("blank")
    start, cpu_start = time.perf_counter(), cpu()
    pages = words = 0
    for path, meta in find_documents([folder]):
        doc = read_document(path, meta)
        texts = ["\n".join(b.text for b in p.blocks) for p in doc.pages]
        for d in nlp.pipe(texts, disable=["sbtext_simplemma_v1"]):
            words += sum(1 for t in d if not t.is_space)
            list(d.sents)
        pages += len(doc.pages)
    elapsed, cpu_seconds = time.perf_counter() - start, cpu() - cpu_start
    stages = {}
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if n_process > 1:
    rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
print(json.dumps({"mode": mode, "pages": pages, "words": words, "seconds": elapsed, "cpu_seconds": cpu_seconds, "peak_rss_mb": rss,
                  "stages": stages, "n_process": n_process}))
"""


def measure(mode: str, folder: Path, n_process: int = 1) -> dict:
    """One measurement in a fresh process, with the machine's load average before and after (the
    benchmark shares its cores: a wall-clock figure means little without the load beside it)."""
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-c", WORKER, mode, str(folder), str(n_process)], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["pages_per_s"] = result["pages"] / result["seconds"]
    result["words_per_s"] = result["words"] / result["seconds"]
    result["pages_per_cpu_s"] = result["pages"] / result["cpu_seconds"]
    result["load"] = (load, os.getloadavg()[0])
    return result


def machine() -> str:
    from importlib.metadata import version

    import sklearn
    import spacy

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0"
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB; Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, scikit-learn {sklearn.__version__}, pypdfium2 {version('pypdfium2')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000])
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--work", type=Path, default=HERE / "corpora")
    args = parser.parse_args()
    rows, scaling = [], None
    scale_n = 100 if 100 in args.sizes else args.sizes[0]
    for n in args.sizes:
        folder = make_corpus(args.work / f"n{n}", n)
        full, floor = measure("full", folder), measure("floor", folder)
        rows.append((n, full, floor))
        print(
            f"{n} docs: full {full['pages_per_s']:.1f} pages/s ({full['pages_per_cpu_s']:.1f} per CPU-s), "
            f"floor {floor['pages_per_s']:.1f} pages/s ({floor['pages_per_cpu_s']:.1f} per CPU-s), "
            f"peak {full['peak_rss_mb']:.0f} MB, load {full['load'][0]:.1f}",
            flush=True,
        )
        if n == scale_n:
            # Measured before any larger size, so that a long last size leaves complete results.
            scaling = (n, measure("full", folder, 1), measure("full", folder, 2))
        # Written after every size: the largest one can take an hour on shared cores.
        write_results(args.out, rows, scaling)


def write_results(path: Path, rows: list, scaling: tuple | None) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `make bench` on: {machine()}.",
        "Language backend: the offline fallback (blank Dutch pipeline, rule sentencizer, simplemma).",
        "Corpora: generated Kamerbrief-like PDFs of 30 pages (sidebar, header, footer) and HTML pages",
        "(one in ten documents), see bench/corpus.py. Full = `sbtext analyze --out` (`sbtext.api.analyze_to_dir`),",
        "writing every output file as the documents arrive;",
        "floor = text extraction plus spaCy tokenisation and sentence splitting only, in the same run.",
        "Pages per CPU second count the processor time of the run (its own and its workers'): on shared",
        "cores they stay near what an idle machine gives, where pages per second follow the load.",
        "",
        *throughput_table(rows),
        "",
        *stage_table(rows),
        "",
        *scaling_lines(scaling),
        "",
        *target_table(rows, scaling),
        "",
    ]
    # The notes under "## " headings are written by hand after a run: they stay.
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = old[old.index("\n## ") + 1 :] if "\n## " in old else ""
    path.write_text("\n".join(lines) + ("\n" + notes if notes else ""), encoding="utf-8")


def throughput_table(rows: list) -> list[str]:
    lines = [
        "| documents | pages | words | full pages/s | full pages/CPU-s | floor pages/s | floor pages/CPU-s "
        "| full/floor (CPU) | peak RSS full (MB) | load before/after |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, full, floor in rows:
        lines.append(
            f"| {n} | {full['pages']} | {full['words']} | {full['pages_per_s']:.1f} | {full['pages_per_cpu_s']:.1f} | "
            f"{floor['pages_per_s']:.1f} | {floor['pages_per_cpu_s']:.1f} | "
            f"{full['pages_per_cpu_s'] / floor['pages_per_cpu_s']:.2f} | {full['peak_rss_mb']:.0f} | "
            f"{full['load'][0]:.1f}/{full['load'][1]:.1f} |"
        )
    return lines


def stage_table(rows: list) -> list[str]:
    stages = ("read", "clean", "segment", "tag", "tables", "write")
    lines = [
        "Time per stage (wall seconds, summed over documents; tables and write for the whole run):",
        "",
        "| documents | " + " | ".join(stages) + " |",
        "|---:|" + "---:|" * len(stages),
    ]
    for n, full, _ in rows:
        lines.append(f"| {n} | " + " | ".join(f"{full['stages'].get(k, 0):.2f}" for k in stages) + " |")
    return lines


def scaling_lines(scaling: tuple | None) -> list[str]:
    if scaling is None:
        return ["Scaling to 2 processes: not measured yet."]
    n, one, two = scaling
    return [
        f"Scaling on {n} documents: 1 process {one['pages_per_s']:.1f} pages/s, 2 processes "
        f"{two['pages_per_s']:.1f} pages/s: {two['pages_per_s'] / one['pages_per_s']:.2f}x "
        f"(load {one['load'][0]:.1f} and {two['load'][0]:.1f} before each).",
    ]


def target_table(rows: list, scaling: tuple | None) -> list[str]:
    """Speed against the floor on the smallest corpus (the 300-page one), memory from the smallest
    to the largest: flat is less than a tenth more."""
    smallest, full, floor = rows[0]
    largest, big, _ = rows[-1]
    ratio = full["pages_per_cpu_s"] / floor["pages_per_cpu_s"]
    wall_ratio = full["pages_per_s"] / floor["pages_per_s"]
    growth = big["peak_rss_mb"] / full["peak_rss_mb"]
    speedup = scaling[2]["pages_per_s"] / scaling[1]["pages_per_s"] if scaling else math.nan
    lines = ["Targets against what this run measured:", "", "| target | measured | met |", "|---|---|---|"]
    for target, measured, met in (
        (
            "full pipeline >= 50 pages/s",
            f"{full['pages_per_s']:.1f} pages/s, {full['pages_per_cpu_s']:.1f} pages/CPU-s ({smallest} documents)",
            full["pages_per_s"] >= 50,
        ),
        ("full >= 0.5 x floor", f"{ratio:.2f} x (CPU), {wall_ratio:.2f} x (wall)", ratio >= 0.5),
        (
            "peak RSS flat",
            f"{full['peak_rss_mb']:.0f} MB ({smallest} documents), {big['peak_rss_mb']:.0f} MB ({largest})",
            len(rows) > 1 and growth < 1.1,
        ),
        ("2 processes >= 1.6 x 1 process", f"{speedup:.2f} x", speedup >= 1.6),
    ):
        lines.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")
    return lines


if __name__ == "__main__":
    main()
