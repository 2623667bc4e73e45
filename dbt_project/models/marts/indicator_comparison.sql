-- One canonical indicator across regions: baseline, final target, latest actual, the
-- yearly growth the target requires (its ambition) and the latest status, with its Open SDG score, and
-- the series' own trend (fct_indicator_trend: every year, before the plan too).
with

progress as (
    select * from {{ ref('target_vs_actual') }}
    where target_type <> 'growth_pct'
),

per_target as (
    select
        plan_id,
        indicator_code,
        any_value(indicator_name) as indicator_name,
        any_value(unit) as unit,
        any_value(direction) as direction,
        region_code,
        any_value(region_name) as region_name,
        any_value(target_type) as target_type,
        any_value(baseline_year) as baseline_year,
        any_value(baseline_value) as baseline_value,
        any_value(final_target_year) as final_target_year,
        any_value(final_target_value) as final_target_value,
        any_value(cagr_required) as required_yearly_growth
    from progress
    group by plan_id, region_code, indicator_code
),

latest as (
    select distinct on (plan_id, region_code, indicator_code) plan_id, region_code, indicator_code, year as latest_year, actual_value as latest_actual, actual_period as latest_actual_period,
           actual_source_kind as latest_actual_source_kind, actual_source as latest_actual_source,
           status as latest_status, status_zh as latest_status_zh, outlook as latest_outlook,
           progress_score as latest_score
    from progress
    where actual_value is not null
    order by plan_id, region_code, indicator_code, year desc
)

select
    md5(per_target.plan_id || '|' || per_target.indicator_code
        || case when per_target.region_code = plans.region_code then '' else '|' || per_target.region_code end) as comparison_id,
    per_target.*,
    latest.latest_year,
    latest.latest_actual,
    latest.latest_actual_period,
    latest.latest_actual_source_kind,
    latest.latest_actual_source,
    coalesce(latest.latest_status, 'no_data') as latest_status,
    coalesce(latest.latest_status_zh, no_data.status_zh) as latest_status_zh,
    latest.latest_outlook,
    rank() over (partition by per_target.indicator_code order by per_target.required_yearly_growth desc nulls last)
        as ambition_rank,
    latest.latest_score,
    trend.trend_status,
    trend.trend_score
from per_target
inner join {{ ref('stg_plans') }} as plans on per_target.plan_id = plans.plan_id
-- the label of no_data from the one list of statuses
cross join (select status_zh from {{ ref('progress_statuses') }} where status = 'no_data') as no_data
left join latest
    on per_target.plan_id = latest.plan_id and per_target.region_code = latest.region_code
    and per_target.indicator_code = latest.indicator_code
left join {{ ref('fct_indicator_trend') }} as trend
    on per_target.region_code = trend.region_code and per_target.indicator_code = trend.indicator_code
