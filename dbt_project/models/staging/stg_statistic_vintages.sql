-- Every statistics row ever loaded (every vintage) and not retracted, renamed once. stg_statistics keeps
-- the current vintage of each statistic; fct_statistic_vintage times them all.
with

retracted as (
    select load_id from {{ source('raw', 'load_retractions') }}
),

-- Rows of retracted loads stay in raw (append-only) but leave the warehouse here.
source as (
    select s.* from {{ source('raw', 'statistics') }} as s
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
