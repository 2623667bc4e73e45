with

indicators as (
    select * from {{ ref('stg_indicators') }}
),

final as (
    select * from indicators
)

select * from final
