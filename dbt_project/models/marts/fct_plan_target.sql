with

targets as (
    select * from {{ ref('stg_plan_targets') }}
),

final as (
    select
        target_id,
        plan_id,
        region_code,
        area_rule,
        indicator_code,
        indicator_as_written,
        target_year,
        target_type,
        qualifier,
        stretch,
        value_as_written,
        unit_as_written,
        value_canonical as target_value,
        low_canonical as target_low,
        high_canonical as target_high,
        canonical_unit as unit,
        unit_issue,
        attribute,
        is_binding,
        cumulative,
        per_year,
        baseline_year,
        baseline_value,
        baseline_unit,
        baseline_value_canonical,
        match_method,
        match_score,
        conflict_group,
        document,
        source_kind,
        source_line,
        source_lines,
        source_text,
        figure_key,
        entered_by,
        review_status,
        reviewed_by,
        reviewed_on,
        review_reason
    from targets
    where target_year is not null  -- an undated document's targets without a year: in quality_flags (undated)
)

select * from final
