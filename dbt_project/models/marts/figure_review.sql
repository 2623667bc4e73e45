-- The reviewers' queue: every figure of the current plan documents — targets and reported actuals —
-- with its review status (open, accepted, edited, rejected) and every target typed by hand, with what the extractor read,
-- how sure it was (match_score, rule) and, when decided, the decision, reviewer, date and reason.
-- `planwatch targets list` and the report's quality page read it.
with

targets as (
    select * from {{ ref('stg_plan_target_figures') }}
),

actuals as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

-- Targets and actuals in one shape (an actual's measure is its target_type; it has no qualifier).
figures as (
    select
        figure_key, 'target' as figure_kind, target_id as figure_id, plan_id, document, region_code, indicator_code,
        indicator_as_written, target_year as year, target_type, qualifier, value_as_written, unit_as_written,
        value_original, canonical_unit, match_score, match_method, rule, source_kind, source_line, source_text,
        entered_by, review_status, review_decision, reviewed_by, reviewed_on, review_reason, extracted_indicator_code,
        extracted_region_code, extracted_year, extracted_target_type, extracted_qualifier, extracted_value, extracted_unit
    from targets
    union all
    select
        figure_key, 'actual', reported_actual_id, plan_id, document, region_code, indicator_code,
        indicator_as_written, period_end_year, measure, null, value_as_written, unit_as_written,
        -- before any quality-flag correction; null when rejected (value_as_written keeps the number)
        value_original, canonical_unit, match_score, match_method, rule, source_kind, source_line, source_text,
        entered_by, review_status, review_decision, reviewed_by, reviewed_on, review_reason, extracted_indicator_code,
        extracted_region_code, extracted_year, extracted_measure, null, extracted_value, extracted_unit
    from actuals
),

indicators as (
    select indicator_code, indicator_name from {{ ref('stg_indicators') }}
),

regions as (
    select region_code, region_name from {{ ref('stg_regions') }}
),

final as (
    select
        figures.figure_key,
        figures.figure_kind,
        figures.figure_id,
        figures.plan_id,
        figures.document,
        figures.region_code,
        regions.region_name,
        figures.indicator_code,
        indicators.indicator_name,
        figures.indicator_as_written,
        figures.year,
        figures.target_type,
        figures.qualifier,
        figures.value_as_written as value,
        figures.unit_as_written as unit,
        figures.value_original as value_canonical,
        figures.canonical_unit,
        figures.match_score,
        figures.match_method,
        figures.rule,
        figures.source_kind,
        figures.source_line,
        figures.source_text,
        figures.entered_by,
        figures.review_status,
        figures.review_status not in ('open') as is_decided,
        figures.review_decision as decision,
        figures.reviewed_by,
        figures.reviewed_on,
        figures.review_reason,
        figures.extracted_indicator_code,
        figures.extracted_region_code,
        figures.extracted_year,
        figures.extracted_target_type,
        figures.extracted_qualifier,
        figures.extracted_value,
        figures.extracted_unit
    from figures
    left join indicators on figures.indicator_code = indicators.indicator_code
    left join regions on figures.region_code = regions.region_code
)

select * from final
