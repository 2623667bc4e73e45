-- Statistics rows that could not be loaded, with the reason, for reviewers and `planwatch sql`.
with

source as (
    select * from {{ source('raw', 'statistics_quarantine') }}
),

renamed as (
    select
        file,
        row_number as file_row,
        column_raw as file_column,
        sheet as file_sheet,
        reason,
        region_raw,
        region_code_raw,
        indicator_raw,
        period_raw,
        value_raw,
        unit_raw,
        source,
        file_sha256,
        load_id,
        loaded_at
    from source
)

select * from renamed
