with

regions as (
    select * from {{ ref('stg_regions') }}
),

final as (
    select * from regions
)

select * from final
