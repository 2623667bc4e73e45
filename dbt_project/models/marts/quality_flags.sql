-- Every quality flag of the build, one row per flag: what was checked, the value and what
-- was expected, the suggested correction, the evidence (document:line and text, or
-- file:row), when the evidence was first loaded, and the reviewer's decision
-- (seeds/reference/corrections.csv). An open error-severity flag blocks publishing (GX
-- quality_flags_suite); warnings never do.
with

flags as (
    select * from {{ ref('int_quality__decimal_shift') }}
    union all by name
    select * from {{ ref('int_quality__trajectory') }}
    union all by name
    select * from {{ ref('int_quality__range_by_unit') }}
    union all by name
    select * from {{ ref('int_quality__contradiction') }}
    union all by name
    select * from {{ ref('int_quality__unit') }}
    union all by name
    select * from {{ ref('int_quality__statistics') }}
    union all by name
    select * from {{ ref('int_quality__statistic_shift') }}
    union all by name
    select * from {{ ref('int_quality__unmapped') }}
    union all by name
    select * from {{ ref('int_quality__undated') }}
    union all by name
    select * from {{ ref('int_quality__derived') }}
    union all by name
    select * from {{ ref('int_quality__plan_path') }}
    union all by name
    select * from {{ ref('int_quality__subset') }}
    union all by name
    select * from {{ ref('int_quality__share') }}
),

targets as (
    select target_id, indicator_as_written, source_kind, source_line, source_context from {{ ref('stg_plan_targets') }}
),

regions as (
    select * from {{ ref('stg_regions') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

corrections as (
    select * from {{ ref('stg_corrections') }}
),

keyed as (
    select
        {{ quality_flag_key('flags.check_family', 'flags.check_name', 'flags.entity', 'flags.entity_id') }} as flag_key,
        flags.*
    from flags
),

final as (
    select
        keyed.flag_key,
        keyed.severity,
        keyed.check_family,
        keyed.check_name,
        keyed.entity,
        keyed.entity_id,
        keyed.plan_id,
        keyed.region_code,
        regions.region_name,
        keyed.indicator_code,
        coalesce(indicators.indicator_name, targets.indicator_as_written) as indicator_name,
        keyed.period,
        keyed.value,
        keyed.unit,
        keyed.expected_value,
        keyed.suggested_value,
        keyed.message,
        keyed.evidence_source || ':' || coalesce(keyed.evidence_line::varchar, '?')
            || coalesce(' ' || keyed.evidence_text, '')
            -- a table cell's text is the number alone: add its row and column
            || case when targets.source_kind = 'table' and keyed.evidence_line = targets.source_line
                    and targets.source_context is not null then ' — ' || targets.source_context else '' end
            as evidence,
        keyed.evidence_source,
        keyed.evidence_line::integer as evidence_line,
        keyed.first_seen,
        case corrections.decision
            when 'accept' then 'accepted'
            when 'correct' then 'corrected'
            when 'exclude' then 'excluded'
            else 'open'
        end as status,
        corrections.decision,
        corrections.corrected_value,
        corrections.reason as decision_reason,
        corrections.reviewer,
        corrections.decided_on,
        keyed.severity = 'error' and corrections.decision is null as blocks_publishing,
        keyed.severity = 'warning' and corrections.decision is null as needs_review
    from keyed
    left join corrections on keyed.flag_key = corrections.flag_key
    left join regions on keyed.region_code = regions.region_code
    left join indicators on keyed.indicator_code = indicators.indicator_code
    left join targets on keyed.entity = 'target' and keyed.entity_id = targets.target_id
)

select * from final
