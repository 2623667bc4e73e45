with

source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        indicator_code,
        name_zh as indicator_name,
        name_en as indicator_name_en,
        canonical_unit as unit,
        value_kind,
        accumulation,
        direction,
        category,
        description,
        nullif(parent_code, '') as parent_code
    from source
)

select * from renamed
