-- The current vintage of every statistic: for one region, indicator and period the
-- latest load wins; earlier values stay in raw (see fct_statistic_vintage).
with

source as (
    select * from {{ source('raw', 'statistics') }}
),

renamed as (
    select
        ---------- ids
        md5(region_code || '|' || indicator_code || '|' || measure || '|' || period_label) as statistic_id,
        region_code,
        indicator_code,
        ---------- what is measured
        coalesce(measure, 'level') as measure,
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
        loaded_at,
        count(*) over (partition by region_code, indicator_code, coalesce(measure, 'level'), period_label) as vintages
    from source
    qualify row_number() over (
        partition by region_code, indicator_code, coalesce(measure, 'level'), period_label
        order by loaded_at desc, row_number desc
    ) = 1
)

select * from renamed
