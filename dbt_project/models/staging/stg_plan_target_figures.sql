-- Every target figure of the current version of each plan document, as the extractor read it and
-- as reviewers decided it, and every target typed by hand:
--   * reviewers' decisions on figures (seeds/reference/target_reviews.csv, by figure_key): an
--     accepted figure is as read; an edited one carries the edited fields (indicator, value, unit,
--     year, type, qualifier, region) and, in extracted_*, what the extractor read; a rejected one is
--     kept here with its decision (is_rejected) and left out of stg_plan_targets and the marts;
--   * targets typed by hand (seeds/reference/manual_targets.csv), entered_by = 'manual';
--   * reviewers' decisions on quality flags (seeds/reference/corrections.csv): a corrected target
--     carries the corrected value in value_canonical, an excluded one a null value; value_original
--     keeps the value before the correction.
-- Raw is never changed: a later extraction of the same figure finds its decision by figure_key.
with

targets as (
    select * from {{ source('raw', 'plan_targets') }}
),

documents as (
    select * from {{ ref('stg_plans') }}
),

indicators as (
    select indicator_code, unit from {{ ref('stg_indicators') }}
),

reviews as (
    select * from {{ ref('stg_target_reviews') }}
    where is_current
),

manual as (
    select * from {{ ref('stg_manual_targets') }}
    where is_current
),

renamed as (
    select
        ---------- ids
        md5(targets.target_key) as target_id,
        targets.target_key,
        targets.figure_key,
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
        targets.rule,
        targets.load_id,
        targets.loaded_at
    from targets
    inner join documents
        on targets.document_sha256 = documents.document_sha256
        and targets.load_id = documents.load_id
),

