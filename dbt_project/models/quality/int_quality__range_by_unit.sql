-- Range by unit: values impossible or implausible for what they measure — shares outside
-- 0–100 %, negative counts, fractional counts, growth rates beyond the plausible range
-- (quality_growth_pct_min … quality_growth_pct_max) — in plan targets and statistics.
-- Targets a decimal-shift or unit flag already explains are left out (one typo, one flag).
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

statistics as (
    select * from {{ ref('stg_statistics') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

explained as (
    select entity_id from {{ ref('int_quality__decimal_shift') }}
    union
    select entity_id from {{ ref('int_quality__unit') }} where check_name = 'magnitude_fits_other_unit'
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

-- Targets and statistics on one shape: what is measured, the value, the evidence.
values_ as (
    select
        'target' as entity,
        t.target_id as entity_id,
        t.plan_id,
        t.region_code,
        t.indicator_code,
        t.target_year::varchar as period,
        case when t.target_type in ('growth_pct', 'annual_avg_growth_pct') then 'growth' else t.target_type end as measure_kind,
        t.value_original as value,
        t.canonical_unit as unit,
        i.value_kind,
        t.document as evidence_source,
        t.source_line as evidence_line,
        t.source_text as evidence_text,
        f.first_seen
    from targets as t
    left join indicators as i on t.indicator_code = i.indicator_code
    left join first_loads as f on t.target_key = f.target_key
    where t.value_original is not null
        and t.target_id not in (select entity_id from explained)
    union all
    select
        'statistic',
        {{ statistic_entity_id('s.') }},
        null,
        s.region_code,
        s.indicator_code,
        s.period_label,
        case when s.measure = 'growth_pct' then 'growth' else s.measure end,
        s.value_original,
        s.unit,
        i.value_kind,
        s.file,
        s.file_row,
        null,
        s.loaded_at
    from statistics as s
    left join indicators as i on s.indicator_code = i.indicator_code
),

checked as (
    select
        *,
        case
            when measure_kind = 'level' and value_kind = 'share' and unit = '%' and (value < 0 or value > 100)
                then 'share_out_of_range'
            when measure_kind in ('level', 'increment') and value_kind = 'count' and value < 0
                then 'negative_count'
            when measure_kind in ('level', 'increment') and value_kind = 'count' and value <> round(value, 0)
                then 'fractional_count'
            when measure_kind = 'growth'
                and (value > {{ var('quality_growth_pct_max') }} or value < {{ var('quality_growth_pct_min') }})
                then 'implausible_growth'
        end as check_name
    from values_
)

select
    'range_by_unit' as check_family,
    check_name,
    case when check_name in ('share_out_of_range', 'negative_count') then 'error' else 'warning' end as severity,
    entity,
    entity_id,
    plan_id,
    region_code,
    indicator_code,
    period,
    value,
    unit,
    case check_name
        when 'share_out_of_range' then '0 to 100 %'
        when 'negative_count' then '0 or more'
        when 'fractional_count' then 'a whole number'
        else {{ format_fn() }}('{} % to {} % a year', {{ format_arg() }}({{ var('quality_growth_pct_min') }}), {{ format_arg() }}({{ var('quality_growth_pct_max') }}))
    end as expected_value,
    -- the nearest value the check allows (a growth rate has no level to weigh it against)
    case check_name
        when 'share_out_of_range' then greatest(0, least(100, value))
        when 'negative_count' then 0
        when 'fractional_count' then round(value, 0)
    end as reference_value,
    case when check_name = 'fractional_count' then round(value, 0) end as suggested_value,
    case check_name
        when 'share_out_of_range' then {{ format_fn() }}('a share of {} % is impossible', {{ format_arg() }}({{ number_text('value') }}))
        when 'negative_count' then {{ format_fn() }}('a count of {} is impossible', {{ format_arg() }}({{ number_text('value') }}))
        when 'fractional_count' then {{ format_fn() }}('a count of {} {} is not a whole number', {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}(unit))
        else {{ format_fn() }}('a growth rate of {} % is implausible', {{ format_arg() }}({{ number_text('value') }}))
    end as message,
    evidence_source,
    evidence_line,
    evidence_text,
    first_seen
from checked
where check_name is not null
