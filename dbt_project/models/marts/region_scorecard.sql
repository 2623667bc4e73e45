-- Per region and year: how many targets sit in each status, and their shares. What counts as
-- assessed, on schedule or behind is the statuses' assessment in the seed progress_statuses.
-- The region's Open SDG score ranks it among the regions of the year: the mean over indicators of
-- each indicator's score, itself the mean of its rows' progress_score (plans, kinds of target) —
-- Open SDG's series → indicator → goal means, so that an indicator with two plans weighs once.
with

progress as (
    select p.*, s.assessment
    from {{ ref('target_vs_actual') }} as p
    inner join {{ ref('progress_statuses') }} as s on p.status = s.status
),

counted as (
    select
        region_code,
        any_value(region_name) as region_name,
        year,
        count(*) as targets,
        count(*) filter (where assessment <> 'unjudged') as assessed,
        count(*) filter (where assessment in ('met', 'on_schedule')) as on_schedule_or_met,
        count(*) filter (where assessment = 'behind') as behind,
        count(*) filter (where status = 'achieved') as achieved,
        count(*) filter (where status = 'ahead') as ahead,
        count(*) filter (where status = 'on_track') as on_track,
        count(*) filter (where status = 'needs_acceleration') as needs_acceleration,
        count(*) filter (where status = 'well_behind') as well_behind,
        count(*) filter (where status = 'regressing') as regressing,
        count(*) filter (where status = 'binding_behind') as binding_behind,
        count(*) filter (where status = 'missed') as missed,
        count(*) filter (where status = 'too_early') as too_early,
        count(*) filter (where status = 'not_comparable') as not_comparable,
        count(*) filter (where status = 'no_data') as no_data
    from progress
    group by region_code, year
),

indicator_scores as (
    select region_code, year, indicator_code, avg(progress_score) as indicator_score,
           bool_and(status = 'achieved') as all_achieved
    from progress
    where progress_score is not null
    group by region_code, year, indicator_code
),

region_scores as (
    select region_code, year, count(*) as indicators_scored, round(avg(indicator_score), 4) as score,
           bool_and(all_achieved) as all_achieved
    from indicator_scores
    group by region_code, year
)

select
    md5(counted.region_code || '|' || counted.year::varchar) as region_year_id,
    counted.region_code,
    counted.region_name,
    counted.year,
    counted.targets,
    counted.assessed,
    counted.achieved,
    counted.ahead,
    counted.on_track,
    counted.needs_acceleration,
    counted.well_behind,
    counted.regressing,
    counted.binding_behind,
    counted.missed,
    counted.too_early,
    counted.not_comparable,
    counted.no_data,
    on_schedule_or_met / nullif(assessed, 0)::double precision as share_on_track_or_better,
    behind / nullif(assessed, 0)::double precision as share_behind,
    assessed / nullif(targets, 0)::double precision as share_assessed,
    coalesce(s.indicators_scored, 0) as indicators_scored,
    s.score,
    {{ open_sdg_category('s.score', 's.all_achieved') }} as score_band,
    -- 1 = the best score of the year's regions; regions without a score are not ranked
    case when s.score is not null then rank() over (partition by counted.year order by s.score desc nulls last) end
        as score_rank,
    count(s.score) over (partition by counted.year) as regions_ranked
from counted
left join region_scores as s on counted.region_code = s.region_code and counted.year = s.year