-- A figure's decision applied: the edited fields replace what was read (a new indicator, type or
-- unit converts the value anew, as the extractor converts: seeds/reference/units.csv).
decided as (
    select
        renamed.*,
        reviews.decision as review_decision,
        reviews.decision = 'edit' and (reviews.value is not null or reviews.unit is not null
            or reviews.indicator_code is not null or reviews.target_type is not null) as value_edited,
        reviews.value as edited_value,
        reviews.unit as edited_unit,
        reviews.indicator_code as edited_indicator_code,
        reviews.target_type as edited_target_type,
        reviews.year as edited_year,
        reviews.qualifier as edited_qualifier,
        reviews.region_code as edited_region_code,
        reviews.reviewer as reviewed_by,
        reviews.decided_on as reviewed_on,
        reviews.reason as review_reason,
        reviews.file_line as review_line,
        -- the unit the edited figure is compared in (its indicator's, or % for a growth rate)
        {{ target_canonical_unit('coalesce(reviews.target_type, renamed.target_type)', 'edited_indicator.unit',
                                 'coalesce(reviews.unit, renamed.unit_as_written)') }} as edited_canonical_unit
    from renamed
    left join reviews on renamed.figure_key = reviews.figure_key
    left join indicators as edited_indicator
        on edited_indicator.indicator_code = coalesce(reviews.indicator_code, renamed.indicator_code)
),

reviewed as (
    select
        decided.target_id,
        decided.target_key,
        decided.figure_key,
        decided.plan_id,
        coalesce(edited_region_code, decided.region_code) as region_code,
        case when edited_region_code is not null then 'reviewer' else decided.area_rule end as area_rule,
        decided.area_as_written,
        coalesce(edited_indicator_code, decided.indicator_code) as indicator_code,
        decided.region_name,
        decided.indicator_as_written,
        coalesce(edited_unit, decided.unit_as_written) as unit_as_written,
        coalesce(edited_year, decided.target_year) as target_year,
        coalesce(edited_target_type, decided.target_type) as target_type,
        coalesce(edited_qualifier, decided.qualifier) as qualifier,
        decided.stretch,
        coalesce(edited_value, decided.value_as_written) as value_as_written,
        decided.low_as_written,
        decided.high_as_written,
        case when value_edited then edited_canonical_unit else decided.canonical_unit end as canonical_unit,
        case when value_edited
            then coalesce(edited_value, decided.value_as_written)
                 * {{ unit_factor('coalesce(edited_unit, decided.unit_as_written, edited_canonical_unit)', 'edited_canonical_unit') }}
            else decided.value_canonical end as value_canonical,
        -- a range's ends: converted anew when only the unit or indicator changed, dropped when the value did
        case when edited_value is not null then null
             when value_edited then decided.low_as_written
                 * {{ unit_factor('coalesce(edited_unit, decided.unit_as_written, edited_canonical_unit)', 'edited_canonical_unit') }}
             else decided.low_canonical end as low_canonical,
        case when edited_value is not null then null
             when value_edited then decided.high_as_written
                 * {{ unit_factor('coalesce(edited_unit, decided.unit_as_written, edited_canonical_unit)', 'edited_canonical_unit') }}
             else decided.high_canonical end as high_canonical,
        case
            when not value_edited then decided.unit_issue
            when {{ unit_factor('coalesce(edited_unit, decided.unit_as_written, edited_canonical_unit)', 'edited_canonical_unit') }} is null
                then 'cannot convert ' || coalesce(edited_unit, decided.unit_as_written, '(no unit)') || ' to '
                     || coalesce(edited_canonical_unit, '(no unit)') || ' (reviewer edit)'
        end as unit_issue,
        decided.attribute,
        decided.cumulative,
        decided.per_year,
        decided.baseline_year,
        decided.baseline_value,
        decided.baseline_unit,
        decided.baseline_value_canonical,
        decided.match_score,
        decided.match_method,
        decided.conflict_group,
        decided.document,
        decided.document_sha256,
        decided.source_kind,
        decided.source_line,
        decided.source_lines,
        decided.source_text,
        decided.source_text_normalised,
        decided.source_context,
        decided.rule,
        decided.load_id,
        decided.loaded_at,
        decided.review_decision,
        decided.value_edited,
        decided.reviewed_by,
        decided.reviewed_on,
        decided.review_reason,
        decided.review_line,
        case decided.review_decision when 'edit' then 'reviewer' else 'extractor' end as entered_by,
        case decided.review_decision
            when 'accept' then 'accepted' when 'reject' then 'rejected' when 'edit' then 'edited' else 'open'
        end as review_status,
        coalesce(decided.review_decision = 'reject', false) as is_rejected,
        ---------- as the extractor read it
        decided.indicator_code as extracted_indicator_code,
        decided.region_code as extracted_region_code,
        decided.target_year as extracted_year,
        decided.target_type as extracted_target_type,
        decided.qualifier as extracted_qualifier,
        decided.value_as_written as extracted_value,
        decided.unit_as_written as extracted_unit
    from decided
),

-- Targets typed by hand, in the columns of extracted ones.
manual_rows as (
    select
        manual.figure_key as target_id,
        'manual|' || manual.plan_id || '|' || manual.region_code || '|' || manual.indicator_code || '|'
            || manual.target_year::varchar || '|' || manual.target_type as target_key,
        manual.figure_key,
        manual.plan_id,
        manual.region_code,
        manual.area_rule,
        null::varchar as area_as_written,
        manual.indicator_code,
        manual.region_as_written as region_name,
        coalesce(manual.indicator_as_written, manual.indicator_code) as indicator_as_written,
        manual.unit_as_written,
        manual.target_year,
        manual.target_type,
        manual.qualifier,
        false as stretch,
        manual.value_as_written,
        null::double precision as low_as_written,
        null::double precision as high_as_written,
        manual.canonical_unit,
        manual.value_canonical,
        null::double precision as low_canonical,
        null::double precision as high_canonical,
        null::varchar as unit_issue,
        manual.attribute,
        false as cumulative,
        false as per_year,
        manual.baseline_year,
        manual.baseline_value,
        manual.unit_as_written as baseline_unit,
        manual.baseline_value_canonical,
        null::double precision as match_score,
        'manual' as match_method,
        null::varchar as conflict_group,
        manual.document,
        manual.document_sha256,
        'manual' as source_kind,
        manual.source_line,
        manual.source_line::varchar as source_lines,
        manual.source_text,
        manual.source_text as source_text_normalised,
        'seeds/reference/manual_targets.csv line ' || manual.file_line::varchar as source_context,
        'entered:manual' as rule,
        null::varchar as load_id,
        null::timestamp as loaded_at,
        null::varchar as review_decision,
        false as value_edited,
        null::varchar as reviewed_by,
        null::date as reviewed_on,
        null::varchar as review_reason,
        manual.file_line as review_line,
        'manual' as entered_by,
        'manual' as review_status,
        false as is_rejected,
        null::varchar as extracted_indicator_code,
        null::varchar as extracted_region_code,
        null::integer as extracted_year,
        null::varchar as extracted_target_type,
        null::varchar as extracted_qualifier,
        null::double precision as extracted_value,
        null::varchar as extracted_unit
    from manual
),

figures as (
    select * from reviewed
    union all
    select * from manual_rows
),

corrections as (
    {{ quality_row_corrections('figures', 'target', 'target_id') }}
),

corrected as (
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
        case corrections.decision
            when 'correct' then corrections.corrected_value
            when 'exclude' then null
            else figures.value_canonical
        end as value_canonical,
        case corrections.decision
            when 'correct' then figures.low_canonical * corrections.corrected_value / nullif(figures.value_canonical, 0)
            when 'exclude' then null
            else figures.low_canonical
        end as low_canonical,
        case corrections.decision
            when 'correct' then figures.high_canonical * corrections.corrected_value / nullif(figures.value_canonical, 0)
            when 'exclude' then null
            else figures.high_canonical
        end as high_canonical,
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
        figures.is_rejected,
        figures.extracted_indicator_code,
        figures.extracted_region_code,
        figures.extracted_year,
        figures.extracted_target_type,
        figures.extracted_qualifier,
        figures.extracted_value,
        figures.extracted_unit,
        ---------- reviewer corrections
        figures.value_canonical as value_original,
        corrections.flag_key as correction_flag_key,
        corrections.reason as correction_reason
    from figures
    left join corrections on figures.target_id = corrections.entity_id
)

select * from corrected
