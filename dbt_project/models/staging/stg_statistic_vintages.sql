-- Every statistics row ever loaded (every vintage), renamed once. stg_statistics keeps
-- the current vintage of each statistic; fct_statistic_vintage times them all.
with

source as (
    select * from {{ source('raw', 'statistics') }}
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
