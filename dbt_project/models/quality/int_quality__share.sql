-- A share against its numerator and denominator (seeds/reference/indicator_ratios.csv: share =
-- numerator / denominator × 100), all three stated by one document for the same year and of the same
-- sort (three targets, or three achieved figures):
--   share_vs_parts: the stated share differs from the one its parts give by more than
--     share_tolerance_relative of the share;
--   implied_denominator_jump: a share and its numerator stated for two years imply denominators
--     (numerator / share × 100: the GDP an R&D intensity and an R&D total imply) that change by more
--     than ×/÷ implied_denominator_factor a year — one of the four figures is likely wrong. Pairs may
--     mix sorts: a plan's 2025 targets imply a 2025 denominator to set against the achieved one.
-- The flag is on the share's figure; values as extracted.
with

figures as (
    select * from {{ ref('int_quality__document_figures') }}
),

ratios as (
    select * from {{ ref('indicator_ratios') }}
),

recomputed as (
    select distinct on (s.entity, s.entity_id, s.figure_kind)
        s.*,
        n.indicator_code as numerator_code, n.value as numerator, n.source_line as numerator_line,
        d.indicator_code as denominator_code, d.value as denominator, d.source_line as denominator_line,
        100 * n.value / d.value as implied_share
    from figures as s
    inner join ratios as k on s.indicator_code = k.share_code
    inner join figures as n
        on n.plan_id = s.plan_id and n.region_code = s.region_code and n.year = s.year and n.sort = s.sort
        and n.indicator_code = k.numerator_code
    inner join figures as d
        on d.plan_id = s.plan_id and d.region_code = s.region_code and d.year = s.year and d.sort = s.sort
        and d.indicator_code = k.denominator_code and d.unit = n.unit
    where d.value > 0
    -- the parts that fit the share best, when the document states several
    order by s.entity, s.entity_id, s.figure_kind, abs(s.value - 100 * n.value / d.value)
),

share_vs_parts as (
    select distinct on (entity, entity_id)
        'share_vs_parts' as check_name,
        'warning' as severity,
        entity,
        entity_id,
        plan_id,
        region_code,
        indicator_code,
        year::varchar as period,
        value,
        unit,
        {{ format_fn() }}('{} % ({} / {} × 100, lines {} and {})', {{ format_arg() }}(round(implied_share, 2)),
            {{ format_arg() }}({{ number_text('numerator') }}), {{ format_arg() }}({{ number_text('denominator') }}), {{ format_arg() }}(numerator_line), {{ format_arg() }}(denominator_line)) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the {} {} % for {} (line {}) disagrees with its parts: {} {} (line {}) / {} {} (line {}) × 100 = {} %',
            {{ format_arg() }}(figure_kind), {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}(year), {{ format_arg() }}(source_line),
            {{ format_arg() }}(numerator_code), {{ format_arg() }}({{ number_text('numerator') }}), {{ format_arg() }}(numerator_line),
            {{ format_arg() }}(denominator_code), {{ format_arg() }}({{ number_text('denominator') }}), {{ format_arg() }}(denominator_line), {{ format_arg() }}(round(implied_share, 2))) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from recomputed
    where abs(value - implied_share) > {{ var('share_tolerance_relative') }} * value
    -- one flag per figure's row (a target row stating a share's target and its baseline: the target's)
    order by entity, entity_id, figure_kind = 'target' desc
),

---------- denominators implied by a share and its numerator, year to year
implied as (
    select distinct on (s.plan_id, s.region_code, s.indicator_code, s.year)
        s.*,
        k.denominator_code,
        n.value as numerator, n.source_line as numerator_line,
        100 * n.value / s.value as implied_denominator
    from figures as s
    inner join ratios as k on s.indicator_code = k.share_code
    inner join figures as n
        on n.plan_id = s.plan_id and n.region_code = s.region_code and n.year = s.year and n.sort = s.sort
        and n.indicator_code = k.numerator_code
    where s.value > 0 and n.value > 0
    -- one per share and year: achieved figures before targets, then the earliest line
    order by s.plan_id, s.region_code, s.indicator_code, s.year, s.sort = 'achieved' desc, s.source_line, n.source_line
),

implied_steps as (
    select
        *,
        lag(year) over w as prev_year,
        lag(value) over w as prev_share,
        lag(numerator) over w as prev_numerator,
        lag(implied_denominator) over w as prev_denominator,
        lag(source_line) over w as prev_line
    from implied
    window w as (partition by plan_id, region_code, indicator_code order by year)
),

implied_denominator_jump as (
    select
        'implied_denominator_jump' as check_name,
        'warning' as severity,
        entity,
        entity_id,
        plan_id,
        region_code,
        indicator_code,
        year::varchar as period,
        value,
        unit,
        {{ format_fn() }}('×{} to ×{} a year', {{ format_arg() }}(round(1 / {{ var('implied_denominator_factor') }}, 2)), {{ format_arg() }}({{ var('implied_denominator_factor') }})) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the {} {} implied by {} / {} % ({}, line {}) and {} / {} % ({}, line {}) moves {} → {}: ×{} in {} years, ×{} a year',
            {{ format_arg() }}(indicator_code), {{ format_arg() }}(denominator_code),
            {{ format_arg() }}({{ number_text('prev_numerator') }}), {{ format_arg() }}({{ number_text('prev_share') }}), {{ format_arg() }}(prev_year), {{ format_arg() }}(prev_line),
            {{ format_arg() }}({{ number_text('numerator') }}), {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}(year), {{ format_arg() }}(source_line),
            {{ format_arg() }}({{ number_text('round(prev_denominator, 0)') }}), {{ format_arg() }}({{ number_text('round(implied_denominator, 0)') }}),
            {{ format_arg() }}(round(implied_denominator / prev_denominator, 2)), {{ format_arg() }}(year - prev_year),
            {{ format_arg() }}(round(pow(implied_denominator / prev_denominator, 1.0 / (year - prev_year)), 2))) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from implied_steps
    where prev_year is not null
        and abs(ln(implied_denominator / prev_denominator) / (year - prev_year)) > ln({{ var('implied_denominator_factor') }})
)

select 'share' as check_family, * from share_vs_parts
union all
select 'share' as check_family, * from implied_denominator_jump
