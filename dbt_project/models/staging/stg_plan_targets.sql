-- The targets of the current plan documents that the marts track: every figure of
-- stg_plan_target_figures (read and reviewed, or typed by hand) but the ones a reviewer rejected.
with

figures as (
    select * from {{ ref('stg_plan_target_figures') }}
),

final as (
    select * exclude (is_rejected)
    from figures
    where not is_rejected
)

select * from final
