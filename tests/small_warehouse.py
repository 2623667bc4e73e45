"""A small published warehouse built by the tests themselves (marts only, real column names)."""

from __future__ import annotations

from pathlib import Path

import duckdb

DDL = {
    "dim_region": """
        region_code varchar not null primary key, region_name varchar not null, short_name varchar, level varchar,
        level_zh varchar, division_type varchar, parent_code varchar, province_code varchar, province_name varchar,
        prefecture_code varchar, prefecture_name varchar""",
    "dim_indicator": """
        indicator_code varchar not null primary key, indicator_name varchar not null, indicator_name_en varchar,
        unit varchar, value_kind varchar, direction varchar, category varchar, description varchar""",
    "fct_plan_target": """
        target_id varchar not null primary key, plan_id varchar not null, region_code varchar not null,
        indicator_code varchar, indicator_as_written varchar, target_year integer not null, target_type varchar,
        qualifier varchar, stretch boolean, value_as_written double, unit_as_written varchar, target_value double,
        target_low double, target_high double, unit varchar, unit_issue varchar, attribute varchar, cumulative boolean,
        per_year boolean, baseline_year integer, baseline_value double, baseline_unit varchar,
        baseline_value_canonical double, match_method varchar, match_score double, conflict_group varchar,
        document varchar, source_kind varchar, source_line integer, source_lines varchar, source_text varchar,
        figure_key varchar not null, entered_by varchar not null, review_status varchar not null, reviewed_by varchar,
        reviewed_on date, review_reason varchar""",
    "target_vs_actual": """
        region_code varchar not null, region_name varchar, indicator_code varchar not null, indicator_name varchar,
        unit varchar, direction varchar, plan_id varchar not null, year bigint not null, baseline_year integer,
        baseline_value double, target_value double, is_milestone boolean, final_target_year integer,
        final_target_value double, target_type varchar, qualifier varchar, attribute varchar, actual_value double,
        actual_period varchar, actual_is_ytd boolean, actual_source varchar, actual_source_kind varchar,
        actual_document varchar, actual_line bigint, actual_text varchar, actual_agreement varchar, progress_share double,
        elapsed_share double, schedule_ratio double, cagr_actual double, cagr_required double,
        projected_final_value double, status varchar, status_reason varchar, method varchar, status_zh varchar""",
    "dim_actual_source": """
        source_kind varchar not null primary key, source_rank integer not null, label_zh varchar, document_kinds varchar,
        description varchar""",
}

ACTUAL_SOURCES = [
    ("statistics_file", 1, "统计数据文件", "", "A statistics file."),
    ("report_text", 2, "公报、报告文字", "bulletin, report", "The text of a bulletin or report."),
    ("plan_review", 3, "规划回顾", "plan, work_plan", "A plan's review of past years."),
]
STATISTICS_FILE = "/data/seeds/statistics/daye_statistics.csv"
LUXI_BULLETIN = "luxi_county_statistical_bulletin_2022.txt"
LUXI_BULLETIN_TEXT = "2022年，全县全社会研发经费投入强度为0.95%，比上年提高0.05个百分点"


REGIONS = [
    ("420281", "大冶市", "大冶", "county", "县级", "县级市", "420200", "420000", "湖北省", "420200", "黄石市"),
    ("433122", "泸溪县", "泸溪", "county", "县级", "县", "433100", "430000", "湖南省", "433100", "湘西土家族苗族自治州"),
]

INDICATORS = [
    ("high_tech_enterprises", "高新技术企业数", "High-tech enterprises", "家", "count", "higher_is_better", "innovation_entities", "认定的高新技术企业数量"),
    ("sme_tech_enterprises", "科技型中小企业数", "Tech SMEs", "家", "count", "higher_is_better", "innovation_entities", "入库的科技型中小企业"),
    ("rd_intensity", "全社会研发经费投入占GDP比重", "R&D intensity", "%", "share_pct", "higher_is_better", "rd_input", "R&D/GDP"),
]

