"""Measure the extractor on an annotated corpus, as a new user's documents would be read.

A corpus is a folder of texts (``dev/*.txt``) whose first lines are a header
(``# source:``, ``# region: 赣州市 (江西省, prefecture city)``, ``# retrieval:``), a gold
list of every quantitative statement in them (``dev_gold.csv``, see the corpus
README) and a split file naming each document ``development`` (rules may be
written while reading it) or ``holdout`` (never read while writing rules). Each
document is read exactly as a user would run ``planwatch extract DOC --region R``:
only its region is given; everything else the extractor must find itself. A
document the extractor refuses counts as extracting nothing, with its reason.

    .venv/bin/python -m planwatch.plans.corpus            # ../shared/corpus, the committed split
    .venv/bin/python -m planwatch.plans.corpus --misses   # also list misses (development documents only)
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planwatch.config import PROJECT_ROOT
from planwatch.plans.scoring import FigureScore, extracted_figures, gold_figures, score_figures

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
DEFAULT_SPLIT = PROJECT_ROOT / "tests" / "data" / "corpus" / "split.csv"
_REGION_HEADER = re.compile(r"^#\s*region:\s*(?P<name>[^\s(（]+)\s*(?:[(（](?P<detail>[^)）]*)[)）])?")


@dataclass
class CorpusResult:
    scores: dict[str, FigureScore]  # split → score
    refused: dict[str, str] = field(default_factory=dict)  # document → the extractor's reason

    def report(self, misses_for: tuple[str, ...] = ()) -> str:
        lines = []
        for split, score in self.scores.items():
            lines.append(f"== {split}: {score.documents} documents")
            lines.append(score.report(list_misses=split in misses_for))
        if self.refused:
            lines.append("refused documents (scored as extracting nothing):")
            lines += [f"  {doc}: {reason}" for doc, reason in sorted(self.refused.items())]
        return "\n".join(lines)


def header_region(path: Path, qualified: bool = False) -> str | None:
    """The region a corpus text's header names (the name before its parenthesis); `qualified`: with the
    parenthesis' first part before it (陕西省西安市 + 西安经济技术开发区), as a user qualifies a name the
    extractor finds ambiguous."""
    with open(path, encoding="utf-8") as f:
        for _, line in zip(range(5), f):
            m = _REGION_HEADER.match(line.strip())
            if m:
                parent = re.split(r"[,，、\s]", m.group("detail") or "", maxsplit=1)[0]
                return parent + m.group("name") if qualified and re.search(r"[省市区州盟]$", parent) else m.group("name")
    return None


def extract_corpus_document(path: Path, reference_dir: Path, plans_dir: Path) -> pd.DataFrame:
    """Every figure the extractor reads from one document, given only its region (as `planwatch extract --region`).

    A name the extractor refuses as ambiguous is given again qualified by the province or city the header
    names, as its message asks a user to do.
    """
    from planwatch.plans.extract import extract_paths
    from planwatch.regions import AmbiguousRegion

    try:
        [extraction] = extract_paths([path], plans_dir, reference_dir, header_region(path))
    except AmbiguousRegion:
        [extraction] = extract_paths([path], plans_dir, reference_dir, header_region(path, qualified=True))
    return extracted_figures(extraction.targets, extraction.actuals)


def evaluate(corpus_dir: Path = DEFAULT_CORPUS, split_file: Path = DEFAULT_SPLIT,
             reference_dir: Path | None = None, plans_dir: Path | None = None) -> CorpusResult:
    from planwatch.config import get_paths

    paths = get_paths()
    reference_dir = reference_dir or paths.reference_dir
    plans_dir = plans_dir or paths.plans_dir
    split = pd.read_csv(split_file, dtype=str)
    gold = gold_figures(pd.read_csv(Path(corpus_dir) / "dev_gold.csv", dtype=str, keep_default_na=False))
    result = CorpusResult(scores={})
    for name, docs in split.groupby("split", sort=True):
        frames = []
        for doc in docs["doc_file"]:
            try:
                frames.append(extract_corpus_document(Path(corpus_dir) / "dev" / doc, reference_dir, plans_dir))
            except ValueError as exc:  # DocumentError, ManifestError, region errors: the user would see this
                result.refused[doc] = str(exc).split(": ", 1)[-1]
        extracted = pd.concat(frames, ignore_index=True) if frames else extracted_figures(None, None)
        result.scores[name] = score_figures(extracted, gold[gold["document"].isin(set(docs["doc_file"]))],
                                            documents=len(docs))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--misses", action="store_true", help="list misses and extras of the development documents")
    args = parser.parse_args(argv)
    result = evaluate(args.corpus, args.split)
    print(result.report(misses_for=("development",) if args.misses else ()))


if __name__ == "__main__":
    main()
