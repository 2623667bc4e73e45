-- Every loaded value of every statistic, with the time it was current: a later file
-- giving a new value for the same region, indicator, measure and period supersedes it.
-- "What did we believe on date D?" is `where valid_from <= D and (valid_to is null or valid_to > D)`.
-- Incremental, keyed on the load, as stg_statistics: a build recomputes the vintages of the statistics
-- the loads newer than this table's latest give a value (their valid_to and previous value change),
-- deleting and inserting them by vintage_id (planwatch.dbt_runner carries the table over).
-- append_new_columns, not fail: with the contract PostgreSQL's table has varchar columns and dbt's temporary
-- one text, which `fail` takes for a change of type (a change of the model makes a full build anyway).
{{ config(materialized='incremental', unique_key='vintage_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns') }}

with

all_vintages as (
    select * from {{ ref('stg_statistic_vintages') }}
),

{% if is_incremental() -%}
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

timed as (
    select
        md5(region_code || '|' || indicator_code || '|' || measure || '|' || period_label || '|' || load_id || '|' || file_row::varchar) as vintage_id,
        region_code, indicator_code, measure, period_label, period_type, period_start, period_end, is_ytd,
        value, unit, source, file, file_sha256, file_row, load_id, loaded_at,
        loaded_at as valid_from,
        lead(loaded_at) over (
            partition by region_code, indicator_code, measure, period_label order by loaded_at, file_row
        ) as valid_to,
        lag(value) over (
            partition by region_code, indicator_code, measure, period_label order by loaded_at, file_row
        ) as previous_value
    from vintages
)

select
    *,
    valid_to is null as is_current,
    case when previous_value is not null and previous_value <> 0 then value / previous_value end as revision_ratio
from timed
