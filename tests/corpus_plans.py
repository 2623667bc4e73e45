"""A seeds folder whose plan documents are the development corpus (never the holdout), for whole-pipeline tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd

from planwatch.plans.corpus import DEFAULT_CORPUS, DEFAULT_SPLIT, header_region

# The header's region name where it is not the reference's (包头市昆都仑区 is 昆都仑区 there).
_REGION_NAMES = {"包头市昆都仑区": "昆都仑区"}


def development_documents(split_file: Path = DEFAULT_SPLIT) -> list[str]:
    split = pd.read_csv(split_file, dtype=str)
    return sorted(split.loc[split["split"] == "development", "doc_file"])


def corpus_seeds(seeds: Path, target: Path, corpus: Path = DEFAULT_CORPUS) -> Path:
    """A copy of `seeds` whose plans are the development corpus documents, each with a manifest row giving only
    its region (as `planwatch extract --region` is given it): period and kind are left for the text to say."""
    from planwatch.regions import RegionResolver

    shutil.copytree(seeds, target)
    plans = target / "plans"
    shutil.rmtree(plans)
    plans.mkdir()
    resolver = RegionResolver.default(target / "reference")
    rows = []
    for doc in development_documents():
        shutil.copy(corpus / "dev" / doc, plans / doc)
        name = header_region(corpus / "dev" / doc)
        region = resolver.resolve(_REGION_NAMES.get(name, name))
        rows.append({"document": doc, "plan_id": f"corpus-{doc.split('_')[0]}", "region_name": region.region_name,
                     "region_code": region.region_code, "plan_kind": "", "start_year": "", "end_year": ""})
    with open(plans / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target
