-- Statistics 10^k off their series' own expected value: each level figure against the median of
-- the same period of the year (the same month, year to date or full year) in the series' other
-- years within statistic_shift_window_years (at least two of them) — a stock's monthly level and
-- a flow's year-to-date path alike, trend and season kept. k = round(log10(x / expected)), flagged
-- when |k| >= 1 and |log10(x / expected) - k| <= decimal_shift_tolerance_log10. In an amount (万元)
-- k = ±4 is a unit slip, family unit (a number in 万元 labelled 亿元, or the reverse); any other k
-- is a decimal shift, family decimal_shift. The candidate fix is x / 10^k. Statistics Norway's
-- thousand-error check (Kostra::ThError: log10 of this period against the last) generalised to
-- any 10^k, with the same period of other years as a robust, seasonal reference.
with

statistics as (
    select
        *,
        {{ statistic_entity_id() }} as entity_id,
        year(period_end) as year
    from {{ ref('stg_statistics') }}
    where coalesce(measure, 'level') = 'level' and value_original > 0
),

expected as (
    select
        *,
        median(value_original) over same_period as reference_value,
        count(value_original) over same_period as other_years
    from statistics
    window same_period as (
        -- by months, not days: a February ends on the 29th in leap years
        partition by region_code, indicator_code, period_type, is_ytd,
            month(coalesce(period_start, period_end)), month(period_end)
        order by year
        range between {{ var('statistic_shift_window_years') }} preceding
            and {{ var('statistic_shift_window_years') }} following
        exclude current row)
),

shifted as (
    select
        *,
        log10(value_original / reference_value) as log10_ratio,
        round(log10(value_original / reference_value), 0)::integer as shift_k
    from expected
    where other_years >= 2 and reference_value > 0
),

flagged as (
    select
        *,
        unit = '万元' and abs(shift_k) = 4 as is_unit_slip
    from shifted
    where abs(shift_k) >= 1 and abs(log10_ratio - shift_k) <= {{ var('decimal_shift_tolerance_log10') }}
),

labelled as (
    select 'unit' as check_family, 'statistic_unit_slip' as check_name, * from flagged where is_unit_slip
    union all
    select 'decimal_shift' as check_family, 'statistic_decimal_shift' as check_name, * from flagged where not is_unit_slip
)

select
    check_family,
    check_name,
    'warning' as severity,
    'statistic' as entity,
    entity_id,
    null::varchar as plan_id,
    region_code,
    indicator_code,
    period_label as period,
    value_original as value,
    unit,
    {{ format_fn() }}('about {} (median of the same period in {} other years within ±{} years)',
        {{ format_arg() }}({{ number_text('round(reference_value, 4)') }}), {{ format_arg() }}(other_years),
        {{ format_arg() }}({{ var('statistic_shift_window_years') }})) as expected_value,
    reference_value,
    value_original / power(10, shift_k) as suggested_value,
    {{ format_fn() }}('{} / {} = 10^{} (k = {}){}; {} / 10^{} = {}',
        {{ format_arg() }}({{ number_text('value_original') }}), {{ format_arg() }}({{ number_text('round(reference_value, 4)') }}),
        {{ format_arg() }}(round(log10_ratio, 2)), {{ format_arg() }}(shift_k),
        {{ format_arg() }}(case
            when is_unit_slip and shift_k = 4 then ': a unit slip, a number in 万元 labelled 亿元'
            when is_unit_slip then ': a unit slip, a number in 亿元 labelled 万元'
            else ': a decimal shift'
        end),
        {{ format_arg() }}({{ number_text('value_original') }}), {{ format_arg() }}(shift_k),
        {{ format_arg() }}({{ number_text('round(value_original / power(10, shift_k), 6)') }})) as message,
    file as evidence_source,
    file_row as evidence_line,
    null::varchar as evidence_text,
    loaded_at as first_seen
from labelled
