-- Contradiction: figures that disagree with each other —
--   prose_vs_table: the same target stated in prose and in the table (or twice) with different
--     values on different lines (raw.plan_conflicts, grouped by conflict_group); the table's value is
--     the expected one;
--   baseline_beyond_target: a level target already beaten, for the indicator's direction, by its
--     series' baseline (int_target_baselines: the plan's stated one, else the actual before the plan);
--   baseline_vs_reported_actual: a plan's stated baseline differing by more than
--     baseline_tolerance_relative from the actual reported for that year;
--   growth_rate_mismatch: a stated growth rate that disagrees by more than
--     growth_tolerance_points with the two levels it relates;
--   actual_sources_disagree: a figure read from a document's text that differs by more than
--     actual_sources_tolerance_relative from the better-ranked source's figure for the same region,
--     indicator, measure and period (int_actual_candidates; a statistics file outranks a bulletin's
--     text, which outranks a plan's review of past years). The text figure is flagged; the marts use
--     the better-ranked one.
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

statistics as (
    select * from {{ ref('stg_statistics') }}
),

reported as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

candidates as (
    select * from {{ ref('int_actual_candidates') }}
),

baselines as (
    select * from {{ ref('int_target_baselines') }}
),

first_reported as (
    select * from {{ ref('stg_reported_actual_first_loads') }}
),

source_ranks as (
    select source_kind, source_rank from {{ ref('stg_actual_sources') }}
),

-- Actuals as loaded or reported (before reviewer corrections), yearly levels and growth rates, with
-- their source's rank (seeds/reference/actual_sources.csv).
actuals as (
    select
        region_code, indicator_code, measure, base_year,
        year(period_end) as year,
        value_original as value,
        'statistics' as origin,
        (select source_rank from source_ranks where source_kind = 'statistics_file') as source_rank,
        file as evidence_source,
        file_row as evidence_line,
        {{ statistic_entity_id() }} as statistic_entity_id,
        period_label,
        loaded_at
    from statistics
    where period_type = 'year'
    union all
    select
        r.region_code, r.indicator_code, r.measure, null::integer,
        r.period_end_year,
        r.value_original,
        'plan_document',
        k.source_rank,
        r.document,
        r.source_line,
        null,
        r.period_end_year::varchar,
        r.loaded_at
    from reported as r
    inner join source_ranks as k on r.source_kind = k.source_kind
    where r.indicator_code is not null and r.value_original is not null and r.period_type = 'year'
),

---------- prose against table
conflicted as (
    select
        t.*,
        first_value(t.value_original) over grp as expected_value_,
        first_value(t.source_kind) over grp as expected_kind,
        first_value(t.source_line) over grp as expected_line,
        row_number() over grp as rank_in_group,
        -- (min and max: PostgreSQL has no distinct in window aggregates)
        min(t.source_line) over (partition by t.conflict_group) < max(t.source_line) over (partition by t.conflict_group) as on_several_lines
    from targets as t
    inner join (
        select distinct c.conflict_group
        from {{ source('raw', 'plan_conflicts') }} as c
        inner join plans as p on c.document = p.document and c.load_id = p.load_id
    ) as g on t.conflict_group = g.conflict_group
    window grp as (partition by t.conflict_group order by (t.source_kind = 'table') desc, t.source_line)
),

prose_vs_table as (
    select
        'prose_vs_table' as check_name,
        'warning' as severity,
        'target' as entity,
        c.target_id as entity_id,
        c.plan_id,
        c.region_code,
        c.indicator_code,
        c.target_year::varchar as period,
        c.value_original as value,
        c.canonical_unit as unit,
        {{ format_fn() }}('{} (the {} on line {})', {{ format_arg() }}({{ number_text('c.expected_value_') }}), {{ format_arg() }}(c.expected_kind), {{ format_arg() }}(c.expected_line)) as expected_value,
        c.expected_value_ as suggested_value,
        {{ format_fn() }}('the {} on line {} states {} {}, the {} on line {} states {}',
            {{ format_arg() }}(c.source_kind), {{ format_arg() }}(c.source_line), {{ format_arg() }}({{ number_text('c.value_original') }}), {{ format_arg() }}(c.canonical_unit),
            {{ format_arg() }}(c.expected_kind), {{ format_arg() }}(c.expected_line), {{ format_arg() }}({{ number_text('c.expected_value_') }})) as message,
        c.document as evidence_source,
        c.source_line as evidence_line,
        c.source_text as evidence_text,
        f.first_seen
    from conflicted as c
    left join first_loads as f on c.target_key = f.target_key
    -- Two values in one sentence are a floor and its stretch (确保超过6000万元、争取7000万元; 新增50家，努力实现新增100家),
    -- not a document contradicting itself: only values stated on different lines disagree.
    where c.rank_in_group > 1 and c.value_original is distinct from c.expected_value_ and c.on_several_lines
),

---------- baselines
level_targets as (
    select t.*, i.direction, p.start_year as plan_start_year, f.first_seen
    from targets as t
    inner join indicators as i on t.indicator_code = i.indicator_code
    inner join plans as p on t.plan_id = p.plan_id
    left join first_loads as f on t.target_key = f.target_key
    where t.target_type = 'level'
        and t.value_original is not null
        and not coalesce(t.cumulative, false)
        and not coalesce(t.per_year, false)
),

baseline_beyond_target as (
    select
        'baseline_beyond_target' as check_name,
        'warning' as severity,
        'target' as entity,
        t.target_id as entity_id,
        t.plan_id,
        t.region_code,
        t.indicator_code,
        t.target_year::varchar as period,
        t.value_original as value,
        t.canonical_unit as unit,
        {{ format_fn() }}('{} {} (the {} of {}, {}:{})',
            {{ format_arg() }}(case when t.direction = 'lower_is_better' then 'below' else 'above' end),
            {{ format_arg() }}({{ number_text('b.baseline_value') }}),
            {{ format_arg() }}(case when b.baseline_source = 'plan' then 'baseline the plan states'
                 else b.baseline_evidence_kind || ' actual' end),
            {{ format_arg() }}(coalesce(b.baseline_year::varchar, '?')),
            {{ format_arg() }}(b.baseline_document), {{ format_arg() }}(coalesce(b.baseline_line::varchar, '?'))) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the {} target {} {} is already {} by the {} baseline {}',
            {{ format_arg() }}(t.target_year), {{ format_arg() }}({{ number_text('t.value_original') }}), {{ format_arg() }}(t.canonical_unit),
            {{ format_arg() }}(case when t.direction = 'lower_is_better' then 'undercut' else 'exceeded' end),
            {{ format_arg() }}(coalesce(b.baseline_year::varchar, '?')), {{ format_arg() }}({{ number_text('b.baseline_value') }})) as message,
        t.document as evidence_source,
        t.source_line as evidence_line,
        t.source_text as evidence_text,
        t.first_seen
    from level_targets as t
    -- the baseline chosen once for the plan's series (int_target_baselines)
    inner join baselines as b
        on t.plan_id = b.plan_id and t.region_code = b.region_code and t.indicator_code = b.indicator_code
    where (b.baseline_year is null or b.baseline_year < t.target_year)
        and case when t.direction = 'lower_is_better'
                 then b.baseline_value < t.value_original
                 else b.baseline_value > t.value_original end
),

