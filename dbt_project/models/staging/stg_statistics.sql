-- The current vintage of every statistic: for one region, indicator and period the
-- latest load wins; earlier values stay in raw (see fct_statistic_vintage). Reviewer
-- decisions on quality flags (seeds/reference/corrections.csv) apply to the value: a
-- corrected statistic carries the corrected value, an excluded one a null value (and is
-- left out of the actuals); value_original keeps the value as loaded.
-- Incremental, keyed on the load: a build recomputes only the statistics that the loads newer than
-- this table's latest give a value (their current vintage, vintage count and corrections), deleting
-- and inserting them by statistic_id. Carried over from the published warehouse only while nothing
-- but new loads differ, corrections included (planwatch.dbt_runner incremental_state); a load is
-- stamped when it is made, so the newer loads are those loaded after this table's latest row.
{{ config(materialized='incremental', unique_key='statistic_id', incremental_strategy='delete+insert',
          on_schema_change='fail') }}

with

all_vintages as (
    select * from {{ ref('stg_statistic_vintages') }}
),

{% if is_incremental() -%}
-- The statistics the new loads give a value: every vintage of each is read again.
new_statistics as (
    select distinct region_code, indicator_code, measure, period_label
    from all_vintages
    where loaded_at > (select max(loaded_at) from {{ this }})
),

vintages as (
    select a.*
    from all_vintages as a
    inner join new_statistics as n
        on a.region_code = n.region_code and a.indicator_code = n.indicator_code
        and a.measure = n.measure and a.period_label = n.period_label
),
{%- else -%}
vintages as (
    select * from all_vintages
),
{%- endif %}

current_vintage as (
    select distinct on (region_code, indicator_code, measure, period_label)
        md5(region_code || '|' || indicator_code || '|' || measure || '|' || period_label) as statistic_id,
        *,
        count(*) over (partition by region_code, indicator_code, measure, period_label) as vintages
    from vintages
    order by region_code, indicator_code, measure, period_label, loaded_at desc, file_row desc
),

-- The statistic's entity id in quality flags (region, indicator, measure, period, file hash and row).
keyed as (
    select
        *,
        {{ statistic_entity_id() }} as entity_id
    from current_vintage
),

corrections as (
    {{ quality_row_corrections('keyed', 'statistic', 'entity_id') }}
),

corrected as (
    select
        keyed.statistic_id,
        keyed.region_code,
        keyed.indicator_code,
        keyed.measure,
        keyed.base_year,
        keyed.period_label,
        keyed.period_type,
        keyed.period_start,
        keyed.period_end,
        keyed.is_ytd,
        case corrections.decision
            when 'correct' then corrections.corrected_value
            when 'exclude' then null
            else keyed.value
        end as value,
        keyed.unit,
        keyed.source,
        keyed.file,
        keyed.file_sha256,
        keyed.file_row,
        keyed.file_column,
        keyed.load_id,
        keyed.loaded_at,
        keyed.vintages,
        ---------- reviewer corrections
        keyed.value as value_original,
        corrections.flag_key as correction_flag_key,
        corrections.reason as correction_reason
    from keyed
    left join corrections on keyed.entity_id = corrections.entity_id
)

select * from corrected
