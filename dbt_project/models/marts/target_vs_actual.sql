-- Target versus actual per region × indicator × plan × year of the plan period.
-- Progress is measured on the distance from baseline to final target, against the
-- share of the plan period elapsed at the actual's period end (序时进度), so that a
-- large baseline does not make progress look better than it is.
with

paths as (
    select * from {{ ref('int_target_paths') }}
),

actuals as (
    select * from {{ ref('int_actuals_unioned') }}
    where measure = 'level'
),

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

regions as (
    select * from {{ ref('stg_regions') }}
),

-- The actual for a path year: the full-year value if there is one (statistics before
-- the plans' own reports), else the latest year-to-date value of that year.
actual_for_year as (
    select
        paths.plan_id,
        paths.indicator_code,
        paths.year,
        actuals.value as actual_value,
        actuals.period_label as actual_period,
        actuals.period_end as actual_period_end,
        actuals.is_ytd as actual_is_ytd,
        actuals.actual_source,
        actuals.actual_origin
    from paths
    inner join actuals
        on paths.region_code = actuals.region_code
        and paths.indicator_code = actuals.indicator_code
        and year(actuals.period_end) = paths.year
        and actuals.period_type in ('year', 'ytd')
    qualify row_number() over (
        partition by paths.plan_id, paths.indicator_code, paths.year
        order by (actuals.period_type = 'year') desc, (actuals.actual_origin = 'statistics') desc, actuals.period_end desc
    ) = 1
),

joined as (
    select
        paths.*,
        final_target.qualifier,
        final_target.attribute,
        final_target.target_type,
        indicators.indicator_name,
        indicators.unit,
        indicators.direction,
        regions.region_name,
        a.actual_value,
        a.actual_period,
        a.actual_period_end,
        a.actual_is_ytd,
        a.actual_source,
        coalesce(paths.baseline_year, paths.plan_start_year - 1) as period_base_year
    from paths
    inner join targets as final_target on paths.final_target_id = final_target.target_id
    inner join indicators on paths.indicator_code = indicators.indicator_code
    left join regions on paths.region_code = regions.region_code
    left join actual_for_year as a
        on paths.plan_id = a.plan_id and paths.indicator_code = a.indicator_code and paths.year = a.year
),

measured as (
    select
        *,
        actual_value is not null as has_actual,
        (actual_value - baseline_value) / nullif(final_target_value - baseline_value, 0) as progress_share,
        datediff('day', make_date(period_base_year, 12, 31), actual_period_end)
            / nullif(datediff('day', make_date(period_base_year, 12, 31), make_date(final_target_year, 12, 31)), 0)::double
            as elapsed_share,
        case
            when direction = 'lower_is_better' or qualifier = 'at_most' then actual_value <= final_target_value
            when qualifier = 'approximately' then abs(actual_value - final_target_value)
                <= {{ var('approx_tolerance_relative') }} * abs(final_target_value)
            else actual_value >= final_target_value
        end as achieved,
        datediff('day', make_date(period_base_year, 12, 31), actual_period_end) / 365.25 as years_elapsed
    from joined
),

scored as (
    select
        *,
        progress_share / nullif(elapsed_share, 0) as schedule_ratio,
        case when baseline_value > 0 and actual_value > 0 and years_elapsed > 0
            then power(actual_value / baseline_value, 1 / years_elapsed) - 1 end as cagr_actual,
        case when baseline_value > 0 and final_target_value > 0 and final_target_year > period_base_year
            then power(final_target_value / baseline_value, 1.0 / (final_target_year - period_base_year)) - 1 end as cagr_required
    from measured
),

final as (
    select
        region_code,
        region_name,
        indicator_code,
        indicator_name,
        unit,
        direction,
        plan_id,
        year,
        baseline_year,
        baseline_value,
        target_path_value as target_value,
        is_milestone,
        final_target_year,
        final_target_value,
        target_type,
        qualifier,
        attribute,
        actual_value,
        actual_period,
        actual_is_ytd,
        actual_source,
        progress_share,
        elapsed_share,
        schedule_ratio,
        cagr_actual,
        cagr_required,
        case when cagr_actual is not null
            then actual_value * power(1 + cagr_actual, (final_target_year - period_base_year) - years_elapsed) end
            as projected_final_value,
        {{ progress_status('coalesce(achieved, false)', 'has_actual', 'progress_share', 'elapsed_share', 'schedule_ratio', 'attribute') }} as status,
        case
            when not has_actual then 'no actual for ' || year::varchar
            when baseline_value is null then 'the plan gives no baseline to measure progress from'
            else 'progress ' || round(100 * progress_share, 1)::varchar || '% of the distance at '
                || round(100 * elapsed_share, 1)::varchar || '% of the period (' || actual_period || ')'
        end as status_reason,
        'distance_share_vs_elapsed/' || path_method as method
    from scored
)

select
    *,
    {{ status_zh('status') }} as status_zh
from final
