-- Target versus actual per region × indicator × plan × year (× the kind of target).
-- Level paths: progress is the share of the distance from baseline to final target covered in
-- the good direction (P = d·(A − B) / |T − B|, so a fall never counts as progress towards a
-- target set below its baseline), judged on the path's own shape (`progress_method`):
--   cagr_ratio        compound paths (amounts, 年均增长) without interim milestones: Eurostat's
--                     d·CAGR_actual / |CAGR_required| — the 序时进度 ratio on a geometric path;
--   distance_vs_path  P against the share of the distance the plan's own path expects by then
--                     (expected_share: τ on a straight path, the milestone's share in a year the
--                     plan sets one, the geometric share on a compound path);
--   year_share        flows (amounts, patents granted …) within the year: a year-to-date figure,
--                     or any figure of a 新增 N flow target, against the year's target at the share
--                     of the year elapsed (时间过半、任务过半);
--   milestone_met     no baseline, but the plan's milestone for the year is met.
-- Ratios are rounded (status_ratio_decimals) before banding. Yearly growth-rate targets compare
-- the actual growth rate — reported, or computed from levels — with the target rate. The actual of a period is the chosen
-- candidate of int_actual_candidates (a statistics file before a bulletin's or report's text, before a
-- plan's review of past years: seeds/reference/actual_sources.csv); each row says which source it is
-- (kind, document or file, line or row, exact text) and whether other sources agree.
with

paths as (
    select * from {{ ref('int_target_paths') }}
),

actuals as (
    select * from {{ ref('int_actual_candidates') }}
    where is_chosen
),

yearly_actuals as (
    select * from {{ ref('int_yearly_actuals') }}
),

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

yearly_targets as (
    select * from {{ ref('int_yearly_targets') }}
),

plans as (
    select * from {{ ref('stg_plans') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

regions as (
    select * from {{ ref('stg_regions') }}
),

-- the one list of statuses and their labels
statuses as (
    select * from {{ ref('progress_statuses') }}
),

level_actuals as (
    select * from actuals where measure = 'level'
),

-- The actual for a path year: the full-year value if there is one, else the latest year-to-date
-- value of that year, or for a stock the latest month's level (each the chosen candidate of its
-- period: the best-ranked source).
actual_for_year as (
    select distinct on (paths.plan_id, paths.region_code, paths.indicator_code, paths.year)
        paths.plan_id,
        paths.region_code,
        paths.indicator_code,
        paths.year,
        a.value as actual_value,
        a.period_label as actual_period,
        a.period_end as actual_period_end,
        a.is_ytd as actual_is_ytd,
        a.actual_source,
        a.source_kind as actual_source_kind,
        a.source_document as actual_document,
        a.source_line as actual_line,
        a.source_text as actual_text,
        a.key_agreement as actual_agreement
    from paths
    inner join indicators as i on paths.indicator_code = i.indicator_code
    inner join level_actuals as a
        on paths.region_code = a.region_code
        and paths.indicator_code = a.indicator_code
        and year(a.period_end) = paths.year
        and (a.period_type in ('year', 'ytd') or (a.period_type = 'month' and i.accumulation = 'stock'))
    order by paths.plan_id, paths.region_code, paths.indicator_code, paths.year, (a.period_type = 'year') desc, a.period_end desc
),

level_joined as (
    select
        paths.*,
        final_target.qualifier,
        final_target.attribute,
        final_target.is_binding,
        indicators.indicator_name,
        indicators.unit,
        indicators.direction,
        indicators.value_kind,
        indicators.accumulation,
        case when indicators.direction = 'lower_is_better' then -1 else 1 end as direction_sign,
        -- a milestone between the baseline and the final year bends the path
        bool_or(paths.is_milestone and paths.year < paths.final_target_year)
            over (partition by paths.plan_id, paths.region_code, paths.indicator_code) as has_interim_milestone,
        a.actual_value,
        a.actual_period,
        a.actual_period_end,
        a.actual_is_ytd,
        a.actual_source,
        a.actual_source_kind,
        a.actual_document,
        a.actual_line,
        a.actual_text,
        a.actual_agreement,
        coalesce(paths.baseline_year, paths.plan_start_year - 1) as period_base_year,
        -- a flow within the year: a year-to-date figure before December, or any figure of a 新增 N flow target
        indicators.accumulation = 'flow' and a.actual_value is not null
            and ((a.actual_is_ytd and month(a.actual_period_end) < 12) or paths.path_shape = 'year_flow') as is_year_flow,
        month(a.actual_period_end) = 12 as actual_at_year_end
    from paths
    inner join targets as final_target on paths.final_target_id = final_target.target_id
    inner join indicators on paths.indicator_code = indicators.indicator_code
    left join actual_for_year as a
        on paths.plan_id = a.plan_id and paths.region_code = a.region_code and paths.indicator_code = a.indicator_code
        and paths.year = a.year
),

level_measured as (
    select
        *,
        actual_value is not null as has_actual,
        case
            when is_year_flow then actual_value / nullif(target_path_value, 0)
            else direction_sign * (actual_value - baseline_value) / nullif(abs(final_target_value - baseline_value), 0)
        end as progress_share,
        case
            when is_year_flow then month(actual_period_end) / 12.0
            -- Months, not days: periods end on month ends, and a full year of five is exactly 20%.
            else {{ months_between('make_date(period_base_year, 12, 31)', 'actual_period_end') }}
                / nullif(12 * (final_target_year - period_base_year), 0)::double precision
        end as elapsed_share,
        -- a cap for the year is not met while the year is still running
        not (is_year_flow and actual_is_ytd and month(actual_period_end) < 12 and direction = 'lower_is_better')
            and {{ target_met('actual_value',
                              'case when is_year_flow then target_path_value else final_target_value end',
                              'target_low', 'target_high', 'qualifier', 'direction', 'unit') }} as achieved,
        -- the plan's milestone for this year met (judged when no baseline gives a distance)
        is_milestone and year < final_target_year
            and {{ target_met('actual_value', 'target_path_value', 'null', 'null', 'qualifier', 'direction', 'unit') }} as milestone_met,
        -- a full-year actual below the target the plan sets for this very year (its milestone or final target)
        is_milestone and actual_value is not null and not coalesce(actual_is_ytd and month(actual_period_end) < 12, false)
            and not {{ target_met('actual_value', 'target_path_value', 'target_low', 'target_high', 'qualifier', 'direction', 'unit') }}
            as year_target_missed,
        {{ months_between('make_date(period_base_year, 12, 31)', 'actual_period_end') }} / 12.0 as years_elapsed
    from level_joined
),

level_cagr as (
    select
        *,
        case when not is_year_flow and baseline_value > 0 and actual_value > 0 and years_elapsed > 0
            then power(actual_value / baseline_value, 1 / years_elapsed) - 1 end as cagr_actual,
        case when baseline_value > 0 and final_target_value > 0 and final_target_year > period_base_year
            then power(final_target_value / baseline_value, 1.0 / (final_target_year - period_base_year)) - 1 end as cagr_required,
        -- The share of the distance the plan's own path expects by the actual's period end.
        case
            when is_year_flow then elapsed_share
            when actual_at_year_end and target_path_value is not null
                then direction_sign * (target_path_value - baseline_value) / nullif(abs(final_target_value - baseline_value), 0)
            when path_shape = 'compound' and final_target_value <> baseline_value
                then (power(final_target_value / baseline_value, elapsed_share) - 1) / (final_target_value / baseline_value - 1)
            else elapsed_share
        end as expected_share
    from level_measured
),

-- The outlook extrapolates the series' recent growth, years before the plan included: from the earlier of
-- the baseline and the earliest full-year level within trend_window_years before the actual's year
-- (the window of fct_indicator_trend), to the actual.
level_outlook as (
    select
        l.*,
        (case when h.year is not null and (l.baseline_value is null or h.year < l.period_base_year) then h.year
              when l.baseline_value is not null then l.period_base_year end)::integer as outlook_base_year,
        case when h.year is not null and (l.baseline_value is null or h.year < l.period_base_year) then h.value
             else l.baseline_value end as outlook_base_value
    from level_cagr as l
    left join lateral (
        select year, value from yearly_actuals as h
        where h.measure = 'level' and h.region_code = l.region_code and h.indicator_code = l.indicator_code
            and h.year < year(l.actual_period_end)
            and h.year >= year(l.actual_period_end) - {{ var('trend_window_years') }}
        order by h.year
        limit 1
    ) as h on true
),

level_outlook_growth as (
    select
        *,
        case when not is_year_flow and outlook_base_value > 0 and actual_value > 0
                and {{ months_between('make_date(outlook_base_year, 12, 31)', 'actual_period_end') }} > 0
            then power(actual_value / outlook_base_value,
                       12.0 / {{ months_between('make_date(outlook_base_year, 12, 31)', 'actual_period_end') }}) - 1
        end as outlook_cagr
    from level_outlook
),

level_methods as (
    select
        *,
        case
            when is_year_flow then 'year_share'
            when progress_share is null and milestone_met then 'milestone_met'
            when path_shape = 'compound' and not has_interim_milestone
                and cagr_actual is not null and cagr_required <> 0 then 'cagr_ratio'
            else 'distance_vs_path'
        end as progress_method
    from level_outlook_growth
),

level_scored as (
    select
        *,
        case progress_method
            when 'cagr_ratio' then direction_sign * cagr_actual / abs(cagr_required)
            when 'milestone_met' then null
            -- a lower-is-better flow (a cap for the year) is on schedule when it has used no more than its share
            when 'year_share' then case when direction_sign = 1 then progress_share / nullif(expected_share, 0)
                                        else expected_share / nullif(progress_share, 0) end
            else case when expected_share > 0 then progress_share / expected_share end
        end as schedule_ratio
    from level_methods
),

level_rows as (
    select
        region_code,
        indicator_code,
        indicator_name,
        unit,
        direction,
        plan_id,
        year,
        final_target_type as target_type,
        final_target_id as target_id,
        baseline_year,
        baseline_value,
        baseline_source,
        target_path_value as target_value,
        is_milestone,
        final_target_year,
        final_target_value,
        target_low,
        target_high,
        qualifier,
        attribute,
        coalesce(is_binding, false) as is_binding,
        actual_value,
        actual_period,
        coalesce(actual_is_ytd, false) as actual_is_ytd,
        actual_source,
        actual_source_kind,
        actual_document,
        actual_line,
        actual_text,
        actual_agreement,
        progress_share,
        elapsed_share,
        expected_share,
        schedule_ratio,
        progress_method,
        cagr_actual,
        cagr_required,
        outlook_base_year,
        outlook_cagr,
        case when outlook_cagr is not null
            then actual_value * power(1 + outlook_cagr, (final_target_year - period_base_year) - years_elapsed) end
            as projected_final_value,
        has_actual,
        coalesce(achieved, false) as achieved,
        coalesce(milestone_met, false) as milestone_met,
        coalesce(year_target_missed, false) as year_target_missed,
        case
            when final_target_value is null then 'the plan states ' || final_target_type || ' ' || {{ as_text('final_target_stated_value') }}
                || ' but neither the plan nor the warehouse gives the baseline level for ' || period_base_year::varchar
                || ' to apply it to'
            when not has_actual then 'no actual for ' || year::varchar
            when is_year_flow and target_path_value is null then 'no target for ' || year::varchar || ' to compare the year-to-date figure with'
            when is_year_flow then {{ as_text('round(100 * progress_share, 1)') }} || '% of the ' || year::varchar
                || ' target by ' || actual_period || ', ' || {{ as_text('round(100 * elapsed_share, 1)') }} || '% of the year elapsed'
            when progress_method = 'milestone_met' then 'the ' || year::varchar || ' milestone ' || {{ as_text('target_path_value') }}
                || ' is met (' || actual_period || '); no baseline to measure the distance from'
            when baseline_value is null and is_milestone and year < final_target_year then 'below the ' || year::varchar
                || ' milestone ' || {{ as_text('target_path_value') }} || ', and neither the plan nor the warehouse gives a baseline for '
                || period_base_year::varchar || ' to measure the shortfall from'
            when baseline_value is null then 'neither the plan nor the warehouse gives a baseline for ' || period_base_year::varchar
            when final_target_value = baseline_value then 'the final target equals the baseline'
            when progress_method = 'cagr_ratio' then 'growth ' || {{ as_text('round(100 * cagr_actual, 2)') }} || '% a year since '
                || baseline_year::varchar || ' against the ' || {{ as_text('round(100 * cagr_required, 2)') }}
                || '% a year the compound path requires (' || actual_period || ')'
            else 'progress ' || {{ as_text('round(100 * progress_share, 1)') }} || '% of the distance, where the plan''s path expects '
                || {{ as_text('round(100 * expected_share, 1)') }} || '% (' || actual_period || ', '
                || {{ as_text('round(100 * elapsed_share, 1)') }} || '% of the period)'
        end as status_reason,
        -- What the user can do about a row that cannot be judged (null when it can).
        case
            when final_target_value is null then 'state the ' || period_base_year::varchar || ' level in the plan, or load it: '
                || 'planwatch template statistics --region ' || region_code || ' --year ' || period_base_year::varchar
            when not has_actual then 'load the ' || year::varchar || ' figure: planwatch template statistics --region '
                || region_code || ' --year ' || year::varchar
            when is_year_flow and target_path_value is null then 'wait for the full-year ' || year::varchar
                || ' figure, or give the plan a ' || year::varchar || ' milestone'
            when is_year_flow or progress_method = 'milestone_met' then null
            when baseline_value is null then 'load the ' || period_base_year::varchar || ' value or state it in the plan: '
                || 'planwatch template statistics --region ' || region_code || ' --year ' || period_base_year::varchar
            when final_target_value = baseline_value then 'check the target against the plan: it equals the baseline'
        end as next_step,
        case
            when is_year_flow and actual_is_ytd then 'ytd_share_of_year_target'
            when is_year_flow then 'flow_vs_year_target'
            else 'distance_share_vs_elapsed/' || path_method
        end as method
    from level_scored
),

-- Yearly growth-rate targets (增长 15%): one row per year the rate applies to.
-- (one per plan × indicator × year: int_yearly_targets)
growth_targets as (
    select t.*, p.start_year as plan_start_year, p.end_year as plan_end_year
    from yearly_targets as t
    inner join plans as p on t.plan_id = p.plan_id
    where t.target_type = 'growth_pct' and t.value_canonical is not null
        and t.target_year is not null  -- an undated document's yearless targets: quality_flags (undated)
),

growth_years as (
    select
        g.*,
        {{ unnest_range('case when g.per_year then g.plan_start_year else g.target_year end', 'g.target_year + 1') }} as year
    from growth_targets as g
),

full_year_levels as (
    select * from yearly_actuals where measure = 'level'
),

reported_growth as (
    select * from yearly_actuals where measure = 'growth_pct'
),

growth_joined as (
    select
        g.*,
        i.indicator_name,
        i.direction,
        coalesce(r.value, 100 * (cur.value / nullif(prev.value, 0) - 1)) as actual_growth,
        -- a reported rate is its own source; a rate computed from two levels is sourced by the year's level
        case when r.value is not null then r.period_label else cur.period_label end as actual_period,
        case when r.value is not null then r.actual_source else cur.actual_source end as actual_source,
        case when r.value is not null then r.source_kind else cur.source_kind end as actual_source_kind,
        case when r.value is not null then r.source_document else cur.source_document end as actual_document,
        case when r.value is not null then r.source_line else cur.source_line end as actual_line,
        case when r.value is not null then r.source_text else cur.source_text end as actual_text,
        case when r.value is not null then r.key_agreement else cur.key_agreement end as actual_agreement,
        case when r.value is not null then 'reported' when cur.value is not null and prev.value is not null then 'from_levels' end
            as growth_origin
    from growth_years as g
    inner join indicators as i on g.indicator_code = i.indicator_code
    left join reported_growth as r
        on g.region_code = r.region_code and g.indicator_code = r.indicator_code and g.year = r.year
    left join full_year_levels as cur
        on g.region_code = cur.region_code and g.indicator_code = cur.indicator_code and g.year = cur.year
    left join full_year_levels as prev
        on g.region_code = prev.region_code and g.indicator_code = prev.indicator_code and g.year - 1 = prev.year
),

growth_rows as (
    select
        region_code,
        indicator_code,
        indicator_name,
        '%' as unit,
        direction,
        plan_id,
        year,
        'growth_pct' as target_type,
        target_id,
        null::integer as baseline_year,
        null::double precision as baseline_value,
        null::varchar as baseline_source,
        value_canonical as target_value,
        true as is_milestone,
        target_year as final_target_year,
        value_canonical as final_target_value,
        null::double precision as target_low,
        null::double precision as target_high,
        qualifier,
        attribute,
        coalesce(is_binding, false) as is_binding,
        actual_growth as actual_value,
        actual_period,
        false as actual_is_ytd,
        -- a level without the year before gives no rate, and no source
        case when actual_growth is not null then actual_source end as actual_source,
        case when actual_growth is not null then actual_source_kind end as actual_source_kind,
        case when actual_growth is not null then actual_document end as actual_document,
        case when actual_growth is not null then actual_line end as actual_line,
        case when actual_growth is not null then actual_text end as actual_text,
        case when actual_growth is not null then actual_agreement end as actual_agreement,
        actual_growth / nullif(value_canonical, 0) as progress_share,
        case when actual_growth is not null then 1.0 end as elapsed_share,
        case when actual_growth is not null then 1.0 end as expected_share,
        actual_growth / nullif(value_canonical, 0) as schedule_ratio,
        'growth_rate' as progress_method,
        null::double precision as cagr_actual,
        null::double precision as cagr_required,
        null::integer as outlook_base_year,
        null::double precision as outlook_cagr,
        null::double precision as projected_final_value,
        actual_growth is not null as has_actual,
        coalesce({{ target_met('actual_growth', 'value_canonical', 'null', 'null', 'qualifier', 'direction', "'%'") }}, false) as achieved,
        false as milestone_met,
        actual_growth is not null
            and not coalesce({{ target_met('actual_growth', 'value_canonical', 'null', 'null', 'qualifier', 'direction', "'%'") }}, false)
            as year_target_missed,
        case
            when actual_growth is null then 'no growth rate for ' || year::varchar || ' (reported, or from two full-year levels)'
            else 'growth ' || {{ as_text('round(actual_growth, 2)') }} || '% (' || growth_origin || ') against a target of '
                || {{ as_text('round(value_canonical, 2)') }} || '%'
        end as status_reason,
        case when actual_growth is null then 'load the ' || year::varchar || ' growth rate, or the '
            || (year - 1)::varchar || ' and ' || year::varchar || ' levels: planwatch template statistics --region '
            || region_code || ' --year ' || (year - 1)::varchar || ' --year ' || year::varchar end as next_step,
        'growth_rate_vs_target' as method
    from growth_joined
),

unioned as (
    select * from level_rows
    union all
    select * from growth_rows
),

final as (
    select
        unioned.region_code,
        regions.region_name,
        unioned.indicator_code,
        unioned.indicator_name,
        unioned.unit,
        unioned.direction,
        unioned.plan_id,
        unioned.year,
        unioned.target_type,
        unioned.target_id,
        unioned.baseline_year,
        unioned.baseline_value,
        unioned.baseline_source,
        unioned.target_value,
        unioned.is_milestone,
        unioned.final_target_year,
        unioned.final_target_value,
        unioned.target_low,
        unioned.target_high,
        unioned.qualifier,
        unioned.attribute,
        unioned.is_binding,
        unioned.actual_value,
        unioned.actual_period,
        unioned.actual_is_ytd,
        unioned.actual_source,
        unioned.actual_source_kind,
        unioned.actual_document,
        unioned.actual_line,
        unioned.actual_text,
        unioned.actual_agreement,
        unioned.progress_share,
        unioned.elapsed_share,
        unioned.expected_share,
        unioned.schedule_ratio,
        unioned.progress_method,
        unioned.cagr_actual,
        unioned.cagr_required,
        unioned.outlook_base_year,
        unioned.outlook_cagr,
        unioned.projected_final_value,
        unioned.year_target_missed,
        unioned.status_reason,
        unioned.next_step,
        unioned.method,
        -- in the good direction, like progress_share; rounded, so that noise does not flip the outlook
        round(
            case when direction = 'lower_is_better' then -1 else 1 end * (projected_final_value - baseline_value)
                / nullif(abs(final_target_value - baseline_value), 0),
            {{ var('status_ratio_decimals') }}
        ) as anticipated_progress,
        {{ progress_status('achieved', 'has_actual', 'progress_share', 'elapsed_share', 'schedule_ratio', 'is_binding', 'milestone_met', 'year_target_missed', 'year = final_target_year and has_actual and not achieved and not actual_is_ytd') }} as status
    from unioned
    left join regions on unioned.region_code = regions.region_code
),

-- Who gave the target: the extractor (as read or accepted), a reviewer's edit, or a hand-typed row.
entered as (
    select
        final.*,
        final_target.entered_by as target_entered_by,
        final_target.review_status as target_review_status
    from final
    left join targets as final_target on final.target_id = final_target.target_id
),

with_outlook as (
    select
        *,
        case
            when status = 'achieved' then 'achieved'
            when anticipated_progress is null then null
            when anticipated_progress >= {{ var('outlook_likely_ratio') }} then 'likely'
            when anticipated_progress >= 0 then 'at_risk'
            else 'off_course'
        end as outlook
    from entered
)

select
    md5(plan_id || '|' || region_code || '|' || indicator_code || '|' || target_type || '|' || year::varchar) as target_vs_actual_id,
    with_outlook.region_code,
    with_outlook.region_name,
    with_outlook.indicator_code,
    with_outlook.indicator_name,
    with_outlook.unit,
    with_outlook.direction,
    with_outlook.plan_id,
    with_outlook.year,
    with_outlook.target_type,
    with_outlook.target_id,
    with_outlook.baseline_year,
    with_outlook.baseline_value,
    with_outlook.baseline_source,
    with_outlook.target_value,
    with_outlook.is_milestone,
    with_outlook.final_target_year,
    with_outlook.final_target_value,
    with_outlook.target_low,
    with_outlook.target_high,
    with_outlook.qualifier,
    with_outlook.attribute,
    with_outlook.is_binding,
    with_outlook.actual_value,
    with_outlook.actual_period,
    with_outlook.actual_is_ytd,
    with_outlook.actual_source,
    with_outlook.actual_source_kind,
    with_outlook.actual_document,
    with_outlook.actual_line,
    with_outlook.actual_text,
    with_outlook.actual_agreement,
    with_outlook.progress_share,
    with_outlook.elapsed_share,
    with_outlook.expected_share,
    with_outlook.schedule_ratio,
    with_outlook.progress_method,
    with_outlook.cagr_actual,
    with_outlook.cagr_required,
    with_outlook.outlook_base_year,
    with_outlook.outlook_cagr,
    with_outlook.projected_final_value,
    case when with_outlook.status = 'binding_behind' and with_outlook.year_target_missed
        then 'binding (' || with_outlook.attribute || '), below the ' || with_outlook.year::varchar || ' target '
            || {{ as_text('with_outlook.target_value') }} || ' the plan sets for the year: ' || with_outlook.status_reason
        when with_outlook.status = 'missed'
        then 'the target year ' || with_outlook.year::varchar || ' is over: ' || {{ as_text('with_outlook.actual_value') }}
            || ' against the target ' || {{ as_text('with_outlook.target_value') }} || '; ' || with_outlook.status_reason
        else with_outlook.status_reason end as status_reason,
    with_outlook.next_step,
    with_outlook.method,
    with_outlook.anticipated_progress,
    with_outlook.status,
    with_outlook.target_entered_by,
    with_outlook.target_review_status,
    statuses.status_zh,
    outlook,
    -- The status judges the distance covered so far; the outlook extrapolates the growth so far to the
    -- final year. Where they point different ways the row says so instead of leaving it to the reader.
    case
        when statuses.assessment = 'on_schedule' and outlook in ('at_risk', 'off_course')
            then 'on schedule so far, but growth at ' || {{ as_text('round(100 * outlook_cagr, 2)') }}
                || '% a year since ' || outlook_base_year::varchar
                || ' would reach ' || {{ as_text('round(100 * anticipated_progress, 1)') }} || '% of the distance by ' || final_target_year::varchar
        when statuses.assessment = 'behind' and outlook = 'likely'
            then 'behind schedule so far, but growth at ' || {{ as_text('round(100 * outlook_cagr, 2)') }}
                || '% a year since ' || outlook_base_year::varchar || ' would reach the target by ' || final_target_year::varchar
    end as outlook_note,
    -- Open SDG progress score (−5..5) of the row's schedule ratio R; a met target scores 5; no
    -- score where the status is unjudged (too early, not comparable, no data) or there is no ratio.
    case when statuses.assessment <> 'unjudged'
        then {{ open_sdg_score('schedule_ratio', "with_outlook.status = 'achieved'") }} end as progress_score
from with_outlook
left join statuses on with_outlook.status = statuses.status
