-- Undated: figures of a document that states no year (nor was given one) and whose own sentence or
-- row gives none. They are kept in staging but cannot be placed in time: give the document's year
-- with the manifest's start_year/end_year (or `planwatch extract --year`), or accept the flag.
--   target_without_year: a target (fct_plan_target and target_vs_actual leave it out);
--   actual_without_year: a reported achieved figure (int_actual_candidates leaves it out: it has no
--     period to meet the other sources' figures in).
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

reported as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

-- when each reported figure was first loaded (stg_reported_actual_first_loads)
first_reported as (
    select * from {{ ref('stg_reported_actual_first_loads') }}
)

select
    'undated' as check_family,
    'target_without_year' as check_name,
    'warning' as severity,
    'target' as entity,
    t.target_id as entity_id,
    t.plan_id,
    t.region_code,
    t.indicator_code,
    null::varchar as period,
    t.value_original as value,
    t.unit_as_written as unit,
    'a target year' as expected_value,
    null::double precision as suggested_value,
    {{ format_fn() }}('"{}" states no year and its document gives none; set the year in seeds/plans/manifest.csv to track it',
           {{ format_arg() }}(t.indicator_as_written)) as message,
    t.document as evidence_source,
    t.source_line as evidence_line,
    t.source_text as evidence_text,
    f.first_seen
from targets as t
left join first_loads as f on t.target_key = f.target_key
where t.target_year is null

union all

select
    'undated' as check_family,
    'actual_without_year' as check_name,
    'warning' as severity,
    'reported_actual' as entity,
    r.reported_actual_id as entity_id,
    r.plan_id,
    r.region_code,
    r.indicator_code,
    null::varchar as period,
    r.value_original as value,
    r.unit_as_written as unit,
    'a year or period' as expected_value,
    null::double precision as suggested_value,
    {{ format_fn() }}('"{}" (an achieved figure) states no year and its document gives none; give the document''s year in seeds/plans/manifest.csv (or planwatch extract --year) to compare it with targets',
           {{ format_arg() }}(r.indicator_as_written)) as message,
    r.document as evidence_source,
    r.source_line as evidence_line,
    r.source_text as evidence_text,
    coalesce(f.first_seen, r.loaded_at) as first_seen
from reported as r
left join first_reported as f on r.reported_actual_id = f.reported_actual_id
where r.period_label is null
