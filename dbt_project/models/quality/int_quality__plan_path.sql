-- A plan's own rules against its own table path:
--   floor_vs_table: a bound the prose sets — 每年提升0.1个百分点以上, 年均增长13%以上 (at least; 以内: at
--     most) — that the table's path of the same indicator breaks: the path's per-year step (the
--     smallest, for a yearly bound) or its compound growth from its first point to the bound's year;
--     the baseline is taken at the favourable end of its rounding as written (1.63 may be 1.625), the
--     targets as exact;
--   rule_vs_table: a rule stated as a value (按年均25%增速, 提高2个百分点) that the table's path does not
--     follow, beyond rule_tolerance_relative (approx_tolerance_relative for 左右);
--   first_milestone_at_baseline: the first milestone of a path equal to the level already achieved
--     before it (the stated baseline, else the latest full-year actual): the path asks no progress in
--     its first step. A first milestone below that level is contradiction.baseline_beyond_target.
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

points as (
    select * from {{ ref('int_quality__target_points') }}
),

yearly_actuals as (
    select * from {{ ref('int_yearly_actuals') }}
),

first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

---------- the table's path of each plan × indicator: its level milestones and stated baseline
table_milestones as (
    select distinct on (plan_id, region_code, indicator_code, target_year)
        plan_id, region_code, indicator_code, target_year as year, value_original as value,
        {{ number_text('value_original') }} as written, 0.0 as half_unit, source_line, 'milestone' as point_kind
    from targets
    where source_kind = 'table' and target_type = 'level' and indicator_code is not null and value_original is not null
        and not coalesce(cumulative, false) and not coalesce(per_year, false)
    order by plan_id, region_code, indicator_code, target_year, source_line
),

table_baselines as (
    select distinct on (t.plan_id, t.region_code, t.indicator_code)
        t.plan_id, t.region_code, t.indicator_code, t.baseline_year as year, t.baseline_value_canonical as value,
        {{ number_text('t.baseline_value') }} as written,
        -- half a unit of the last digit written, in the canonical unit
        0.5 * pow(10, -length(coalesce(nullif(split_part({{ number_text('t.baseline_value') }}, '.', 2), ''), '')))
            * t.baseline_value_canonical / nullif(t.baseline_value, 0) as half_unit,
        t.source_line, 'baseline' as point_kind
    from targets as t
    where t.source_kind = 'table' and t.target_type = 'level' and t.indicator_code is not null
        and t.baseline_year is not null and t.baseline_value_canonical is not null and t.baseline_value is not null
        and not exists (
            select 1 from table_milestones as m
            where m.plan_id = t.plan_id and m.region_code = t.region_code and m.indicator_code = t.indicator_code and m.year = t.baseline_year
        )
    order by t.plan_id, t.region_code, t.indicator_code, t.baseline_year, t.source_line
),

table_path as (
    select * from table_milestones
    union all
    select * from table_baselines
),

