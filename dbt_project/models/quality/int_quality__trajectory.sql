-- Trajectory: milestones that move against the indicator's direction (a higher-is-better
-- indicator planned to fall from one milestone to the next), and a single step
-- far out of line with the series' other steps: the step's growth factor differs from the
-- median factor of the other steps by more than trajectory_step_factor (×/÷). Points a
-- decimal-shift or unit flag already explains are left out, so that one typo is one flag.
with

points as (
    select * from {{ ref('int_quality__target_points') }}
),

explained as (
    select entity_id from {{ ref('int_quality__decimal_shift') }}
    union
    select entity_id from {{ ref('int_quality__unit') }} where check_name = 'magnitude_fits_other_unit'
),

clean as (
    select
        p.target_id,
        p.plan_id,
        p.region_code,
        p.indicator_code,
        p.year,
        p.point_kind,
        p.value,
        p.value_as_written,
        p.unit_as_written,
        p.unit,
        p.baseline_year,
        p.baseline_value_canonical,
        p.document,
        p.source_line,
        p.source_text,
        p.first_seen,
        p.value_kind,
        p.direction,
        p.series_points,
        p.unit_shifts,
        p.others_median,
        p.reference_value,
        p.log10_ratio,
        p.shift_k
    from points as p
    where p.target_id is null or p.target_id not in (select entity_id from explained)
),

steps as (
    select
        *,
        lag(value) over series as prev_value,
        lag(year) over series as prev_year,
        lag(source_line) over series as prev_line,
        lag(point_kind) over series as prev_kind,
        case when value > 0 and lag(value) over series > 0 then ln(value / lag(value) over series) end as log_step
    from clean
    window series as (partition by plan_id, region_code, indicator_code order by year)
),

-- Each step against the median of the other steps of its series (series of 3 steps or more).
step_context as (
    select
        s.plan_id,
        s.region_code,
        s.indicator_code,
        s.year,
        median(o.log_step) as other_median,
        min(o.log_step) as other_min,
        max(o.log_step) as other_max,
        count(o.log_step) as other_steps
    from steps as s
    inner join steps as o
        on s.plan_id = o.plan_id and s.region_code = o.region_code and s.indicator_code = o.indicator_code and o.year <> s.year
    where s.log_step is not null and o.log_step is not null
    group by s.plan_id, s.region_code, s.indicator_code, s.year
),

non_monotonic as (
    select
        'trajectory' as check_family,
        'non_monotonic' as check_name,
        'warning' as severity,
        'target' as entity,
        target_id as entity_id,
        plan_id,
        region_code,
        indicator_code,
        year::varchar as period,
        value,
        unit,
        {{ format_fn() }}('{} {} ({} {})', {{ format_arg() }}(case when direction = 'lower_is_better' then 'at most' else 'at least' end),
            {{ format_arg() }}({{ number_text('prev_value') }}), {{ format_arg() }}(prev_kind), {{ format_arg() }}(prev_year)) as expected_value,
        prev_value as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the plan''s path {} from {} ({}) to {} ({}) for a {} indicator',
            {{ format_arg() }}(case when value < prev_value then 'falls' else 'rises' end),
            {{ format_arg() }}({{ number_text('prev_value') }}), {{ format_arg() }}(prev_year), {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}(year), {{ format_arg() }}(replace(direction, '_', ' '))) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from steps
    where point_kind = 'milestone'
        and prev_kind = 'milestone'  -- a baseline beyond a milestone is contradiction.baseline_beyond_target
        and prev_value is not null
        and ((direction = 'lower_is_better' and value > prev_value)
            or (direction <> 'lower_is_better' and value < prev_value))
),

out_of_line as (
    select
        'trajectory' as check_family,
        'step_out_of_line' as check_name,
        'warning' as severity,
        'target' as entity,
        s.target_id as entity_id,
        s.plan_id,
        s.region_code,
        s.indicator_code,
        s.year::varchar as period,
        s.value,
        s.unit,
        {{ format_fn() }}('a step of ×{} to ×{} from {} ({}), like the other {} steps',
            {{ format_arg() }}(round(exp(c.other_min), 2)), {{ format_arg() }}(round(exp(c.other_max), 2)), {{ format_arg() }}({{ number_text('s.prev_value') }}), {{ format_arg() }}(s.prev_year), {{ format_arg() }}(c.other_steps)) as expected_value,
        s.prev_value * exp(c.other_median) as reference_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the step {} → {} ({} → {}) is ×{}, the series'' other steps ×{} (median)',
            {{ format_arg() }}({{ number_text('s.prev_value') }}), {{ format_arg() }}({{ number_text('s.value') }}), {{ format_arg() }}(s.prev_year), {{ format_arg() }}(s.year),
            {{ format_arg() }}(round(exp(s.log_step), 2)), {{ format_arg() }}(round(exp(c.other_median), 2))) as message,
        s.document as evidence_source,
        s.source_line as evidence_line,
        s.source_text as evidence_text,
        s.first_seen
    from steps as s
    inner join step_context as c
        on s.plan_id = c.plan_id and s.region_code = c.region_code and s.indicator_code = c.indicator_code and s.year = c.year
    where s.point_kind = 'milestone'
        and c.other_steps >= 2
        and abs(s.log_step - c.other_median) > ln({{ var('trajectory_step_factor') }})
)

select * from non_monotonic
union all
select * from out_of_line
