-- A part against its total (the catalog's parent_code: 高价值发明专利 of 发明专利, 发明专利授权 of
-- 专利授权), both stated by one document for the same year and of the same sort — two targets, or two
-- achieved figures (a stated baseline or a figure the text reports):
--   subset_equals_total: the part equals the total (within subset_tolerance_relative): one figure
--     was most likely written for the other;
--   subset_exceeds_total: the part is larger than its total.
-- The flag is on the part's figure; values as extracted (before reviewer corrections).
with

figures as (
    select * from {{ ref('int_quality__document_figures') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

pairs as (
    select distinct on (part.entity, part.entity_id, part.figure_kind)
        part.*,
        i.parent_code,
        total.value as total_value,
        total.figure_kind as total_kind,
        total.source_line as total_line
    from figures as part
    inner join indicators as i on part.indicator_code = i.indicator_code
    inner join figures as total
        on total.plan_id = part.plan_id and total.region_code = part.region_code and total.indicator_code = i.parent_code
        and total.year = part.year and total.sort = part.sort and total.unit = part.unit
    where i.parent_code is not null
        and part.value >= total.value * (1 - {{ var('subset_tolerance_relative') }})
    -- the total nearest the part, when the document states several
    order by part.entity, part.entity_id, part.figure_kind, abs(part.value - total.value), total.source_line
),

flags as (
    select distinct on (entity, entity_id)
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
        {{ format_fn() }}('below {} (the {} {} of {}, line {})', {{ format_arg() }}({{ number_text('total_value') }}), {{ format_arg() }}(total_kind), {{ format_arg() }}(year), {{ format_arg() }}(parent_code), {{ format_arg() }}(total_line)) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('the {} {} {} for {} ({}, line {}) is {} the {} {} of its total {} (line {})',
            {{ format_arg() }}(figure_kind), {{ format_arg() }}({{ number_text('value') }}), {{ format_arg() }}(unit), {{ format_arg() }}(year), {{ format_arg() }}(indicator_code), {{ format_arg() }}(source_line),
            {{ format_arg() }}(case when abs(value - total_value) <= {{ var('subset_tolerance_relative') }} * total_value then 'equal to' else 'above' end),
            {{ format_arg() }}(total_kind), {{ format_arg() }}({{ number_text('total_value') }}), {{ format_arg() }}(parent_code), {{ format_arg() }}(total_line)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from pairs
    -- one flag per figure's row (a target row stating a part's target and its baseline: the target's)
    order by entity, entity_id, figure_kind = 'target' desc
)

select 'subset' as check_family, * from flags
