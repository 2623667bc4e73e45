-- Lines of the reviewers' files that were not applied, each naming the file, the line and what is
-- wrong: a decision (target_reviews.csv) with an unknown decision, a value or year that is no number,
-- an unknown indicator or region, or a key no figure of the current documents has; a hand-typed target
-- (manual_targets.csv) with an unknown plan, region or indicator or an unusable value. Nothing is
-- dropped silently: the build lists them, the report's quality page shows them.
with

reviews as (
    select * from {{ ref('stg_target_reviews') }}
),

manual as (
    select * from {{ ref('stg_manual_targets') }}
),

figures as (
    select figure_key from {{ ref('stg_plan_target_figures') }}
    union all
    select figure_key from {{ ref('stg_plan_reported_actuals') }}
),

review_problems as (
    select
        file_name,
        file_line,
        figure_key,
        null::varchar as plan_id,
        coalesce(
            problem,
            'unknown figure_key ''' || figure_key || ''': no figure of the current plan documents has it (planwatch targets list)'
        ) as problem,
        reviewer as entered_by_reviewer
    from reviews
    where problem is not null
        or figure_key not in (select figure_key from figures where figure_key is not null)
),

manual_problems as (
    select
        file_name,
        file_line,
        null::varchar as figure_key,
        plan_id,
        problem,
        null::varchar as entered_by_reviewer
    from manual
    where problem is not null
),

final as (
    select file_name || ':' || file_line::varchar as quarantine_id, *
    from (
        select * from review_problems
        union all
        select * from manual_problems
    ) as problems
)

select * from final
