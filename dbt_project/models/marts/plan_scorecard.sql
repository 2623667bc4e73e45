-- Per plan and year: the plan's Open SDG progress score, the mean over its region × indicator pairs of
-- each pair's mean progress_score (target_vs_actual: levels and growth rates), as Open SDG aggregates
-- series to indicators and indicators to goals; banded like a region's and ranked among the year's plans.
with

progress as (
    select * from {{ ref('target_vs_actual') }}
),

indicator_scores as (
    select plan_id, year, region_code, indicator_code, avg(progress_score) as indicator_score,
           bool_and(status = 'achieved') as all_achieved
    from progress
    where progress_score is not null
    group by plan_id, year, region_code, indicator_code
),

plan_years as (
    select plan_id, year, count(*) as targets
    from progress
    group by plan_id, year
),

plan_scores as (
    select plan_id, year, count(*) as indicators_scored, round(avg(indicator_score), 4) as score,
           bool_and(all_achieved) as all_achieved
    from indicator_scores
    group by plan_id, year
)

select
    md5(y.plan_id || '|' || y.year::varchar) as plan_year_id,
    y.plan_id,
    plans.region_code,
    y.year,
    y.targets,
    coalesce(s.indicators_scored, 0) as indicators_scored,
    s.score,
    {{ open_sdg_category('s.score', 's.all_achieved') }} as score_band,
    case when s.score is not null then rank() over (partition by y.year order by s.score desc nulls last) end as score_rank,
    count(s.score) over (partition by y.year) as plans_ranked
from plan_years as y
inner join {{ ref('stg_plans') }} as plans on y.plan_id = plans.plan_id
left join plan_scores as s on y.plan_id = s.plan_id and y.year = s.year
