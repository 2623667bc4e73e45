-- Decimal shift: a target about 10^k times what its neighbours in the trajectory (the
-- adjacent milestones, or the stated baseline) suggest — k = round(log10(x / ref), 0),
-- flagged when |k| >= 1 and |log10(x / ref) - k| <= decimal_shift_tolerance_log10.
-- Shifts a unit confusion explains (万元 vs 亿元, % vs ‰) are the unit family's.
-- The suggestion: of the one-edit typo candidates of the number as written (a dropped,
-- added or misplaced decimal point: 605 → 6.05, 60.5, 6.5 …), the one between the
-- neighbours nearest the reference; else x / 10^k.
with

points as (
    select * from {{ ref('int_quality__target_points') }}
),

shifted as (
    select *
    from points
    where point_kind = 'milestone'
        and abs(shift_k) >= 1
        and abs(log10_ratio - shift_k) <= {{ var('decimal_shift_tolerance_log10') }}
        and not list_contains(unit_shifts, shift_k)
),

candidates as (
    select
        s.target_id,
        unnest({{ typo_candidates(number_text('s.value_as_written')) }}) * (s.value / s.value_as_written) as candidate
    from shifted as s
    where s.value_as_written is not null and s.value_as_written <> 0
),

-- The candidate between the neighbours (both present), nearest the reference.
between_neighbours as (
    select distinct on (c.target_id) c.target_id, c.candidate
    from candidates as c
    inner join shifted as s on c.target_id = s.target_id
    where s.prev_value is not null and s.next_value is not null
        and c.candidate between least(s.prev_value, s.next_value) and greatest(s.prev_value, s.next_value)
    order by c.target_id, abs(c.candidate - s.reference_value), c.candidate
)

select
    'decimal_shift' as check_family,
    'decimal_shift' as check_name,
    'error' as severity,
    'target' as entity,
    s.target_id as entity_id,
    s.plan_id,
    s.region_code,
    s.indicator_code,
    s.year::varchar as period,
    s.value,
    s.unit,
    coalesce(
        {{ format_fn() }}('between {} ({}) and {} ({})', {{ format_arg() }}({{ number_text('s.prev_value') }}), {{ format_arg() }}(s.prev_year), {{ format_arg() }}({{ number_text('s.next_value') }}), {{ format_arg() }}(s.next_year)),
        {{ format_fn() }}('about {} (neighbour {})', {{ format_arg() }}({{ number_text('s.reference_value') }}), {{ format_arg() }}(coalesce(s.prev_year, s.next_year)))
    ) as expected_value,
    s.reference_value,
    coalesce(b.candidate, s.value / power(10, s.shift_k)) as suggested_value,
    {{ format_fn() }}('{} is about 10^{} times its neighbours in the plan''s trajectory{}',
        {{ format_arg() }}({{ number_text('s.value') }}), {{ format_arg() }}(s.shift_k),
        {{ format_arg() }}(case when b.candidate is not null then '; a typo of the decimal point gives a value between them' else '' end)) as message,
    s.document as evidence_source,
    s.source_line as evidence_line,
    s.source_text as evidence_text,
    s.first_seen
from shifted as s
left join between_neighbours as b on s.target_id = b.target_id
