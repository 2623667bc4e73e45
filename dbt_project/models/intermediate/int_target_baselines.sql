-- The baseline of every plan × region × indicator with a dated target — the one place the
-- baseline is chosen: the target paths build on it and the quality check baseline_beyond_target
-- compares the plan's level targets with it. The plan's own, stated with its targets (the level
-- statements first, latest year first, then the change statements: growth, range, points,
-- increment), else the actual of the year before the plan starts, else the nearest earlier actual
-- at most baseline_max_years_before years before it. A stated year without a usable value (a unit
-- that does not convert) is no baseline, and an actual's year never dates a stated value.
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

yearly_targets as (
    select * from {{ ref('int_yearly_targets') }}
),

plans as (
    select * from {{ ref('stg_plans') }}
),

actual_levels as (
    select * from {{ ref('int_yearly_actuals') }}
    where measure = 'level'
),

statements as (
    select plan_id, region_code, indicator_code, target_id, target_year, baseline_year, baseline_value_canonical,
        document, source_line, 0 as statement_rank
    from yearly_targets
    where target_type = 'level' and value_canonical is not null and target_year is not null
    union all
    select plan_id, region_code, indicator_code, target_id, target_year, baseline_year, baseline_value_canonical,
        document, source_line,
        case target_type
            when 'annual_avg_growth_pct' then 1
            when 'range' then 2
            when 'share_increase_pp' then 3
            when 'increment' then 4
        end
    from targets
    where target_type in ('annual_avg_growth_pct', 'range', 'share_increase_pp', 'increment')
        and indicator_code is not null and not coalesce(cumulative, false) and target_year is not null
),

stated as (
    select distinct on (plan_id, region_code, indicator_code)
        plan_id, region_code, indicator_code, target_id, baseline_year, baseline_value_canonical, document, source_line
    from statements
    where baseline_value_canonical is not null
    order by plan_id, region_code, indicator_code, statement_rank, target_year desc, source_line
),

series as (
    select distinct s.plan_id, s.region_code, s.indicator_code, p.start_year as plan_start_year
    from statements as s
    inner join plans as p on s.plan_id = p.plan_id
),

chosen as (
    select
        k.plan_id,
        k.region_code,
        k.indicator_code,
        k.plan_start_year,
        case when s.baseline_value_canonical is not null then s.baseline_year else a.year::integer end as baseline_year,
        coalesce(s.baseline_value_canonical, a.value) as baseline_value,
        case
            when s.baseline_value_canonical is not null then 'plan'
            when a.year = k.plan_start_year - 1 then 'actual'
            when a.value is not null then 'earlier_actual'
        end as baseline_source,
        s.target_id as baseline_target_id,
        case when s.baseline_value_canonical is not null then 'plan_target' else a.source_kind end as baseline_evidence_kind,
        case when s.baseline_value_canonical is not null then s.document else a.source_document end as baseline_document,
        case when s.baseline_value_canonical is not null then s.source_line else a.source_line end as baseline_line
    from series as k
    left join stated as s
        on k.plan_id = s.plan_id and k.region_code = s.region_code and k.indicator_code = s.indicator_code
    left join lateral (
        select year, value, source_kind, source_document, source_line from actual_levels as a
        where a.region_code = k.region_code and a.indicator_code = k.indicator_code
            and a.year < k.plan_start_year and a.year >= k.plan_start_year - {{ var('baseline_max_years_before') }}
        order by a.year desc
        limit 1
    ) as a on true
)

select * from chosen
where baseline_value is not null