---------- the prose's rules
-- What a rule of each target type says of the path: points over the period or a year, compound growth
-- a year (a plain growth_pct target is one year's growth, no rule for a path unless it is 每年).
rule_kinds as (
    select * from (values
        ('share_increase_pp', false, 'points'),
        ('share_increase_pp', true, 'points_per_year'),
        ('annual_avg_growth_pct', false, 'avg_growth'),
        ('annual_avg_growth_pct', true, 'avg_growth'),
        ('growth_pct', true, 'growth_per_year')
    ) as k (target_type, per_year, rule_kind)
),

rules as (
    select
        t.*,
        k.rule_kind,
        f.first_seen
    from targets as t
    inner join rule_kinds as k on t.target_type = k.target_type and coalesce(t.per_year, false) = k.per_year
    left join first_loads as f on t.target_key = f.target_key
    where t.source_kind = 'prose' and t.indicator_code is not null and t.value_original is not null
),

-- The path's points up to the rule's year, each with the one before it.
rule_steps as (
    select
        r.target_id,
        p.year, p.value, p.written, p.half_unit, p.source_line, p.point_kind,
        lag(p.year) over w as prev_year,
        lag(p.value) over w as prev_value,
        lag(p.half_unit) over w as prev_half_unit,
        first_value(p.year) over w as first_year,
        first_value(p.value) over w as first_value_,
        first_value(p.written) over w as first_written,
        first_value(p.half_unit) over w as first_half_unit,
        first_value(p.source_line) over w as first_line
    from rules as r
    inner join table_path as p
        on r.plan_id = p.plan_id and r.region_code = p.region_code and r.indicator_code = p.indicator_code
        and p.year <= r.target_year
    window w as (partition by r.target_id order by p.year rows between unbounded preceding and current row)
),

-- What the table says in the rule's terms: favourable (the baseline's rounding taken in the bound's
-- direction) and as written, with the arithmetic.
path_figures as (
    select
        r.target_id,
        last.year as last_year, last.value as last_value, last.written as last_written, last.source_line as last_line,
        last.first_year, last.first_value_, last.first_written, last.first_line,
        last.year - last.first_year as years,
        case when r.qualifier = 'at_most' then 1 else -1 end as favour,
        case r.rule_kind
            when 'points' then last.value - last.first_value_
            when 'points_per_year' then (last.value - last.first_value_) / (last.year - last.first_year)
            when 'avg_growth' then 100 * (pow(last.value / last.first_value_, 1.0 / (last.year - last.first_year)) - 1)
            when 'growth_per_year' then 100 * (pow(last.value / last.first_value_, 1.0 / (last.year - last.first_year)) - 1)
        end as figure,
        case r.rule_kind
            when 'points' then {{ format_fn() }}('{} − {} = {}', {{ format_arg() }}(last.written), {{ format_arg() }}(last.first_written), {{ format_arg() }}(round(last.value - last.first_value_, 3)))
            when 'points_per_year' then {{ format_fn() }}('({} − {}) / {} = {} points a year', {{ format_arg() }}(last.written), {{ format_arg() }}(last.first_written),
                {{ format_arg() }}(last.year - last.first_year), {{ format_arg() }}(round((last.value - last.first_value_) / (last.year - last.first_year), 3)))
            else {{ format_fn() }}('({} / {})^(1/{}) − 1 = {} %', {{ format_arg() }}(last.written), {{ format_arg() }}(last.first_written), {{ format_arg() }}(last.year - last.first_year),
                {{ format_arg() }}(round(100 * (pow(last.value / last.first_value_, 1.0 / (last.year - last.first_year)) - 1), 2)))
        end as arithmetic
    from rules as r
    inner join rule_steps as last on r.target_id = last.target_id and last.year = r.target_year
    where last.year > last.first_year and last.first_value_ > 0
),

-- A yearly bound must hold on every step of the path: its weakest step (favourable rounding).
weakest_steps as (
    select
        s.target_id,
        {{ arg_min('s.prev_year', 's.step * s.sign') }} as weakest_prev_year,
        {{ arg_min('s.year', 's.step * s.sign') }} as weakest_year,
        {{ arg_min('s.step', 's.step * s.sign') }} as weakest_step
    from (
        select
            s.*,
            case when r.qualifier = 'at_most' then -1 else 1 end as sign,
            case r.rule_kind
                when 'points_per_year' then
                    (s.value - s.prev_value + case when r.qualifier = 'at_most' then -1 else 1 end * coalesce(s.prev_half_unit, 0)) / (s.year - s.prev_year)
                when 'growth_per_year' then
                    100 * (pow(s.value / (s.prev_value - case when r.qualifier = 'at_most' then -1 else 1 end * coalesce(s.prev_half_unit, 0)), 1.0 / (s.year - s.prev_year)) - 1)
            end as step
        from rule_steps as s
        inner join rules as r on s.target_id = r.target_id
        where s.prev_year is not null and s.prev_value > 0 and r.rule_kind in ('points_per_year', 'growth_per_year')
    ) as s
    group by s.target_id
),

