-- Targets of the current version of each plan document, with reviewer decisions on
-- quality flags applied (seeds/reference/corrections.csv): a corrected target carries the
-- corrected value in value_canonical, an excluded one a null value; value_original keeps
-- the value as extracted (raw is never changed).
with

targets as (
    select * from {{ source('raw', 'plan_targets') }}
),

documents as (
    select * from {{ ref('stg_plans') }}
),

renamed as (
    select
        ---------- ids
        md5(targets.target_key) as target_id,
        targets.target_key,
        documents.plan_id,
        -- The region the target is for: the plan's, or a sub-area its sentence names (area_rule).
        coalesce(targets.region_code, documents.region_code) as region_code,
        coalesce(targets.area_rule, 'plan') as area_rule,
        targets.area_as_written,
        targets.indicator_code,
        ---------- as written
        targets.region as region_name,
        targets.indicator_as_written,
        targets.unit as unit_as_written,
        ---------- target
        targets.year::integer as target_year,
        targets.target_type,
        targets.qualifier,
        targets.stretch,
        targets.value as value_as_written,
        targets.low as low_as_written,
        targets.high as high_as_written,
        targets.canonical_unit,
        targets.value_canonical,
        targets.low * coalesce(targets.value_canonical / nullif(targets.value, 0), 1) as low_canonical,
        targets.high * coalesce(targets.value_canonical / nullif(targets.value, 0), 1) as high_canonical,
        targets.unit_issue,
        targets.attribute,
        targets.cumulative,
        targets.per_year,
        ---------- baseline
        targets.baseline_year::integer as baseline_year,
        targets.baseline_value,
        targets.baseline_unit,
        targets.baseline_value_canonical,
        ---------- matching
        targets.match_score,
        targets.match_method,
        targets.conflict_group,
        ---------- provenance
        targets.document,
        targets.document_sha256,
        targets.source as source_kind,
        targets.source_line::integer as source_line,
        targets.source_lines,
        targets.source_text,
        targets.source_text_normalised,
        targets.context as source_context,
        targets.load_id,
        targets.loaded_at
    from targets
    inner join documents
        on targets.document_sha256 = documents.document_sha256
        and targets.load_id = documents.load_id
),

corrections as (
    {{ quality_row_corrections('renamed', 'target', 'target_id') }}
),

corrected as (
    select
        renamed.* replace (
            case corrections.decision
                when 'correct' then corrections.corrected_value
                when 'exclude' then null
                else renamed.value_canonical
            end as value_canonical,
            case corrections.decision
                when 'correct' then renamed.low_canonical * corrections.corrected_value / nullif(renamed.value_canonical, 0)
                when 'exclude' then null
                else renamed.low_canonical
            end as low_canonical,
            case corrections.decision
                when 'correct' then renamed.high_canonical * corrections.corrected_value / nullif(renamed.value_canonical, 0)
                when 'exclude' then null
                else renamed.high_canonical
            end as high_canonical
        ),
        ---------- reviewer corrections
        renamed.value_canonical as value_original,
        corrections.flag_key as correction_flag_key,
        corrections.reason as correction_reason
    from renamed
    left join corrections on renamed.target_id = corrections.entity_id
)

select * from corrected
