with

plans as (
    select * from {{ ref('stg_plans') }}
),

targets as (
    select plan_id, count(*) as target_count, count(indicator_code) as matched_target_count
    from {{ ref('stg_plan_targets') }}
    group by plan_id
),

reported_actuals as (
    select plan_id, count(*) as reported_actual_count
    from {{ ref('stg_plan_reported_actuals') }}
    group by plan_id
),

final as (
    select
        plans.plan_id,
        plans.region_code,
        plans.region_name,
        plans.plan_kind,
        plans.start_year,
        plans.end_year,
        plans.title,
        plans.document_kind,
        plans.document,
        plans.document_sha256,
        plans.document_state,
        plans.refusal_reason,
        plans.context_source,
        coalesce(targets.target_count, 0) as target_count,
        coalesce(targets.matched_target_count, 0) as matched_target_count,
        coalesce(reported_actuals.reported_actual_count, 0) as reported_actual_count,
        plans.loaded_at
    from plans
    left join targets on plans.plan_id = targets.plan_id
    left join reported_actuals on plans.plan_id = reported_actuals.plan_id
)

select * from final
