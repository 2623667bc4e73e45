-- Statistics: year-over-year jumps far outside the region's and peers' history (a yearly
-- change differing from the median of the indicator's other yearly changes by more than
-- statistics_yoy_factor ×/÷), year-to-date values that fall within a year (a later
-- year-to-date figure below an earlier one) or exceed the full year, revisions that change
-- a value by more than statistics_revision_factor ×/÷ (fct_statistic_vintage), and the same
-- statistic loaded twice in one load with different values (in-file duplicates are
-- quarantined by the loader; this catches two files of one load).
with

statistics as (
    select
        *,
        {{ statistic_entity_id() }} as entity_id
    from {{ ref('stg_statistics') }}
),

vintages as (
    select *, {{ statistic_entity_id() }} as entity_id from {{ ref('fct_statistic_vintage') }}
),

yearly as (
    select
        *,
        year(period_end) as year,
        lag(value_original) over series as prev_value,
        lag(year(period_end)) over series as prev_year
    from statistics
    where period_type = 'year' and measure = 'level'
    window series as (partition by region_code, indicator_code order by period_end)
),

changes as (
    select *, ln(value_original / prev_value) as log_change
    from yearly
    where prev_year = year - 1 and value_original > 0 and prev_value > 0
),

-- Each yearly change against the median of the indicator's other yearly changes (this
-- region's other years and other regions); with none, against no change. Not a join of each
-- change with all the others (n² rows an indicator: billions at national scale): the indicator's
-- changes ranked once, the median of the m = n − 1 others is their middle one (m odd) or the
-- median of their middle two (m even), and the others' k-th is the k-th of all below the change's
-- own rank and the (k + 1)-th from it on.
ranked_changes as (
    select
        entity_id,
        indicator_code,
        log_change,
        row_number() over (partition by indicator_code order by log_change, entity_id) as change_rank,
        count(*) over (partition by indicator_code) - 1 as other_changes
    from changes
),

middle_positions as (
    select
        entity_id,
        indicator_code,
        other_changes,
        cast(floor((other_changes + 1) / 2.0) as integer) as k_low,
        cast(floor(other_changes / 2.0) as integer) + 1 as k_high,
        change_rank
    from ranked_changes
),

