-- The yearly target path of every plan × indicator with a level target (or an average
-- growth target on a stated baseline): explicit milestones where the plan's table gives
-- them, otherwise interpolated between the known points — linear for shares and counts,
-- compound for amounts and for growth targets. `path_method` says which.
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

plans as (
    select * from {{ ref('stg_plans') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

-- One level target per plan × indicator × year; where a document contradicts itself
-- the table wins over prose (the conflict is flagged by the quality checks).
level_targets as (
    select *
    from targets
    where target_type = 'level'
        and indicator_code is not null
        and value_canonical is not null
        and not cumulative
        and not per_year
    qualify row_number() over (
        partition by plan_id, indicator_code, target_year
        order by (source_kind = 'table') desc, source_line
    ) = 1
),

growth_targets as (
    select *
    from targets
    where target_type = 'annual_avg_growth_pct'
        and indicator_code is not null
        and value_canonical is not null
        and baseline_value_canonical is not null
        and baseline_year is not null
    qualify row_number() over (partition by plan_id, indicator_code order by target_year desc, source_line) = 1
),

level_finals as (
    select
        plan_id,
        indicator_code,
        target_id as final_target_id,
        target_year as final_target_year,
        value_canonical as final_target_value,
        baseline_year,
        baseline_value_canonical as baseline_value,
        'level' as final_target_type,
        null::double as growth_rate_pct
    from level_targets
    qualify row_number() over (partition by plan_id, indicator_code order by target_year desc) = 1
),

-- An average growth target on a baseline level implies a final level.
growth_finals as (
    select
        g.plan_id,
        g.indicator_code,
        g.target_id as final_target_id,
        g.target_year as final_target_year,
        g.baseline_value_canonical * power(1 + g.value_canonical / 100.0, g.target_year - g.baseline_year) as final_target_value,
        g.baseline_year,
        g.baseline_value_canonical as baseline_value,
        'annual_avg_growth_pct' as final_target_type,
        g.value_canonical as growth_rate_pct
    from growth_targets as g
    anti join level_finals as l
        on g.plan_id = l.plan_id and g.indicator_code = l.indicator_code
),

finals as (
    select * from level_finals
    union all
    select * from growth_finals
),

-- Baseline: the one stated with the final target, else with any milestone of the row.
finals_with_baseline as (
    select
        f.* exclude (baseline_year, baseline_value),
        coalesce(f.baseline_year, b.baseline_year) as baseline_year,
        coalesce(f.baseline_value, b.baseline_value_canonical) as baseline_value
    from finals as f
    left join (
        select plan_id, indicator_code, baseline_year, baseline_value_canonical
        from level_targets
        where baseline_value_canonical is not null
        qualify row_number() over (partition by plan_id, indicator_code order by target_year) = 1
    ) as b
        on f.plan_id = b.plan_id and f.indicator_code = b.indicator_code
),

points as (
    select plan_id, indicator_code, baseline_year as year, baseline_value as value, 'baseline' as point_kind
    from finals_with_baseline
    where baseline_year is not null and baseline_value is not null
    union all
    select t.plan_id, t.indicator_code, t.target_year, t.value_canonical, 'milestone'
    from level_targets as t
    inner join finals_with_baseline as f
        on t.plan_id = f.plan_id and t.indicator_code = f.indicator_code and t.target_year <= f.final_target_year
    union all
    select plan_id, indicator_code, final_target_year, final_target_value, 'milestone'
    from finals_with_baseline
    where final_target_type = 'annual_avg_growth_pct'
),

spine as (
    select
        f.*,
        p.region_code,
        p.start_year as plan_start_year,
        p.end_year as plan_end_year,
        unnest(range(least(p.start_year, f.final_target_year), f.final_target_year + 1)) as year
    from finals_with_baseline as f
    inner join plans as p on f.plan_id = p.plan_id
),

bracketed as (
    select
        s.*,
        i.value_kind,
        exact.value as milestone_value,
        prev.year as prev_year,
        prev.value as prev_value,
        nxt.year as next_year,
        nxt.value as next_value
    from spine as s
    inner join indicators as i on s.indicator_code = i.indicator_code
    left join points as exact
        on exact.plan_id = s.plan_id and exact.indicator_code = s.indicator_code
        and exact.year = s.year and exact.point_kind = 'milestone'
    asof left join points as prev
        on prev.plan_id = s.plan_id and prev.indicator_code = s.indicator_code and prev.year <= s.year
    left join lateral (
        select year, value from points as n
        where n.plan_id = s.plan_id and n.indicator_code = s.indicator_code and n.year > s.year
        order by n.year
        limit 1
    ) as nxt on true
),

paths as (
    select
        plan_id,
        region_code,
        indicator_code,
        year,
        plan_start_year,
        plan_end_year,
        final_target_id,
        final_target_year,
        final_target_value,
        final_target_type,
        growth_rate_pct,
        baseline_year,
        baseline_value,
        milestone_value is not null as is_milestone,
        case
            when milestone_value is not null then 'milestone'
            when prev_year is null or next_year is null then 'none'
            when (final_target_type = 'annual_avg_growth_pct' or value_kind = 'amount')
                and prev_value > 0 and next_value > 0 then 'compound'
            else 'linear'
        end as path_method,
        case
            when milestone_value is not null then milestone_value
            when prev_year is null or next_year is null then null
            when (final_target_type = 'annual_avg_growth_pct' or value_kind = 'amount')
                and prev_value > 0 and next_value > 0
                then prev_value * power(next_value / prev_value, (year - prev_year) / (next_year - prev_year))
            else prev_value + (next_value - prev_value) * (year - prev_year) / (next_year - prev_year)
        end as target_path_value
    from bracketed
)

select * from paths