baseline_actual as (
    select distinct on (t.plan_id, t.region_code, t.indicator_code, t.baseline_year, t.baseline_value_canonical) t.*, a.value as actual_value, a.origin, a.evidence_source as actual_source, a.evidence_line as actual_line
    from level_targets as t
    inner join actuals as a
        on t.region_code = a.region_code and t.indicator_code = a.indicator_code
        and a.measure = 'level' and a.year = t.baseline_year
    where t.baseline_value_canonical is not null
    -- one flag per stated baseline (milestones of one table row share it), against the
    -- closest actual of that year if there are several
    order by t.plan_id, t.region_code, t.indicator_code, t.baseline_year, t.baseline_value_canonical, abs(t.baseline_value_canonical - a.value), t.target_year desc
),

baseline_vs_reported as (
    select
        'baseline_vs_reported_actual' as check_name,
        'warning' as severity,
        'target' as entity,
        target_id as entity_id,
        plan_id,
        region_code,
        indicator_code,
        baseline_year::varchar as period,
        baseline_value_canonical as value,
        canonical_unit as unit,
        {{ format_fn() }}('{} ({} {}:{})', {{ format_arg() }}({{ number_text('actual_value') }}), {{ format_arg() }}(origin), {{ format_arg() }}(actual_source), {{ format_arg() }}(actual_line)) as expected_value,
        actual_value as suggested_value,
        {{ format_fn() }}('the baseline {} {} stated for {} differs from the actual {} reported in {} (line/row {})',
            {{ format_arg() }}({{ number_text('baseline_value_canonical') }}), {{ format_arg() }}(canonical_unit), {{ format_arg() }}(baseline_year),
            {{ format_arg() }}({{ number_text('actual_value') }}), {{ format_arg() }}(actual_source), {{ format_arg() }}(actual_line)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from baseline_actual
    where abs(baseline_value_canonical - actual_value)
        > {{ var('baseline_tolerance_relative') }} * greatest(abs(baseline_value_canonical), abs(actual_value))
),

---------- growth rates against the levels they relate (statistics)
growth_rates as (
    select distinct on (g.statistic_entity_id)
        g.*,
        cur.value as level_now,
        base.value as level_base,
        base.year as level_base_year,
        100 * (cur.value / base.value - 1) as implied_pct
    from actuals as g
    inner join actuals as cur
        on g.region_code = cur.region_code and g.indicator_code = cur.indicator_code
        and cur.measure = 'level' and cur.year = g.year
    inner join actuals as base
        on g.region_code = base.region_code and g.indicator_code = base.indicator_code
        and base.measure = 'level'
        and base.year = case when g.measure = 'cumulative_growth_pct' then g.base_year else g.year - 1 end
    where g.origin = 'statistics'
        and g.measure in ('growth_pct', 'cumulative_growth_pct')
        and base.value > 0
    order by g.statistic_entity_id, abs(g.value - 100 * (cur.value / base.value - 1))
),

growth_rate_mismatch as (
    select
        'growth_rate_mismatch' as check_name,
        'warning' as severity,
        'statistic' as entity,
        statistic_entity_id as entity_id,
        null as plan_id,
        region_code,
        indicator_code,
        period_label as period,
        value,
        '%' as unit,
        {{ format_fn() }}('{} % ({} → {}, {} → {})', {{ format_arg() }}(round(implied_pct, 2)), {{ format_arg() }}({{ number_text('level_base') }}), {{ format_arg() }}({{ number_text('level_now') }}), {{ format_arg() }}(level_base_year), {{ format_arg() }}(year)) as expected_value,
        round(implied_pct, 2) as suggested_value,
        {{ format_fn() }}('the stated growth {} % disagrees with the levels {} ({}) and {} ({}), which give {} %',
            {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}({{ number_text('level_base') }}), {{ format_arg() }}(level_base_year), {{ format_arg() }}({{ number_text('level_now') }}), {{ format_arg() }}(year), {{ format_arg() }}(round(implied_pct, 2))) as message,
        evidence_source,
        evidence_line,
        null as evidence_text,
        loaded_at as first_seen
    from growth_rates
    where abs(value - implied_pct) > {{ var('growth_tolerance_points') }}
),

---------- a figure from text against the better-ranked source's figure for the same key
actual_sources_disagree as (
    select
        'actual_sources_disagree' as check_name,
        'warning' as severity,
        'reported_actual' as entity,
        c.actual_candidate_id as entity_id,
        r.plan_id,
        c.region_code,
        c.indicator_code,
        c.period_label as period,
        c.value_original as value,
        c.unit,
        {{ format_fn() }}('{} ({} {}:{})', {{ format_arg() }}({{ number_text('best.value_original') }}), {{ format_arg() }}(best.source_kind), {{ format_arg() }}(best.source_document),
            {{ format_arg() }}(coalesce(best.source_line::varchar, '?'))) as expected_value,
        best.value_original as suggested_value,
        {{ format_fn() }}('the {} {} line {} gives {} {} {} for {}, the better-ranked {} {} (line/row {}) gives {}',
            {{ format_arg() }}(c.source_kind), {{ format_arg() }}(c.source_document), {{ format_arg() }}(c.source_line), {{ format_arg() }}(c.indicator_code), {{ format_arg() }}({{ number_text('c.value_original') }}),
            {{ format_arg() }}(c.unit), {{ format_arg() }}(c.period_label), {{ format_arg() }}(best.source_kind), {{ format_arg() }}(best.source_document), {{ format_arg() }}(coalesce(best.source_line::varchar, '?')),
            {{ format_arg() }}({{ number_text('best.value_original') }})) as message,
        c.source_document as evidence_source,
        c.source_line as evidence_line,
        c.source_text as evidence_text,
        coalesce(f.first_seen, c.loaded_at) as first_seen
    from candidates as c
    inner join candidates as best on c.actual_key = best.actual_key and best.rank_in_key = 1
    inner join reported as r on c.actual_candidate_id = r.reported_actual_id
    left join first_reported as f on c.actual_candidate_id = f.reported_actual_id
    where c.rank_in_key > 1
        and abs(c.value_original - best.value_original)
            > {{ var('actual_sources_tolerance_relative') }} * greatest(abs(c.value_original), abs(best.value_original))
),

unioned as (
    select * from prose_vs_table
    union all
    select * from baseline_beyond_target
    union all
    select * from baseline_vs_reported
    union all
    select * from growth_rate_mismatch
    union all
    select * from actual_sources_disagree
)

select 'contradiction' as check_family, * from unioned
