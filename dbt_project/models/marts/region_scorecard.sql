-- Per region and year: how many targets sit in each status, and their shares. What counts as
-- assessed, on schedule or behind is the statuses' assessment in the seed progress_statuses.
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
        count(*) filter (where status = 'too_early') as too_early,
        count(*) filter (where status = 'not_comparable') as not_comparable,
        count(*) filter (where status = 'no_data') as no_data
    from progress
    group by region_code, year
)

select
    md5(region_code || '|' || year::varchar) as region_year_id,
    * exclude (on_schedule_or_met, behind),
    on_schedule_or_met / nullif(assessed, 0)::double as share_on_track_or_better,
    behind / nullif(assessed, 0)::double as share_behind,
    assessed / nullif(targets, 0)::double as share_assessed
from counted
