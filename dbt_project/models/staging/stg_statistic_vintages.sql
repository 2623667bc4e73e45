-- Every statistics row ever loaded (every vintage) and not retracted, renamed once: the narrow raw rows
-- joined back to their load and key tables. stg_statistics keeps
-- the current vintage of each statistic; fct_statistic_vintage times them all.
-- Incremental, keyed on the load: a build appends the rows of the loads it does not hold yet. A
-- build carries this table over from the published warehouse only while nothing but new loads
-- differ (planwatch.dbt_runner incremental_state: same models and macros, same retractions, the
-- loads it holds unchanged); otherwise it starts empty and this is a full build.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with

retracted as (
    select load_id from {{ source('raw', 'load_retractions') }}
),

-- The loads this table holds already (none on a full build).
built as (
    {% if is_incremental() -%}
    select distinct load_id from {{ this }}
    {%- else -%}
    select load_id from retracted where false
    {%- endif %}
),

-- Rows of the wide raw.statistics (loads before the narrow tables) as they stand.
wide as (
    select
        load_id, loaded_at, file, file_sha256, row_number, column_raw, region_code, indicator_code, measure,
        base_year, period_label, period_type, period_start, period_end, is_ytd, value, unit, source
    from {{ source('raw', 'statistics') }}
    where load_id not in (select load_id from built)
),

-- Rows of raw.statistic_values keep their own cells and value; the load's file, hash and time are its
-- load_log row, and each distinct region, indicator, period and unit of the load is resolved once in
-- the key tables: joined back here, so nothing downstream sees the difference.
narrow as (
    select
        v.load_id, l.loaded_at, l.file, l.file_sha256, v.row_number, v.column_raw, r.region_code,
        i.indicator_code, i.measure, i.base_year, p.period_label, p.period_type, p.period_start, p.period_end,
        p.is_ytd, v.value, i.unit, v.source
    from (
        select * from {{ source('raw', 'statistic_values') }}
        where load_id not in (select load_id from built)
    ) as v
    inner join {{ source('raw', 'load_log') }} as l on v.load_id = l.load_id
    inner join {{ source('raw', 'statistic_regions') }} as r
        on v.load_id = r.load_id and v.region_key = r.region_key
    inner join {{ source('raw', 'statistic_indicators') }} as i
        on v.load_id = i.load_id and v.indicator_key = i.indicator_key
    inner join {{ source('raw', 'statistic_periods') }} as p
        on v.load_id = p.load_id and v.period_key = p.period_key
),

-- Rows of retracted loads stay in raw (append-only) but leave the warehouse here.
source as (
    select s.* from (
        select * from wide
        union all
        select * from narrow
    ) as s
    where not exists (select 1 from retracted as r where r.load_id = s.load_id)
),

renamed as (
    select
        ---------- what is measured
        region_code,
        indicator_code,
        coalesce(measure, 'level') as measure,  -- raw rows loaded before measures existed are levels
        base_year,
        ---------- period
        period_label,
        period_type,
        period_start,
        period_end,
        is_ytd,
        ---------- value
        value,
        unit,
        ---------- provenance
        source,
        file,
        file_sha256,
        row_number as file_row,
        column_raw as file_column,
        load_id,
        loaded_at
    from source
)

select * from renamed