DAYE = "daye-sti-fyp-2021-2025"
LUXI = "luxi-sti-fyp-2021-2025"
DAYE_DOC = "daye_city_sti_five_year_plan_2021_2025.txt"
LUXI_DOC = "luxi_county_sti_five_year_plan_2021_2025.txt"
FORMULA_SOURCE = '=HYPERLINK("http://example.invalid","点我")'


def _tva_rows() -> list[dict]:
    rows = []

    def add(region_code, region_name, code, name, unit, plan, year, base_y, base_v, target, milestone, final_v,
            actual=None, period=None, ytd=None, source=None, status="no_data", status_zh="数据不足", reason=None,
            provenance=None):
        rows.append(dict(
            region_code=region_code, region_name=region_name, indicator_code=code, indicator_name=name, unit=unit,
            direction="higher_is_better", plan_id=plan, year=year, baseline_year=base_y, baseline_value=base_v,
            target_value=target, is_milestone=milestone, final_target_year=2025, final_target_value=final_v,
            target_type="level", qualifier="exact", attribute="预期性", actual_value=actual, actual_period=period,
            actual_is_ytd=ytd, actual_source=source,
            **dict(zip(("actual_source_kind", "actual_document", "actual_line", "actual_text", "actual_agreement"),
                       provenance or ((None,) * 5 if actual is None else ("statistics_file", STATISTICS_FILE, year - 2000, None,
                                                                          "single_source")))),
            progress_share=None if actual is None else (actual - base_v) / (final_v - base_v),
            elapsed_share=None if actual is None else (year - 2020) / 5, schedule_ratio=None, cagr_actual=None,
            cagr_required=None, projected_final_value=None, status=status,
            status_reason=reason or (f"no actual for {year}" if actual is None else f"progress at {year}"),
            method="distance_share_vs_elapsed/linear", status_zh=status_zh))

    # 大冶市 high-tech enterprises: full-year actuals, achieved
    for y, t in zip(range(2021, 2026), (199.2, 249.4, 299.6, 349.8, 400.0)):
        actual = {2021: 335.0, 2023: 380.0}.get(y)
        add("420281", "大冶市", "high_tech_enterprises", "高新技术企业数", "家", DAYE, y, 2020, 149.0, t, y == 2025, 400.0,
            actual, str(y) if actual else None, False if actual else None,
            "https://example.invalid/daye-statistics" if actual else None,
            "achieved" if actual else "no_data", "已实现" if actual else "数据不足")
    # 大冶市 tech SMEs: a year-to-date point in 2025, and a formula-looking source
    for y, t in zip(range(2021, 2026), (205.6, 279.2, 352.8, 426.4, 500.0)):
        actual = {2022: 300.0, 2025: 460.0}.get(y)
        add("420281", "大冶市", "sme_tech_enterprises", "科技型中小企业数", "家", DAYE, y, 2020, 132.0, t, y in (2023, 2025), 500.0,
            actual, {2022: "2022", 2025: "2025-01..09 YTD"}.get(y), {2022: False, 2025: True}.get(y),
            {2022: FORMULA_SOURCE, 2025: "大冶市科学技术局 2025年1-9月"}.get(y),
            {2022: "on_track", 2025: "needs_acceleration"}.get(y, "no_data"),
            {2022: "符合序时进度", 2025: "略滞后"}.get(y, "数据不足"))
    # 泸溪县 R&D intensity: behind, plus a status the report does not know
    for y, t in zip(range(2021, 2026), (1.1, 1.3, 1.5, 1.7, 1.9)):
        actual = {2022: 0.95, 2024: 0.9}.get(y)
        status = {2022: "well_behind", 2024: "mystery_status"}.get(y, "no_data")
        # 2022 read from a statistical bulletin's text (no statistics file has it); 2024 a statistics file
        # that a plan's review contradicts
        provenance = {2022: ("report_text", LUXI_BULLETIN, 7, LUXI_BULLETIN_TEXT, "single_source"),
                      2024: ("statistics_file", "/data/seeds/statistics/xiangxi.csv", 12, None, "contradicted")}.get(y)
        add("433122", "泸溪县", "rd_intensity", "全社会研发经费投入占GDP比重", "%", LUXI, y, 2020, 0.9, t, y == 2025, 1.9,
            actual, str(y) if actual else None, False if actual else None,
            {2022: LUXI_BULLETIN, 2024: "湘西州统计局"}.get(y),
            status, {"well_behind": "明显滞后", "mystery_status": "神秘状态"}.get(status, "数据不足"), provenance=provenance)
    return rows


