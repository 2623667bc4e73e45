-- The current vintage of every statistic: for one region, indicator and period the
-- latest load wins; earlier values stay in raw (see fct_statistic_vintages).
with

source as (
    select * from {{ source('raw', 'statistics') }}
),

renamed as (
    select
        ---------- ids
        md5(region_code || '|' || indicator_code || '|' || period_label) as statistic_id,
        region_code,
        indicator_code,
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
        load_id,
        loaded_at,
        count(*) over (partition by region_code, indicator_code, period_label) as vintages
    from source
    qualify row_number() over (
        partition by region_code, indicator_code, period_label
        order by loaded_at desc, row_number desc
    ) = 1
)

select * from renamed
