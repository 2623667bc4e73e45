-- Unit: a target whose magnitude fits another unit of the same dimension — about 10^k
-- times its neighbours where k is what confusing the written unit with another one gives
-- (万元 written for 亿元: 10^-4; % for ‰: 10) — and targets whose unit cannot convert to
-- the indicator's canonical unit (they drop out of target-versus-actual), except multiples of a
-- base (倍), which are no unit of the indicator's dimension.
with

points as (
    select * from {{ ref('int_quality__target_points') }}
),

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

-- units that state a multiple of a base (翻一番 = 2 倍), not a level in another unit
multiples as (
    select unit from {{ ref('units') }} where dimension = 'multiple'
),

magnitude as (
    select
        'unit' as check_family,
        'magnitude_fits_other_unit' as check_name,
        'error' as severity,
        'target' as entity,
        target_id as entity_id,
        plan_id,
        region_code,
        indicator_code,
        year::varchar as period,
        value,
        unit,
        {{ format_fn() }}('about {} (neighbours in the trajectory)', {{ format_arg() }}({{ number_text('reference_value') }})) as expected_value,
        reference_value,
        value / power(10, shift_k) as suggested_value,
        {{ format_fn() }}('{} {} is about 10^{} times its neighbours: the figure fits another unit than {}',
            {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}(unit), {{ format_arg() }}(shift_k), {{ format_arg() }}(unit_as_written)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from points
    where point_kind = 'milestone'
        and abs(shift_k) >= 1
        and abs(log10_ratio - shift_k) <= {{ var('decimal_shift_tolerance_log10') }}
        and list_contains(unit_shifts, shift_k)
),

not_convertible as (
    select
        'unit' as check_family,
        'unit_not_convertible' as check_name,
        'warning' as severity,
        'target' as entity,
        t.target_id as entity_id,
        t.plan_id,
        t.region_code,
        t.indicator_code,
        t.target_year::varchar as period,
        t.value_as_written as value,
        t.unit_as_written as unit,
        {{ format_fn() }}('a value in {}', {{ format_arg() }}(t.canonical_unit)) as expected_value,
        null::double precision as reference_value,
        null::double precision as suggested_value,
        t.unit_issue as message,
        t.document as evidence_source,
        t.source_line as evidence_line,
        t.source_text as evidence_text,
        f.first_seen
    from targets as t
    left join first_loads as f on t.target_key = f.target_key
    where t.unit_issue is not null
        -- 高新技术企业营业收入翻一番 (2 倍) beside 达到1600亿元: the doubling restates the level, it does not mis-state its unit
        -- (coalesce: a target with no unit written is still flagged; null not in (…) would drop it)
        and coalesce(t.unit_as_written, '') not in (select unit from multiples)
)

select * from magnitude
union all
select * from not_convertible