def _target_rows() -> list[dict]:
    base = dict(stretch=False, target_low=None, target_high=None, unit_issue=None, attribute="预期性", cumulative=False,
                per_year=False, baseline_unit=None, match_method="exact", match_score=100.0, conflict_group=None,
                source_kind="table", source_lines=None, target_type="level", qualifier="exact",
                entered_by="extractor", review_status="open", reviewed_by=None, reviewed_on=None, review_reason=None)
    return [
        {**base, "target_id": "t1", "figure_key": "k1", "plan_id": DAYE, "region_code": "420281", "indicator_code": "high_tech_enterprises",
         "indicator_as_written": "高新技术企业数量", "target_year": 2025, "value_as_written": 400.0, "unit_as_written": "家",
         "target_value": 400.0, "unit": "家", "baseline_year": 2020, "baseline_value": 149.0, "baseline_value_canonical": 149.0,
         "document": DAYE_DOC, "source_line": 143, "source_text": "引领发展 高新技术企业数量 家 149 400"},
        {**base, "target_id": "t2", "figure_key": "k2", "plan_id": DAYE, "region_code": "420281", "indicator_code": "sme_tech_enterprises",
         "indicator_as_written": "科技型中小企业入库数量", "target_year": 2025, "value_as_written": 500.0, "unit_as_written": "家",
         "target_value": 500.0, "unit": "家", "baseline_year": 2020, "baseline_value": 132.0, "baseline_value_canonical": 132.0,
         "document": DAYE_DOC, "source_line": 144, "source_text": "科技型中小企业入库数量 家 132 500"},
        {**base, "target_id": "t3", "figure_key": "k3", "plan_id": DAYE, "region_code": "420281", "indicator_code": "sme_tech_enterprises",
         "indicator_as_written": "科技型中小企业", "target_year": 2023, "value_as_written": 352.8, "unit_as_written": "家",
         "target_value": 352.8, "unit": "家", "baseline_year": 2020, "baseline_value": 132.0, "baseline_value_canonical": 132.0,
         "document": DAYE_DOC, "source_line": 201, "source_text": "到2023年，科技型中小企业达到352.8家"},
        {**base, "target_id": "t4", "figure_key": "k4", "plan_id": LUXI, "region_code": "433122", "indicator_code": "rd_intensity",
         "indicator_as_written": "全社会研发经费投入占GDP比重", "target_year": 2025, "value_as_written": 1.9, "unit_as_written": "%",
         "target_value": 1.9, "unit": "%", "baseline_year": 2020, "baseline_value": 0.9, "baseline_value_canonical": 0.9,
         "document": LUXI_DOC, "source_line": 88, "source_text": "-全社会研发经费投入占GDP比重达到1.9%"},
    ]


def make_warehouse(path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        for table, ddl in DDL.items():
            con.execute(f"create table marts.{table} ({ddl})")
        con.executemany("insert into marts.dim_region values (?,?,?,?,?,?,?,?,?,?,?)", REGIONS)
        con.executemany("insert into marts.dim_indicator values (?,?,?,?,?,?,?,?)", INDICATORS)
        con.executemany("insert into marts.dim_actual_source values (?,?,?,?,?)", ACTUAL_SOURCES)
        for table, rows in (("fct_plan_target", _target_rows()), ("target_vs_actual", _tva_rows())):
            cols = [c.strip().split()[0] for c in DDL[table].split(",")]
            con.executemany(
                f"insert into marts.{table} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
                [[r.get(c) for c in cols] for r in rows],
            )
    finally:
        con.close()
    return path
