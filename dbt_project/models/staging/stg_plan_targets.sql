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
        figures.target_id,
        figures.target_key,
        figures.figure_key,
        figures.plan_id,
        figures.region_code,
        figures.area_rule,
        figures.area_as_written,
        figures.indicator_code,
        figures.region_name,
        figures.indicator_as_written,
        figures.unit_as_written,
        figures.target_year,
        figures.target_type,
        figures.qualifier,
        figures.stretch,
        figures.value_as_written,
        figures.low_as_written,
        figures.high_as_written,
        figures.canonical_unit,
        figures.value_canonical,
        figures.low_canonical,
        figures.high_canonical,
        figures.unit_issue,
        figures.attribute,
        figures.cumulative,
        figures.per_year,
        figures.baseline_year,
        figures.baseline_value,
        figures.baseline_unit,
        figures.baseline_value_canonical,
        figures.match_score,
        figures.match_method,
        figures.conflict_group,
        figures.document,
        figures.document_sha256,
        figures.source_kind,
        figures.source_line,
        figures.source_lines,
        figures.source_text,
        figures.source_text_normalised,
        figures.source_context,
        figures.rule,
        figures.load_id,
        figures.loaded_at,
        figures.review_decision,
        figures.value_edited,
        figures.reviewed_by,
        figures.reviewed_on,
        figures.review_reason,
        figures.review_line,
        figures.entered_by,
        figures.review_status,
        figures.extracted_indicator_code,
        figures.extracted_region_code,
        figures.extracted_year,
        figures.extracted_target_type,
        figures.extracted_qualifier,
        figures.extracted_value,
        figures.extracted_unit,
        figures.value_original,
        figures.correction_flag_key,
        figures.correction_reason,
        coalesce(attributes.binding, false) as is_binding
    from figures
    left join attributes on figures.attribute = attributes.word
    where not figures.is_rejected
)

select * from final
