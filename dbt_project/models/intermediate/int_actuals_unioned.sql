-- Every actual the warehouse knows, from statistics files and from the plans' own
-- reports of past years, on one grain: region × indicator × period × source.
with

statistics as (
    select * from {{ ref('stg_statistics') }}
),

reported as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

from_statistics as (
    select
        region_code,
        indicator_code,
        'statistics' as actual_origin,
        period_label,
        period_type,
        period_start,
        period_end,
        is_ytd,
        measure,
        base_year,
        value,
        unit,
        coalesce(source, file) as actual_source,
        file as evidence_file,
        file_row as evidence_row,
        loaded_at
    from statistics
    where value is not null  -- a reviewer excluded the value (see stg_statistics)
),

from_plans as (
    select
        region_code,
        indicator_code,
        'plan_document' as actual_origin,
        case when period_start_year = period_end_year then period_end_year::varchar
             else period_start_year::varchar || '-' || period_end_year::varchar end as period_label,
        case when period_start_year = period_end_year then 'year' else 'multi_year' end as period_type,
        make_date(period_start_year, 1, 1) as period_start,
        make_date(period_end_year, 12, 31) as period_end,
        false as is_ytd,
        measure,
        null::integer as base_year,
        value_canonical as value,
        canonical_unit as unit,
        document as actual_source,
        document as evidence_file,
        source_line as evidence_row,
        loaded_at
    from reported
    where indicator_code is not null and value_canonical is not null
        and period_end_year is not null  -- a figure of an undated document with no year of its own: no point in time
)

select * from from_statistics
union all by name
select * from from_plans
