-- Targets typed by hand (seeds/reference/manual_targets.csv, written by `planwatch targets add` or
-- by hand) for plans the extractor cannot read (refused documents of the manifest are plans of stg_plans)
-- or missed: one row per line of the file, typed, checked and
-- converted to the indicator's canonical unit as extracted targets are. A line that cannot be used
-- (unknown plan, region or indicator, a value or year that is no number, a unit that does not
-- convert, an attribute that is no word of the lexicon's target_attributes) keeps its `problem` and is
-- listed in marts.review_quarantine. Of two usable lines for one target (plan, region, indicator, year,
-- type) the later replaces the earlier (is_current).
with

source as (
    select * from {{ ref('stg_manual_target_lines') }}  -- numbered, the optional attribute column always present
),

attributes as (
    select word, binding from {{ ref('target_attributes') }}
),

plans as (
    select * from {{ ref('stg_plans') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

aliases as (
    select alias, indicator_code from {{ ref('indicator_aliases') }}
    union all
    select indicator_name, indicator_code from indicators
),

regions as (
    select region_code, region_name from {{ ref('stg_regions') }}
),

typed as (
    select
        'manual_targets.csv' as file_name,
        source.file_line,
        nullif(trim(source.plan_id), '') as plan_id,
        nullif(trim(source.region), '') as region_as_written,
        nullif(trim(source.indicator_as_written), '') as indicator_as_written,
        nullif(trim(source.indicator_code), '') as indicator_code_as_written,
        nullif(trim(source.unit), '') as unit_as_written,
        nullif(trim(source.year), '') as year_text,
        {{ try_cast("nullif(trim(source.year), '')", 'integer') }} as target_year,
        nullif(trim(source.value), '') as value_text,
        {{ try_cast("nullif(trim(source.value), '')", 'double') }} as value_as_written,
        coalesce(nullif(trim(source.target_type), ''), 'level') as target_type,
        coalesce(nullif(trim(source.qualifier), ''), 'exact') as qualifier,
        nullif(trim(source.baseline_year), '') as baseline_year_text,
        {{ try_cast("nullif(trim(source.baseline_year), '')", 'integer') }} as baseline_year,
        nullif(trim(source.baseline_value), '') as baseline_value_text,
        {{ try_cast("nullif(trim(source.baseline_value), '')", 'double') }} as baseline_value,
        {{ try_cast("nullif(trim(source.source_line), '')", 'integer') }} as source_line,
        nullif(trim(source.source_text), '') as source_text,
        nullif(trim(source.attribute), '') as attribute
    from source
),

resolved as (
    select
        typed.*,
        plans.plan_id is not null as plan_known,
        plans.document,
        plans.document_sha256,
        -- the region: a 6-digit code or a name as dim_region has it; empty for the plan's own
        coalesce(
            (select r.region_code from regions as r where r.region_code = typed.region_as_written),
            (select min(r.region_code) from regions as r where r.region_name = typed.region_as_written),
            case when typed.region_as_written is null then plans.region_code end
        ) as region_code,
        case when typed.region_as_written is null then 'plan' else 'manual' end as area_rule,
        coalesce(
            (select i.indicator_code from indicators as i where i.indicator_code = typed.indicator_code_as_written),
            case when typed.indicator_code_as_written is null then
                (select min(a.indicator_code) from aliases as a where a.alias = typed.indicator_as_written) end
        ) as indicator_code
    from typed
    left join plans on typed.plan_id = plans.plan_id
),

converted as (
    select
        resolved.*,
        {{ target_canonical_unit('resolved.target_type', 'indicators.unit', 'resolved.unit_as_written') }} as canonical_unit,
        indicators.unit as indicator_unit
    from resolved
    left join indicators on resolved.indicator_code = indicators.indicator_code
),

valued as (
    select
        converted.*,
        value_as_written * {{ unit_factor('coalesce(converted.unit_as_written, converted.canonical_unit)', 'converted.canonical_unit') }}
            as value_canonical,
        baseline_value * {{ unit_factor('coalesce(converted.unit_as_written, converted.indicator_unit)', 'converted.indicator_unit') }}
            as baseline_value_canonical
    from converted
),

checked as (
    select
        valued.*,
        case
            when plan_id is null then 'no plan_id'
            when not plan_known then 'unknown plan_id ''' || plan_id || ''' (no plan of that id in dim_plan: '
                || 'name it in seeds/plans/manifest.csv, with its document)'
            when region_code is null then 'unknown region ''' || region_as_written || ''' (a name or code of dim_region)'
            when indicator_code is null and indicator_code_as_written is not null
                then 'unknown indicator_code ''' || indicator_code_as_written || ''' (not in indicators.csv)'
            when indicator_code is null
                then 'indicator ''' || coalesce(indicator_as_written, '') || ''' is no name of the catalog: give its indicator_code'
            when year_text is null or target_year is null or target_year not between 1949 and 2100
                then 'year ''' || coalesce(year_text, '') || ''' is not a year'
            when value_text is null or value_as_written is null then 'value ''' || coalesce(value_text, '') || ''' is not a number'
            when target_type not in {{ sql_list(target_types()) }} then 'unknown target_type ''' || target_type || ''''
            when qualifier not in {{ sql_list(target_qualifiers()) }} then 'unknown qualifier ''' || qualifier || ''''
            when baseline_year_text is not null and baseline_year is null then 'baseline_year ''' || baseline_year_text || ''' is not a year'
            when baseline_value_text is not null and baseline_value is null
                then 'baseline_value ''' || baseline_value_text || ''' is not a number'
            when value_canonical is null
                then 'unit ''' || coalesce(unit_as_written, '') || ''' does not convert to ' || canonical_unit
            when attribute is not null and attribute not in (select word from attributes)
                then 'unknown attribute ''' || attribute || ''' (a word of lexicon/target_attributes.csv: '
                    || (select string_agg(word, ', ' order by word) from attributes) || ')'
        end as problem
    from valued
),

keyed as (
    select
        -- a hand-typed target's key: which target it is, as a figure key says for extracted ones
        md5('manual|' || coalesce(plan_id, '') || '|' || coalesce(region_code, '') || '|' || coalesce(indicator_code, '')
            || '|' || coalesce(target_year::varchar, '') || '|' || target_type) as figure_key,
        checked.*
    from checked
),

ranked as (
    select
        keyed.*,
        problem is null and row_number() over (partition by figure_key, problem is null order by file_line desc) = 1 as is_current
    from keyed
)

select * from ranked
