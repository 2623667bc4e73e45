-- The trend of every region × indicator's actual series, with or without a plan target: the Open SDG
-- method for indicators without a quantitative target (open-sdg docs/progress-methodology.md;
-- Eurostat's short-term window). Growth is the compound yearly rate from the earliest full-year level
-- within trend_window_years of the latest one to the latest, CAGR = (y_latest / y_base)^(1/(t_latest −
-- t_base)) − 1, taken in the good direction (d·CAGR, d = −1 when lower is better) and banded at
-- trend_on_track_cagr (1.5%) / trend_acceleration_cagr (0.5%) / 0; its Open SDG score runs from −5 to 5.
-- The same growth in EUSTAT's five-band Eurostat variant (1% / 0.1% / −0.1% / −1%) is eurostat_trend_status.
-- Near a natural limit (seed indicator_limits: a share's 100%) both variants' above-zero cut-offs are
-- scaled by Open SDG's C = 1 − (base/limit)^4.44 (limit_coefficient).
-- Every year is history here, before the plan period too (int_yearly_actuals is not cut to plan years):
-- pre_plan_years says how many of the window's years lie before the region's first plan for the indicator.
with

levels as (
    select * from {{ ref('int_yearly_actuals') }}
    where measure = 'level'
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

limits as (
    select * from {{ ref('indicator_limits') }}
),

-- The first plan year of the plans that set the region a target for the indicator.
planned as (
    select t.region_code, t.indicator_code, min(p.start_year) as first_plan_start_year
    from {{ ref('stg_plan_targets') }} as t
    inner join {{ ref('stg_plans') }} as p on t.plan_id = p.plan_id
    where t.indicator_code is not null
    group by t.region_code, t.indicator_code
),

latest as (
    select region_code, indicator_code, max(year) as latest_year
    from levels
    group by region_code, indicator_code
),

windowed as (
    select l.*, latest.latest_year, planned.first_plan_start_year
    from levels as l
    inner join latest on l.region_code = latest.region_code and l.indicator_code = latest.indicator_code
    left join planned on l.region_code = planned.region_code and l.indicator_code = planned.indicator_code
    where l.year >= latest.latest_year - {{ var('trend_window_years') }}
),

spans as (
    select
        region_code,
        indicator_code,
        min(year) as base_year,
        {{ arg_min('value', 'year') }} as base_value,
        max(year) as latest_year,
        {{ arg_max('value', 'year') }} as latest_value,
        count(*) as years_observed,
        any_value(first_plan_start_year) as first_plan_start_year,
        count(*) filter (where year < first_plan_start_year) as pre_plan_years
    from windowed
    group by region_code, indicator_code
),

grown as (
    select
        s.*,
        i.indicator_name,
        i.unit,
        i.direction,
        case when i.direction = 'lower_is_better' then -1 else 1 end as direction_sign,
        lim.natural_limit,
        round({{ natural_limit_coefficient('s.base_value', 'lim.natural_limit') }}, {{ var('status_ratio_decimals') }})
            as limit_coefficient,
        case when s.latest_year > s.base_year and s.base_value > 0 and s.latest_value > 0
            then power(s.latest_value / s.base_value, 1.0 / (s.latest_year - s.base_year)) - 1 end as trend_cagr
    from spans as s
    inner join indicators as i on s.indicator_code = i.indicator_code
    left join limits as lim on s.indicator_code = lim.indicator_code
),

banded as (
    select
        *,
        round(direction_sign * trend_cagr, {{ var('status_ratio_decimals') }}) as directed_cagr
    from grown
)

select
    md5(b.region_code || '|' || b.indicator_code) as indicator_trend_id,
    b.region_code,
    r.region_name,
    b.indicator_code,
    b.indicator_name,
    b.unit,
    b.direction,
    b.base_year::integer as base_year,
    b.base_value,
    b.latest_year::integer as latest_year,
    b.latest_value,
    b.years_observed,
    b.first_plan_start_year is not null as has_plan_target,
    b.first_plan_start_year::integer as first_plan_start_year,
    case when b.first_plan_start_year is not null then b.pre_plan_years end as pre_plan_years,
    b.trend_cagr,
    b.directed_cagr,
    b.natural_limit,
    b.limit_coefficient,
    {{ open_sdg_trend_category('b.directed_cagr', 'b.limit_coefficient') }} as trend_status,
    {{ open_sdg_trend_score('b.directed_cagr', 'b.limit_coefficient') }} as trend_score,
    {{ eurostat_trend_category('b.directed_cagr', 'b.limit_coefficient') }} as eurostat_trend_status,
    'open_sdg_cagr/last_' || {{ var('trend_window_years') }}::varchar || '_years' as trend_method,
    case
        when b.years_observed < 2 then 'one year (' || b.latest_year::varchar || ') in the last '
            || {{ var('trend_window_years') }}::varchar || ' years: a trend needs two'
        when b.directed_cagr is null then 'a value not above zero (' || {{ as_text('b.base_value') }} || ' in ' || b.base_year::varchar
            || ', ' || b.latest_value::varchar || ' in ' || b.latest_year::varchar || '): no growth rate'
        else 'growth ' || {{ as_text('round(100 * b.trend_cagr, 2)') }} || '% a year from ' || b.base_year::varchar
            || ' to ' || b.latest_year::varchar
            || case when b.direction = 'lower_is_better' then ' (lower is better)' else '' end
            || case when b.limit_coefficient < 1 then '; cut-offs above zero ×' || {{ as_text('b.limit_coefficient') }}
                || ', the base ' || {{ as_text('b.base_value') }} || ' being near the natural limit ' || {{ as_text('b.natural_limit') }}
                else '' end
    end as trend_reason
from banded as b
left join {{ ref('stg_regions') }} as r on b.region_code = r.region_code
