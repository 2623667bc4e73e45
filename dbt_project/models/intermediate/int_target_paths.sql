-- The yearly target path of every plan × region × indicator that sets a level to reach (the region is
-- the plan's, or a zone or division inside it that the targets name: one plan can set both): explicit
-- milestones where the plan's table gives them, otherwise interpolated between the known
-- points — linear for shares and counts, compound for amounts and for growth targets
-- (`path_method` says which). Targets stated as changes become levels on their baseline:
-- an average growth rate compounds it, 新增 N adds N to a stock, 提高 N 个百分点 adds N points (per
-- year when the plan says 每年), a range is reached at its near bound. 新增 N of a flow (发明专利
-- 授权 30 件) is N in the year, whatever last year's flow was. The baseline is the plan's, else
-- the actual of the year before the plan, else the nearest earlier actual (within
-- baseline_max_years_before years): int_target_baselines chooses it and says which. `path_shape` is the shape the
-- whole path has, which decides how target_vs_actual judges progress along it.
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

baselines as (
    select * from {{ ref('int_target_baselines') }}
),

usable as (
    select targets.*, plans.start_year as plan_start_year, plans.end_year as plan_end_year
    from targets
    inner join plans on targets.plan_id = plans.plan_id
    where targets.indicator_code is not null and not targets.cumulative
        and targets.target_year is not null  -- an undated document's yearless targets: quality_flags (undated)
),

-- One level target per plan × indicator × year (int_yearly_targets: the table before prose);
-- one a reviewer excluded sets no target.
level_targets as (
    select y.*, plans.start_year as plan_start_year, plans.end_year as plan_end_year
    from {{ ref('int_yearly_targets') }} as y
    inner join plans on y.plan_id = plans.plan_id
    where y.target_type = 'level' and y.value_canonical is not null and y.target_year is not null
),

-- The last statement of each other kind, per plan × indicator.
other_finals as (
    select distinct on (plan_id, region_code, indicator_code)
        *,
        case target_type
            when 'annual_avg_growth_pct' then 1
            when 'range' then 2
            when 'share_increase_pp' then 3
            when 'increment' then 4
        end as kind_rank
    from usable
    where (target_type in ('annual_avg_growth_pct', 'share_increase_pp', 'increment') and value_canonical is not null)
        or (target_type = 'range' and low_canonical is not null and high_canonical is not null)
    order by plan_id, region_code, indicator_code, kind_rank, target_year desc, (source_kind = 'table') desc, source_line
),

final_statements as (
    (select distinct on (plan_id, region_code, indicator_code)
        plan_id, region_code, indicator_code, target_id as final_target_id, target_year as final_target_year,
        plan_start_year, plan_end_year, 'level' as final_target_type, value_canonical as stated_value,
        null::double precision as target_low, null::double precision as target_high, false as per_year
    from level_targets
    order by plan_id, region_code, indicator_code, target_year desc)
    union all
    select
        o.plan_id, o.region_code, o.indicator_code, o.target_id, o.target_year,
        o.plan_start_year, o.plan_end_year, o.target_type, o.value_canonical,
        o.low_canonical, o.high_canonical, o.per_year
    from other_finals as o
    where not exists (
        select 1 from level_targets as l
        where o.plan_id = l.plan_id and o.region_code = l.region_code and o.indicator_code = l.indicator_code
    )
),

-- The baseline: int_target_baselines (the plan's, else the actual before the plan).
with_baseline as (
    select
        f.*,
        b.baseline_year,
        b.baseline_value,
        b.baseline_source
    from final_statements as f
    left join baselines as b
        on f.plan_id = b.plan_id and f.region_code = b.region_code and f.indicator_code = b.indicator_code
),

finals as (
    select
        w.*,
        i.direction,
        i.value_kind,
        i.accumulation,
        case
            when final_target_type = 'level' then stated_value
            when final_target_type = 'annual_avg_growth_pct' then baseline_value * power(1 + stated_value / 100.0, final_target_year - baseline_year)
            when final_target_type = 'range' then case when i.direction = 'lower_is_better' then target_high else target_low end
            -- 新增 N of a flow: N in the year (each year, for 每年新增)
            when final_target_type = 'increment' and i.accumulation = 'flow' then stated_value
            else baseline_value + stated_value
                * case when per_year then greatest(final_target_year - baseline_year, 1) else 1 end
        end as final_target_value,
        case when final_target_type = 'annual_avg_growth_pct' then stated_value end as growth_rate_pct
    from with_baseline as w
    inner join indicators as i on w.indicator_code = i.indicator_code
),

shaped as (
    select
        *,
        case
            when final_target_type = 'increment' and accumulation = 'flow' then 'year_flow'
            when (final_target_type = 'annual_avg_growth_pct' or value_kind = 'amount')
                and baseline_value > 0 and final_target_value > 0 then 'compound'
            else 'linear'
        end as path_shape
    from finals
),

reachable as (
    select * from shaped where final_target_value is not null
),

points as (
    select plan_id, region_code, indicator_code, baseline_year as year, baseline_value as value, 'baseline' as point_kind
    from reachable
    where baseline_year is not null and baseline_value is not null
    union all
    select t.plan_id, t.region_code, t.indicator_code, t.target_year, t.value_canonical, 'milestone'
    from level_targets as t
    inner join reachable as f
        on t.plan_id = f.plan_id and t.region_code = f.region_code and t.indicator_code = f.indicator_code and t.target_year <= f.final_target_year
    union all
    select plan_id, region_code, indicator_code, final_target_year, final_target_value, 'milestone'
    from reachable
    where final_target_type <> 'level'
    union all
    -- 每年新增 N of a flow: N every year of the plan
    select plan_id, region_code, indicator_code, {{ unnest_range('plan_start_year', 'final_target_year') }}, final_target_value, 'milestone'
    from reachable
    where path_shape = 'year_flow' and per_year
),

-- A change target with no baseline has no path; it keeps one row, its final year, so the
-- marts can say why it cannot be compared instead of dropping it.
spine as (
    select
        f.*,
        -- from the first year of the path (without a target: the final year alone) to the final year
        {{ unnest_range('case when f.final_target_value is null then f.final_target_year
                              else least(f.plan_start_year, f.final_target_year) end', 'f.final_target_year + 1') }} as year
    from shaped as f
),

bracketed as (
    select
        s.*,
        exact.value as milestone_value,
        prev.year as prev_year,
        prev.value as prev_value,
        nxt.year as next_year,
        nxt.value as next_value
    from spine as s
    left join points as exact
        on exact.plan_id = s.plan_id and exact.region_code = s.region_code and exact.indicator_code = s.indicator_code
        and exact.year = s.year and exact.point_kind = 'milestone'
    left join lateral (
        select year, value from points as p
        where p.plan_id = s.plan_id and p.region_code = s.region_code and p.indicator_code = s.indicator_code and p.year <= s.year
        order by p.year desc
        limit 1
    ) as prev on true
    left join lateral (
        select year, value from points as n
        where n.plan_id = s.plan_id and n.region_code = s.region_code and n.indicator_code = s.indicator_code and n.year > s.year
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
        stated_value as final_target_stated_value,
        target_low,
        target_high,
        growth_rate_pct,
        baseline_year,
        baseline_value,
        baseline_source,
        path_shape,
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
                then prev_value * power(next_value / prev_value, (year - prev_year)::double precision / (next_year - prev_year))
            else prev_value + (next_value - prev_value) * (year - prev_year) / (next_year - prev_year)
        end as target_path_value
    from bracketed
)

select * from paths
