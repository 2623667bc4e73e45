-- Undated: targets of a document that states no year (nor was given one) and whose own sentence or
-- row gives none. They are kept in staging but cannot be tracked against actuals (fct_plan_target
-- and target_vs_actual leave them out): give the document's year with the manifest's
-- start_year/end_year (or `planwatch extract --year`), or accept the flag.
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
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
    null::double as suggested_value,
    format('"{}" states no year and its document gives none; set the year in seeds/plans/manifest.csv to track it',
           t.indicator_as_written) as message,
    t.document as evidence_source,
    t.source_line as evidence_line,
    t.source_text as evidence_text,
    f.first_seen
from targets as t
left join first_loads as f on t.target_key = f.target_key
where t.target_year is null
