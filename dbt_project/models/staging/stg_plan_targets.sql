-- The targets of the current plan documents that the marts track: every figure of
-- stg_plan_target_figures (read and reviewed, or typed by hand) but the ones a reviewer rejected.
-- Whether a target is binding is its attribute's entry in the lexicon (target_attributes: 约束性), the
-- one place the attribute words are listed.
with

figures as (
    select * from {{ ref('stg_plan_target_figures') }}
),

attributes as (
    select * from {{ ref('target_attributes') }}
),

final as (
    select
        figures.* exclude (is_rejected),
        coalesce(attributes.binding, false) as is_binding
    from figures
    left join attributes on figures.attribute = attributes.word
    where not figures.is_rejected
)

select * from final
