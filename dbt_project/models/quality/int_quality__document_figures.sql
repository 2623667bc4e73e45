-- The figures each document states, one row per document × indicator × year × sort × value: level
-- targets (sort target) and, as achieved figures (sort achieved), the baselines stated with targets
-- and the full-year levels the text reports. Values as extracted (before reviewer corrections). The
-- shared input of the checks that relate one document's figures to each other (subset, share).
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

reported as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

first_reported as (
    select * from {{ ref('stg_reported_actual_first_loads') }}
),

figures as (
    -- level targets
    select
        'target' as entity, t.target_id as entity_id, 'target' as sort, 'target' as figure_kind,
        t.plan_id, t.region_code, t.indicator_code, t.target_year as year, t.value_original as value, t.canonical_unit as unit,
        t.document, t.source_line, t.source_text, f.first_seen
    from targets as t
    left join first_loads as f on t.target_key = f.target_key
    where t.target_type = 'level' and not coalesce(t.cumulative, false) and not coalesce(t.per_year, false)
        and t.value_original > 0
    union all
    -- baselines stated with targets
    select
        'target', t.target_id, 'achieved', 'baseline',
        t.plan_id, t.region_code, t.indicator_code, t.baseline_year, t.baseline_value_canonical, t.canonical_unit,
        t.document, t.source_line, t.source_text, f.first_seen
    from targets as t
    left join first_loads as f on t.target_key = f.target_key
    where t.target_type = 'level' and t.baseline_year is not null and t.baseline_value_canonical > 0
    union all
    -- full-year levels the text reports
    select
        'reported_actual', r.reported_actual_id, 'achieved', 'reported figure',
        r.plan_id, r.region_code, r.indicator_code, r.period_end_year, r.value_original, r.canonical_unit,
        r.document, r.source_line, r.source_text, coalesce(f.first_seen, r.loaded_at)
    from reported as r
    left join first_reported as f on r.reported_actual_id = f.reported_actual_id
    where r.measure = 'level' and r.period_type = 'year' and r.value_original > 0
),

-- One figure per document × indicator × year × sort × value (a baseline repeated on milestone rows).
distinct_figures as (
    select distinct on (plan_id, region_code, indicator_code, year, sort, value) *
    from figures
    where indicator_code is not null and year is not null
    order by plan_id, region_code, indicator_code, year, sort, value, figure_kind = 'target' desc, figure_kind = 'baseline' desc, source_line, entity_id
)

select * from distinct_figures
