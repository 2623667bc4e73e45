"""Benchmark: extract tens of MB of plan text in one call of `extract_paths`, in one process.

    .venv/bin/python benchmarks/extract_plans.py [--mb 20] [--workdir /tmp/planwatch-bench-plans] [--corpus DIR] [--profile]

Builds a plans folder from the seed documents (seeds/plans/) and the development texts of the
corpus (../shared/corpus/dev, never the holdout ones named in tests/data/corpus/split.csv), copied
under new names with their own manifest rows until the folder holds --mb megabytes of text.
Copies differ from each other the way documents differ, so that no cache of normalised lines
sees the same text twice per script: every figure shifted by the copy's number (years, months and
days kept), and in turn written in simplified script, in traditional script (OpenCC s2t) and with
ASCII punctuation as web copies have it. Building the folder is not timed.

Prints MB of text per second of wall time and per CPU second of this process (one core: the
extractor runs in one thread, so CPU seconds are core seconds also on a busy machine), the CPU
count, and with --profile the top of a cProfile by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import re
import shutil
import time
from pathlib import Path

from planwatch.config import PROJECT_ROOT, get_paths
from planwatch.plans.corpus import DEFAULT_CORPUS, DEFAULT_SPLIT, header_region
from planwatch.plans.extract import extract_paths
from planwatch.regions import RegionResolver

# A number that is not a year (19xx/20xx) nor a month, day or ordinal: the figures of the text.
_FIGURE = re.compile(r"(?<![\d.])(\d+)(?![\d年月日号])")  # a decimal's whole part; its fraction is kept
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_ASCII_PUNCTUATION = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "％": "%", "！": "!", "？": "?"})
_FILE_YEAR = re.compile(r"_(20\d\d)(?:_|\.)")
UNDATED_YEAR = "2025"  # the manifest needs a year; the benchmark measures speed, not how a year is found


def development_texts(corpus_dir: Path, split_file: Path) -> list[Path]:
    with open(split_file, encoding="utf-8") as f:
        development = {row["doc_file"] for row in csv.DictReader(f) if row["split"] == "development"}
    return sorted(p for p in (corpus_dir / "dev").glob("*.txt") if p.name in development)


def corpus_manifest_row(path: Path, resolver: RegionResolver, columns: list[str]) -> dict:
    region = resolver.resolve(header_region(path))
    m = _FILE_YEAR.search(path.name)
    year = m.group(1) if m else UNDATED_YEAR
    row = dict.fromkeys(columns, "")
    row.update(document=path.name, plan_id=path.stem, region_name=region.region_name, region_code=region.region_code,
               plan_kind="annual", start_year=year, end_year=year, title=path.stem)
    return row


def vary(text: str, copy: int, script) -> str:
    """Copy number `copy` of a text: figures shifted by `copy`, in one of three ways of writing."""
    def shift(m: re.Match) -> str:
        digits = m.group(1)
        return digits if _YEAR_LIKE.fullmatch(digits) else str(int(digits) + copy)

    text = _FIGURE.sub(shift, text) if copy else text
    way = copy % 3
    if way == 1:
        return script.convert(text)
    if way == 2:
        return text.translate(_ASCII_PUNCTUATION)
    return text


def build(workdir: Path, megabytes: float, corpus: Path = DEFAULT_CORPUS) -> list[Path]:
    import opencc

    paths = get_paths()
    seeds = paths.plans_dir
    with open(seeds / "manifest.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        columns = list(reader.fieldnames)
        seed_rows = list(reader)
    resolver = RegionResolver.default(paths.reference_dir)
    originals = [(seeds / r["document"], r) for r in seed_rows]
    development = development_texts(corpus, DEFAULT_SPLIT)
    if not development:
        raise SystemExit(f"{corpus / 'dev'}: none of the development texts {DEFAULT_SPLIT} names; give the corpus with --corpus")
    originals += [(p, corpus_manifest_row(p, resolver, columns)) for p in development]
    texts = [(path.read_text(encoding="utf-8"), row) for path, row in originals]
    to_traditional = opencc.OpenCC("s2t")
    plans = workdir / "plans"
    plans.mkdir(parents=True)
    documents, rows, size, copy = [], [], 0, 0
    while size < megabytes * 1e6:
        for text, row in texts:
            name = f"c{copy:03d}_{row['document']}"
            data = vary(text, copy, to_traditional).encode("utf-8")
            (plans / name).write_bytes(data)
            rows.append({**row, "document": name, "plan_id": f"c{copy:03d}-{row['plan_id']}"})
            documents.append(plans / name)
            size += len(data)
        copy += 1
    with open(plans / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    print(f"built {len(documents)} documents ({copy} copies of {len(texts)} texts), {size / 1e6:.1f} MB, in {plans}")
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of plan text to extract (default 20)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/planwatch-bench-plans"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the corpus folder (default ../shared/corpus)")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the extraction")
    parser.add_argument("--top", type=int, default=30, help="profile lines to print (default 30)")
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    documents = build(args.workdir, args.mb, args.corpus)
    megabytes = sum(p.stat().st_size for p in documents) / 1e6
    reference = get_paths().reference_dir
    profiler = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    extractions = extract_paths(documents, args.workdir / "plans", reference)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    targets = sum(len(e.targets) for e in extractions)
    actuals = sum(len(e.actuals) for e in extractions)
    print(f"extracted {len(extractions)} documents: {targets} targets, {actuals} actuals")
    print(f"{megabytes:.1f} MB in {wall:.1f} s wall, {cpu:.1f} s CPU (one process; {os.cpu_count()} CPUs on this machine)")
    print(f"{megabytes / wall:.2f} MB/s wall, {megabytes / cpu:.2f} MB/s per core (MB per CPU second)")
    if profiler:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
            print(f"--- profile by {order} time ---")
            print(out.getvalue().split("\n\n", 1)[-1].strip().replace(str(PROJECT_ROOT) + "/", ""))


if __name__ == "__main__":
    main()