judged as (
    select
        r.*,
        f.last_year,
        f.last_value,
        f.last_written,
        f.last_line,
        f.first_year,
        f.first_value_,
        f.first_written,
        f.first_line,
        f.years,
        f.favour,
        f.figure,
        f.arithmetic,
        w.weakest_prev_year,
        w.weakest_year,
        w.weakest_step,
        -- the figure with the baseline at the favourable end of its rounding
        case r.rule_kind
            when 'points' then f.last_value - (f.first_value_ + f.favour * coalesce(b.first_half_unit, 0))
            when 'points_per_year' then w.weakest_step
            when 'growth_per_year' then w.weakest_step
            when 'avg_growth' then 100 * (pow(f.last_value / (f.first_value_ + f.favour * coalesce(b.first_half_unit, 0)), 1.0 / f.years) - 1)
        end as favourable_figure
    from rules as r
    inner join path_figures as f on r.target_id = f.target_id
    left join (select distinct target_id, first_half_unit from rule_steps) as b on r.target_id = b.target_id
    left join weakest_steps as w on r.target_id = w.target_id
),

bounds as (
    select
        'floor_vs_table' as check_name,
        'warning' as severity,
        'target' as entity,
        target_id as entity_id,
        plan_id,
        region_code,
        indicator_code,
        target_year::varchar as period,
        value_original as value,
        canonical_unit as unit,
        {{ format_fn() }}('{} {} (the table, lines {}–{}: {})',
            {{ format_arg() }}(case when qualifier = 'at_most' then 'at most' else 'at least' end),
            {{ format_arg() }}({{ number_text('value_original') }}), {{ format_arg() }}(first_line), {{ format_arg() }}(last_line), {{ format_arg() }}(arithmetic)) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the prose (line {}) sets {} {} {}{}, but the table''s path {} ({}, line {}) → {} ({}, line {}) gives {}{}',
            {{ format_arg() }}(source_line),
            {{ format_arg() }}(case when qualifier = 'at_most' then 'at most' else 'at least' end),
            {{ format_arg() }}({{ number_text('value_original') }}), {{ format_arg() }}(canonical_unit),
            {{ format_arg() }}(case when rule_kind in ('points_per_year', 'growth_per_year') then ' a year' else '' end),
            {{ format_arg() }}(first_written), {{ format_arg() }}(first_year), {{ format_arg() }}(first_line), {{ format_arg() }}(last_written), {{ format_arg() }}(last_year), {{ format_arg() }}(last_line), {{ format_arg() }}(arithmetic),
            {{ format_arg() }}(case when rule_kind in ('points_per_year', 'growth_per_year') and weakest_prev_year <> first_year
                 then {{ format_fn() }}('; its weakest step {} → {} gives {}', {{ format_arg() }}(weakest_prev_year), {{ format_arg() }}(weakest_year), {{ format_arg() }}(round(weakest_step, 3)))
                 else '' end)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from judged
    where qualifier in ('at_least', 'at_most')
        and case when qualifier = 'at_most'
                 then favourable_figure > value_original + {{ var('rule_tolerance_relative') }} * abs(value_original)
                 else favourable_figure < value_original - {{ var('rule_tolerance_relative') }} * abs(value_original) end
),

