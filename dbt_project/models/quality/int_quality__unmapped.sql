-- Unmapped: targets whose indicator name the catalog could not match (they are kept with
-- a null indicator_code and never reach target-versus-actual). Add an alias to
-- seeds/reference/indicator_aliases.csv, or accept the flag for figures that are not
-- regional indicators.
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
)

select
    'unmapped' as check_family,
    'unmatched_indicator' as check_name,
    'warning' as severity,
    'target' as entity,
    t.target_id as entity_id,
    t.plan_id,
    t.region_code,
    null::varchar as indicator_code,
    t.target_year::varchar as period,
    t.value_original as value,
    t.unit_as_written as unit,
    'an indicator of the catalog' as expected_value,
    null::double precision as suggested_value,
    {{ format_fn() }}('the catalog matches no indicator to "{}" (best score {})', {{ format_arg() }}(t.indicator_as_written), {{ format_arg() }}(coalesce({{ as_text('round(t.match_score, 0)') }}, '-'))) as message,
    t.document as evidence_source,
    t.source_line as evidence_line,
    t.source_text as evidence_text,
    f.first_seen
from targets as t
left join first_loads as f on t.target_key = f.target_key
where t.indicator_code is null
