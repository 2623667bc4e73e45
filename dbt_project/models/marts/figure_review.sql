-- The reviewers' queue: every target figure of the current plan documents with its review status
-- (open, accepted, edited, rejected) and every target typed by hand, with what the extractor read,
-- how sure it was (match_score, rule) and, when decided, the decision, reviewer, date and reason.
-- `planwatch targets list` and the report's quality page read it.
with

figures as (
    select * from {{ ref('stg_plan_target_figures') }}
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
        'target' as figure_kind,
        figures.target_id,
        figures.plan_id,
        figures.document,
        figures.region_code,
        regions.region_name,
        figures.indicator_code,
        indicators.indicator_name,
        figures.indicator_as_written,
        figures.target_year as year,
        figures.target_type,
        figures.qualifier,
        figures.value_as_written as value,
        figures.unit_as_written as unit,
        figures.value_canonical,
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