-- The one or two ranks to read, a row each (an equi-join, not an OR: that would compare each change with
-- all of its indicator's).
middle_ranks as (
    select entity_id, indicator_code, other_changes, k_low + case when k_low >= change_rank then 1 else 0 end as middle_rank
    from middle_positions
    where other_changes > 0
    union
    select entity_id, indicator_code, other_changes, k_high + case when k_high >= change_rank then 1 else 0 end as middle_rank
    from middle_positions
    where other_changes > 0
),

change_context as (
    select
        r.entity_id,
        coalesce(median(o.log_change), 0) as other_median,
        max(r.other_changes) as other_changes
    from ranked_changes as r
    left join middle_ranks as m on r.entity_id = m.entity_id
    left join ranked_changes as o on m.indicator_code = o.indicator_code and m.middle_rank = o.change_rank
    group by r.entity_id
),

yoy_jump as (
    select
        'yoy_jump' as check_name,
        'warning' as severity,
        c.entity_id,
        c.region_code,
        c.indicator_code,
        c.period_label as period,
        c.value_original as value,
        c.unit,
        {{ format_fn() }}('×{} to ×{} of {} ({}), as in {} other yearly changes',
            {{ format_arg() }}(round(exp(x.other_median) / {{ var('statistics_yoy_factor') }}, 2)),
            {{ format_arg() }}(round(exp(x.other_median) * {{ var('statistics_yoy_factor') }}, 2)),
            {{ format_arg() }}(c.prev_value), {{ format_arg() }}(c.prev_year), {{ format_arg() }}(x.other_changes)) as expected_value,
        c.prev_value * exp(x.other_median) as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('{} → {} ({} → {}) is ×{}', {{ format_arg() }}(c.prev_value), {{ format_arg() }}(c.value_original), {{ format_arg() }}(c.prev_year), {{ format_arg() }}(c.year), {{ format_arg() }}(round(exp(c.log_change), 2))) as message,
        c.file as evidence_source,
        c.file_row as evidence_line,
        c.loaded_at as first_seen
    from changes as c
    inner join change_context as x on c.entity_id = x.entity_id
    where abs(c.log_change - x.other_median) > ln({{ var('statistics_yoy_factor') }})
),

ytd as (
    select
        *,
        lag(value_original) over running as prev_value,
        lag(period_label) over running as prev_period
    from statistics
    where is_ytd and measure = 'level'
    window running as (partition by region_code, indicator_code, year(period_end) order by period_end)
),

ytd_decreasing as (
    select
        'ytd_decreasing' as check_name,
        'error' as severity,
        entity_id,
        region_code,
        indicator_code,
        period_label as period,
        value_original as value,
        unit,
        {{ format_fn() }}('at least {} ({})', {{ format_arg() }}(prev_value), {{ format_arg() }}(prev_period)) as expected_value,
        prev_value as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the year-to-date figure falls from {} ({}) to {} ({})', {{ format_arg() }}(prev_value), {{ format_arg() }}(prev_period), {{ format_arg() }}(value_original), {{ format_arg() }}(period_label)) as message,
        file as evidence_source,
        file_row as evidence_line,
        loaded_at as first_seen
    from ytd
    where value_original < prev_value
),

ytd_exceeds_year as (
    select
        'ytd_exceeds_year' as check_name,
        'error' as severity,
        y.entity_id,
        y.region_code,
        y.indicator_code,
        y.period_label as period,
        y.value_original as value,
        y.unit,
        {{ format_fn() }}('at most {} (the full year {})', {{ format_arg() }}(f.value_original), {{ format_arg() }}(f.period_label)) as expected_value,
        f.value_original as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the year-to-date figure {} ({}) exceeds the full-year figure {}', {{ format_arg() }}(y.value_original), {{ format_arg() }}(y.period_label), {{ format_arg() }}(f.value_original)) as message,
        y.file as evidence_source,
        y.file_row as evidence_line,
        y.loaded_at as first_seen
    from ytd as y
    inner join statistics as f
        on y.region_code = f.region_code and y.indicator_code = f.indicator_code
        and f.measure = 'level' and f.period_type = 'year' and year(f.period_end) = year(y.period_end)
    where y.value_original > f.value_original
),

revision_factor as (
    select
        'revision_factor' as check_name,
        'warning' as severity,
        entity_id,
        region_code,
        indicator_code,
        period_label as period,
        value,
        unit,
        {{ format_fn() }}('within ×/÷{} of the previous vintage {}', {{ format_arg() }}({{ var('statistics_revision_factor') }}), {{ format_arg() }}(previous_value)) as expected_value,
        previous_value as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('a later file revises {} to {} (×{})', {{ format_arg() }}(previous_value), {{ format_arg() }}(value), {{ format_arg() }}(round(revision_ratio, 3))) as message,
        file as evidence_source,
        file_row as evidence_line,
        loaded_at as first_seen
    from vintages
    where revision_ratio is not null
        and (revision_ratio > {{ var('statistics_revision_factor') }}
            or revision_ratio < 1.0 / {{ var('statistics_revision_factor') }})
),

duplicate_in_load as (
    select
        'duplicate_in_load' as check_name,
        'warning' as severity,
        entity_id,
        region_code,
        indicator_code,
        period_label as period,
        value,
        unit,
        {{ format_fn() }}('one value per load (the load also gives {})', {{ format_arg() }}(same_load_value)) as expected_value,
        same_load_value as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('load {} gives {} twice, {} and {} (files {})', {{ format_arg() }}(load_id), {{ format_arg() }}(period_label), {{ format_arg() }}(same_load_value), {{ format_arg() }}(value), {{ format_arg() }}(file)) as message,
        file as evidence_source,
        file_row as evidence_line,
        loaded_at as first_seen
    from (
        -- not `previous_value`: the vintage table has that column (the previous load's value)
        select
            *,
            lag(value) over (partition by region_code, indicator_code, measure, period_label, load_id order by file, file_row) as same_load_value
        from vintages
    ) as with_same_load
    where same_load_value is not null and same_load_value <> value
),

unioned as (
    select * from yoy_jump
    union all
    select * from ytd_decreasing
    union all
    select * from ytd_exceeds_year
    union all
    select * from revision_factor
    union all
    select * from duplicate_in_load
)

select
    'statistics' as check_family,
    'statistic' as entity,
    null::varchar as plan_id,
    null::varchar as evidence_text,
    *
from unioned
