with

source as (
    select * from {{ ref('regions') }}
),

renamed as (
    select
        region_code,
        region_name,
        short_name,
        level,
        level_zh,
        division_type,
        parent_code,
        province_code,
        province_name,
        prefecture_code,
        prefecture_name
    from source
)

select * from renamed
