-- One full-year actual per region × indicator × measure × year: the chosen candidate of each key
-- (int_actual_candidates: statistics files before text, by seeds/reference/actual_sources.csv).
-- Baselines and year-on-year growth read it.
with

chosen as (
    select * from {{ ref('int_actual_candidates') }}
    where is_chosen and period_type = 'year'
)

select distinct on (region_code, indicator_code, measure, year(period_end))
    region_code,
    indicator_code,
    measure,
    year(period_end) as year,
    value,
    period_label,
    source_kind,
    actual_source,
    source_document,
    source_line,
    source_text,
    key_agreement
from chosen
-- cumulative growth rates since two base years are two keys of one year: the best-ranked, latest base
order by region_code, indicator_code, measure, year(period_end), source_rank, base_year desc nulls last, loaded_at desc
