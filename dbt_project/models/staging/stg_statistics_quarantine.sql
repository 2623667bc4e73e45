-- Statistics rows that could not be loaded, with the reason, for reviewers and `planwatch sql`.
with

retracted as (
    select load_id from {{ source('raw', 'load_retractions') }}
),

-- A retracted load's quarantined rows are no longer anyone's to-do.
source as (
    select q.* from {{ source('raw', 'statistics_quarantine') }} as q
    where not exists (select 1 from retracted as r where r.load_id = q.load_id)
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