stated_rules as (
    select
        'rule_vs_table' as check_name,
        'warning' as severity,
        'target' as entity,
        target_id as entity_id,
        plan_id,
        region_code,
        indicator_code,
        target_year::varchar as period,
        value_original as value,
        canonical_unit as unit,
        {{ format_fn() }}('{} (the table, lines {}–{}: {})', {{ format_arg() }}(round(figure, 3)), {{ format_arg() }}(first_line), {{ format_arg() }}(last_line), {{ format_arg() }}(arithmetic)) as expected_value,
        round(figure, 3) as suggested_value,
        {{ format_fn() }}('the prose (line {}) states {} {}{}, but the table''s path {} ({}, line {}) → {} ({}, line {}) gives {}',
            {{ format_arg() }}(source_line), {{ format_arg() }}({{ number_text('value_original') }}), {{ format_arg() }}(canonical_unit),
            {{ format_arg() }}(case when rule_kind in ('points_per_year', 'growth_per_year') then ' a year' else '' end),
            {{ format_arg() }}(first_written), {{ format_arg() }}(first_year), {{ format_arg() }}(first_line), {{ format_arg() }}(last_written), {{ format_arg() }}(last_year), {{ format_arg() }}(last_line), {{ format_arg() }}(arithmetic)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from judged
    where qualifier in ('exact', 'approximately')
        and abs(figure - value_original) > abs(value_original) * case when qualifier = 'approximately'
            then {{ var('approx_tolerance_relative') }} else {{ var('rule_tolerance_relative') }} end
),

---------- a path's first milestone equal to the level already achieved
first_milestones as (
    select distinct on (plan_id, region_code, indicator_code) *
    from points
    where point_kind = 'milestone' and target_id is not null
    order by plan_id, region_code, indicator_code, year
),

achieved as (
    select distinct on (m.target_id)
        m.target_id,
        coalesce(b.value, a.value) as achieved_value,
        coalesce(b.year, a.year) as achieved_year,
        case when b.value is not null then {{ format_fn() }}('the baseline stated on line {}', {{ format_arg() }}(b.source_line))
             else {{ format_fn() }}('{} {}:{}', {{ format_arg() }}(a.source_kind), {{ format_arg() }}(a.source_document), {{ format_arg() }}(coalesce(a.source_line::varchar, '?'))) end as achieved_by
    from first_milestones as m
    left join points as b
        on b.plan_id = m.plan_id and b.region_code = m.region_code and b.indicator_code = m.indicator_code
        and b.point_kind = 'baseline' and b.year < m.year
    left join yearly_actuals as a
        on a.region_code = m.region_code and a.indicator_code = m.indicator_code and a.measure = 'level' and a.year < m.year
    order by m.target_id, b.year desc nulls last, a.year desc nulls last
),

first_milestone_at_baseline as (
    select
        'first_milestone_at_baseline' as check_name,
        'warning' as severity,
        'target' as entity,
        m.target_id as entity_id,
        m.plan_id,
        m.region_code,
        m.indicator_code,
        m.year::varchar as period,
        m.value,
        m.unit,
        {{ format_fn() }}('{} {} ({} achieved, {})', {{ format_arg() }}(case when m.direction = 'lower_is_better' then 'below' else 'above' end),
            {{ format_arg() }}({{ number_text('a.achieved_value') }}), {{ format_arg() }}(a.achieved_year), {{ format_arg() }}(a.achieved_by)) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the first milestone {} {} ({}) equals the level {} already achieved in {} ({}): the path asks no progress by {}',
            {{ format_arg() }}({{ number_text('m.value') }}), {{ format_arg() }}(m.unit), {{ format_arg() }}(m.year), {{ format_arg() }}({{ number_text('a.achieved_value') }}), {{ format_arg() }}(a.achieved_year), {{ format_arg() }}(a.achieved_by), {{ format_arg() }}(m.year)) as message,
        m.document as evidence_source,
        m.source_line as evidence_line,
        m.source_text as evidence_text,
        m.first_seen
    from first_milestones as m
    inner join achieved as a on m.target_id = a.target_id
    where a.achieved_value is not null and a.achieved_year < m.year
        and abs(m.value - a.achieved_value) <= 1e-9 * greatest(abs(m.value), abs(a.achieved_value))
)

select 'plan_path' as check_family, * from bounds
union all
select 'plan_path' as check_family, * from stated_rules
union all
select 'plan_path' as check_family, * from first_milestone_at_baseline
