-- A part against its total (the catalog's parent_code: 高价值发明专利 of 发明专利, 发明专利授权 of
-- 专利授权), both stated by one document for the same year and of the same sort — two targets, or two
-- achieved figures (a stated baseline or a figure the text reports):
--   subset_equals_total: the part equals the total (within subset_tolerance_relative): one figure
--     was most likely written for the other;
--   subset_exceeds_total: the part is larger than its total.
-- The flag is on the part's figure; values as extracted (before reviewer corrections).
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

reported as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

first_loads as (
    select target_key, min(loaded_at) as first_seen
    from {{ source('raw', 'plan_targets') }}
    group by target_key
),

first_reported as (
    select md5(actual_key) as reported_actual_id, min(loaded_at) as first_seen
    from {{ source('raw', 'plan_reported_actuals') }}
    group by actual_key
),

figures as (
    -- level targets
    select
        'target' as entity, t.target_id as entity_id, 'target' as sort, 'target' as figure_kind,
        t.plan_id, t.region_code, t.indicator_code, t.target_year as year, t.value_original as value, t.canonical_unit as unit,
        t.document, t.source_line, t.source_text, f.first_seen
    from targets as t
    left join first_loads as f on t.target_key = f.target_key
    where t.target_type = 'level' and not coalesce(t.cumulative, false) and not coalesce(t.per_year, false)
        and t.value_original > 0
    union all
    -- baselines stated with targets
    select
        'target', t.target_id, 'achieved', 'baseline',
        t.plan_id, t.region_code, t.indicator_code, t.baseline_year, t.baseline_value_canonical, t.canonical_unit,
        t.document, t.source_line, t.source_text, f.first_seen
    from targets as t
    left join first_loads as f on t.target_key = f.target_key
    where t.target_type = 'level' and t.baseline_year is not null and t.baseline_value_canonical > 0
    union all
    -- full-year levels the text reports
    select
        'reported_actual', r.reported_actual_id, 'achieved', 'reported figure',
        r.plan_id, r.region_code, r.indicator_code, r.period_end_year, r.value_original, r.canonical_unit,
        r.document, r.source_line, r.source_text, coalesce(f.first_seen, r.loaded_at)
    from reported as r
    left join first_reported as f on r.reported_actual_id = f.reported_actual_id
    where r.measure = 'level' and r.period_type = 'year' and r.value_original > 0
),

-- One figure per document × indicator × year × sort × value (a baseline repeated on milestone rows).
distinct_figures as (
    select *
    from figures
    where indicator_code is not null and year is not null
    qualify row_number() over (
        partition by plan_id, region_code, indicator_code, year, sort, value
        order by figure_kind = 'target' desc, figure_kind = 'baseline' desc, source_line, entity_id
    ) = 1
),

pairs as (
    select
        part.*,
        i.parent_code,
        total.value as total_value,
        total.figure_kind as total_kind,
        total.source_line as total_line
    from distinct_figures as part
    inner join indicators as i on part.indicator_code = i.indicator_code
    inner join distinct_figures as total
        on total.plan_id = part.plan_id and total.region_code = part.region_code and total.indicator_code = i.parent_code
        and total.year = part.year and total.sort = part.sort and total.unit = part.unit
    where i.parent_code is not null
        and part.value >= total.value * (1 - {{ var('subset_tolerance_relative') }})
    -- the total nearest the part, when the document states several
    qualify row_number() over (partition by part.entity, part.entity_id, part.figure_kind order by abs(part.value - total.value), total.source_line) = 1
),

flags as (
    select
        case
            when abs(value - total_value) <= {{ var('subset_tolerance_relative') }} * total_value then 'subset_equals_total'
            when value > total_value then 'subset_exceeds_total'
        end as check_name,
        'warning' as severity,
        entity,
        entity_id,
        plan_id,
        region_code,
        indicator_code,
        year::varchar as period,
        value,
        unit,
        format('below {} (the {} {} of {}, line {})', {{ number_text('total_value') }}, total_kind, year, parent_code, total_line) as expected_value,
        null::double as suggested_value,
        format('the {} {} {} for {} ({}, line {}) is {} the {} {} of its total {} (line {})',
            figure_kind, {{ number_text('value') }}, unit, year, indicator_code, source_line,
            case when abs(value - total_value) <= {{ var('subset_tolerance_relative') }} * total_value then 'equal to' else 'above' end,
            total_kind, {{ number_text('total_value') }}, parent_code, total_line) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from pairs
    -- one flag per figure's row (a target row stating a part's target and its baseline: the target's)
    qualify row_number() over (partition by entity, entity_id order by figure_kind = 'target' desc) = 1
)

select 'subset' as check_family, * from flags
