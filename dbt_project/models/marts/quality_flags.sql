-- Every quality flag of the build, one row per flag: what was checked, the value and what
-- was expected, the suggested correction, the evidence (document:line and text, or
-- file:row), when the evidence was first loaded, and the reviewer's decision
-- (seeds/reference/corrections.csv). An open error-severity flag blocks publishing (GX
-- quality_flags_suite); warnings never do.
-- The open flags are ranked by expected impact (selective editing, SeleMix::sel.edit): score =
-- weight × |value − reference| / total, the reference being what the check expected and the total
-- the sum over regions of the indicator's figures for that year (each region's yearly statistic,
-- else its plan target; a flagged figure counted at its reference, as the total of predictions).
with

flags as (
    {%- set flag_columns = ['check_family', 'check_name', 'severity', 'entity', 'entity_id', 'plan_id', 'region_code', 'indicator_code', 'period', 'value', 'unit', 'expected_value', 'suggested_value', 'message', 'evidence_source', 'evidence_line', 'evidence_text', 'first_seen'] %}
    {#- the checks that know the value they expected give it as reference_value (selective editing below) #}
    {%- set with_reference = ['decimal_shift', 'trajectory', 'range_by_unit', 'unit', 'statistics', 'statistic_shift'] %}
    {%- for family in ['decimal_shift', 'trajectory', 'range_by_unit', 'contradiction', 'unit', 'statistics', 'statistic_shift', 'undated', 'derived', 'plan_path', 'subset', 'share'] %}
    select {{ flag_columns | join(', ') }},
        {% if family in with_reference %}reference_value{% else %}cast(null as double precision) as reference_value{% endif %}
    from {{ ref('int_quality__' ~ family) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

targets as (
    select target_id, indicator_as_written, source_kind, source_line, source_context from {{ ref('stg_plan_targets') }}
),

regions as (
    select * from {{ ref('stg_regions') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

corrections as (
    select * from {{ ref('stg_corrections') }}
),

keyed as (
    select
        {{ quality_flag_key('flags.check_family', 'flags.check_name', 'flags.entity', 'flags.entity_id') }} as flag_key,
        {{ try_cast('left(flags.period, 4)', 'integer') }} as year,
        flags.*
    from flags
),

-- What a flag expected of a figure: the median of its flags' references.
references_ as (
    select entity, entity_id, median(reference_value) as reference_value
    from keyed
    where reference_value is not null
    group by entity, entity_id
),

-- One figure per region × indicator × year: its yearly statistic, else the median of its plan targets.
statistic_figures as (
    select region_code, indicator_code, year(period_end) as year, 'statistic' as entity,
        {{ statistic_entity_id() }} as entity_id, value_original as figure
    from {{ ref('stg_statistics') }}
    where period_type = 'year' and coalesce(measure, 'level') = 'level' and value_original is not null
),

target_figures as (
    select t.region_code, t.indicator_code, t.target_year as year, 'target' as entity, t.target_id as entity_id,
        t.value_canonical as figure
    from {{ ref('stg_plan_targets') }} as t
    where t.target_type = 'level' and t.value_canonical is not null and t.target_year is not null
        and not exists (select 1 from statistic_figures as s where s.region_code = t.region_code
            and s.indicator_code = t.indicator_code and s.year = t.target_year)
),

region_figures as (
    select f.region_code, f.indicator_code, f.year, median(coalesce(r.reference_value, f.figure)) as figure
    from (select * from statistic_figures union all select * from target_figures) as f
    left join references_ as r on f.entity = r.entity and f.entity_id = r.entity_id
    group by f.region_code, f.indicator_code, f.year
),

-- Summed exactly (decimal, to the millionth): a sum of doubles depends on the order the rows come in,
-- which differs between builds (an incremental build's tables, threads); the queue must not.
totals as (
    select indicator_code, year, cast(sum(cast(abs(figure) as decimal(38, 6))) as double precision) as total
    from region_figures
    group by indicator_code, year
),

scored as (
    select
        keyed.*,
        {% set weights = var('impact_weights') -%}
        {%- if weights -%}
        case keyed.indicator_code
            {%- for code, weight in weights.items() %} when '{{ code }}' then {{ weight }}{% endfor %}
            else {{ var('impact_weight_default') }}
        end
        {%- else -%}
        {{ var('impact_weight_default') }}
        {%- endif %}::double precision as impact_weight,
        totals.total as impact_total
    from keyed
    left join totals on keyed.indicator_code = totals.indicator_code and keyed.year = totals.year
),

final as (
    select
        keyed.flag_key,
        keyed.severity,
        keyed.check_family,
        keyed.check_name,
        keyed.entity,
        keyed.entity_id,
        keyed.plan_id,
        keyed.region_code,
        regions.region_name,
        keyed.indicator_code,
        coalesce(indicators.indicator_name, targets.indicator_as_written) as indicator_name,
        keyed.period,
        keyed.value,
        keyed.unit,
        keyed.expected_value,
        keyed.reference_value,
        keyed.suggested_value,
        keyed.message,
        keyed.evidence_source || ':' || coalesce(keyed.evidence_line::varchar, '?')
            || coalesce(' ' || keyed.evidence_text, '')
            -- a table cell's text is the number alone: add its row and column
            || case when targets.source_kind = 'table' and keyed.evidence_line = targets.source_line
                    and targets.source_context is not null then ' — ' || targets.source_context else '' end
            as evidence,
        keyed.evidence_source,
        keyed.evidence_line::integer as evidence_line,
        keyed.first_seen,
        case corrections.decision
            when 'accept' then 'accepted'
            when 'correct' then 'corrected'
            when 'exclude' then 'excluded'
            else 'open'
        end as status,
        corrections.decision,
        corrections.corrected_value,
        corrections.reason as decision_reason,
        corrections.reviewer,
        corrections.decided_on,
        keyed.severity = 'error' and corrections.decision is null as blocks_publishing,
        keyed.severity = 'warning' and corrections.decision is null as needs_review,
        keyed.impact_weight,
        keyed.impact_total,
        case when keyed.impact_total > 0 then
            keyed.impact_weight * abs(keyed.value - keyed.reference_value) / keyed.impact_total
        end as impact_score
    from scored as keyed
    left join corrections on keyed.flag_key = corrections.flag_key
    left join regions on keyed.region_code = regions.region_code
    left join indicators on keyed.indicator_code = indicators.indicator_code
    left join targets on keyed.entity = 'target' and keyed.entity_id = targets.target_id
),

-- A reviewer looks at a series' year once: its open flags are one unit of review, scored by its
-- highest flag (SeleMix's global score, the maximum of the local ones).
units as (
    select
        *,
        max(impact_score) over unit_ as unit_score,
        bool_or(severity = 'error') over unit_ as unit_has_error
    from final
    window unit_ as (partition by status = 'open', region_code, indicator_code, left(period, 4))
)

-- The open queue: units by falling score (unscored units last, errors first), a unit's flags together.
select
    flag_key, severity, check_family, check_name, entity, entity_id, plan_id, region_code, region_name,
    indicator_code, indicator_name, period, value, unit, expected_value, reference_value, suggested_value,
    message, evidence, evidence_source, evidence_line, first_seen, status, decision, corrected_value,
    decision_reason, reviewer, decided_on, blocks_publishing, needs_review, impact_weight, impact_total,
    impact_score,
    case when status = 'open' then
        row_number() over (partition by status = 'open'
            order by unit_score desc nulls last, unit_has_error desc, region_code, indicator_code, left(period, 4),
                impact_score desc nulls last, severity = 'error' desc, flag_key)
    end::integer as impact_rank
from units
