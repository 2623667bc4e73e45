-- Every actual value with a value, from every source (statistics files, figures read from
-- documents' text), with its source kind and rank, its provenance, and whether it is the chosen
-- actual of its region × indicator × measure × period or a corroborating / contradicting one.
with

candidates as (
    select * from {{ ref('int_actual_candidates') }}
    where value is not null  -- a reviewer excluded the others
),

final as (
    select
        actual_candidate_id as statistic_id,
        actual_key,
        region_code,
        indicator_code,
        period_label,
        period_type,
        period_start,
        period_end,
        is_ytd,
        measure,
        base_year,
        value,
        unit,
        source_kind,
        source_rank,
        is_chosen,
        candidate_role,
        candidates_in_key,
        actual_source,
        source_document as evidence_file,
        source_line::bigint as evidence_row,
        source_sha256 as evidence_sha256,
        source_text as evidence_text,
        source_rule as evidence_rule,
        loaded_at
    from candidates
)

select * from final
