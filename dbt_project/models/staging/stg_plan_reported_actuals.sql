-- Achieved figures (actuals) read from the text of the current plan documents — a statistical
-- bulletin's or government report's figures, or a plan's review of past years — about the
-- document's region, or about a zone or division inside it that the figure's sentence names as
-- subject (area_rule). Each keeps its provenance (document, content hash, line, exact text, the
-- rules that read it), its period on the statistics loader's period model (a part-year figure,
-- 1-10月 or 截至10月, is year-to-date like a monthly statistics file's), and its source kind from
-- the document's kind (seeds/reference/actual_sources.csv). Reviewer decisions on its quality
-- flags apply to the value (value_original keeps the value as read).
with

actuals as (
    select * from {{ source('raw', 'plan_reported_actuals') }}
),

documents as (
    select * from {{ ref('stg_plans') }}
),

source_kinds as (
    select * from {{ ref('stg_actual_sources') }}
),

indicators as (
    select indicator_code, unit from {{ ref('stg_indicators') }}
),

reviews as (
    select * from {{ ref('stg_target_reviews') }}
    where is_current
),

renamed as (
    select
        ---------- ids
        md5(actuals.actual_key) as reported_actual_id,
        actuals.figure_key,
        documents.plan_id,
        coalesce(actuals.region_code, documents.region_code) as region_code,
        coalesce(actuals.area_rule, 'plan') as area_rule,
        actuals.area_as_written,
        actuals.indicator_code,
        ---------- as written
        actuals.indicator_as_written,
        actuals.unit as unit_as_written,
        actuals.value as value_as_written,
        -- loads before extractor version 14 did not keep an achieved figure's bound
        coalesce(actuals.qualifier, 'exact') as qualifier,
        nullif(trim(actuals.period), '') as period_as_written,
        ---------- measure
        actuals.measure,
        coalesce(actuals.period_start, actuals.year)::integer as period_start_year,
        actuals.year::integer as period_end_year,
        actuals.canonical_unit,
        actuals.value_canonical,
        actuals.unit_issue,
        ---------- source
        documents.document_kind,
        coalesce(documents.reference_year, documents.end_year) as document_year,
        ---------- provenance
        actuals.document,
        actuals.document_sha256,
        actuals.source_line::integer as source_line,
        actuals.source_text,
        actuals.source_text_normalised,
        actuals.rule,
        actuals.match_score,
        actuals.match_method,
        actuals.load_id,
        actuals.loaded_at
    from actuals
    inner join documents
        on actuals.document_sha256 = documents.document_sha256
        and actuals.load_id = documents.load_id
),

-- A reviewer's decision on the figure applied (a new indicator, unit or measure converts the value anew).
{%- set edited_canonical = target_canonical_unit('coalesce(r.target_type, renamed.measure)', 'edited_indicator.unit',
                                                 'coalesce(r.unit, renamed.unit_as_written)') %}
reviewed as (
    select
        renamed.reported_actual_id,
        renamed.figure_key,
        renamed.plan_id,
        coalesce(r.region_code, renamed.region_code) as region_code,
        case when r.region_code is not null then 'reviewer' else renamed.area_rule end as area_rule,
        renamed.area_as_written,
        coalesce(r.indicator_code, renamed.indicator_code) as indicator_code,
        renamed.indicator_as_written,
        coalesce(r.unit, renamed.unit_as_written) as unit_as_written,
        coalesce(r.value, renamed.value_as_written) as value_as_written,
        renamed.qualifier,
        case when r.year is null then renamed.period_as_written
             else regexp_replace(renamed.period_as_written, '^\d{4}', r.year::varchar) end as period_as_written,
        coalesce(r.target_type, renamed.measure) as measure,
        case when r.year is null then renamed.period_start_year
             when renamed.period_start_year = renamed.period_end_year then r.year
             else renamed.period_start_year + (r.year - renamed.period_end_year) end as period_start_year,
        coalesce(r.year, renamed.period_end_year) as period_end_year,
        case when r.decision = 'edit' and coalesce(r.value::varchar, r.unit, r.indicator_code, r.target_type) is not null
            then {{ edited_canonical }} else renamed.canonical_unit end as canonical_unit,
        case
            when r.decision = 'reject' then null
            when r.decision = 'edit' and coalesce(r.value::varchar, r.unit, r.indicator_code, r.target_type) is not null
                then coalesce(r.value, renamed.value_as_written)
                    * {{ unit_factor('coalesce(r.unit, renamed.unit_as_written, ' ~ edited_canonical ~ ')', edited_canonical) }}
            else renamed.value_canonical
        end as value_canonical,
        renamed.unit_issue,
        renamed.document_kind,
        renamed.document_year,
        renamed.document,
        renamed.document_sha256,
        renamed.source_line,
        renamed.source_text,
        renamed.source_text_normalised,
        renamed.rule,
        renamed.match_score,
        renamed.match_method,
        renamed.load_id,
        renamed.loaded_at,
        case r.decision when 'edit' then 'reviewer' else 'extractor' end as entered_by,
        case r.decision when 'accept' then 'accepted' when 'reject' then 'rejected' when 'edit' then 'edited' else 'open' end
            as review_status,
        r.decision as review_decision,
        r.reviewer as reviewed_by,
        r.decided_on as reviewed_on,
        r.reason as review_reason,
        renamed.indicator_code as extracted_indicator_code,
        renamed.region_code as extracted_region_code,
        renamed.period_end_year as extracted_year,
        renamed.measure as extracted_measure,
        renamed.value_as_written as extracted_value,
        renamed.unit_as_written as extracted_unit
    from renamed
    left join reviews as r on renamed.figure_key = r.figure_key
    left join indicators as edited_indicator on edited_indicator.indicator_code = coalesce(r.indicator_code, renamed.indicator_code)
),

-- The period on the statistics model (planwatch.periods.Period.label: 2023, 2023Q3, 2023-09,
-- 2023-01..09 YTD): the extractor's label for part-year figures; else the year, or the years of a
-- multi-year figure (十三五期间 → 2016-2020); 'undated' for a figure with no year at all (an undated
-- document's, flagged by int_quality__undated), not a multi-year period of unknown years.
periods as (
    select
        *,
        -- as the statistics loader does, January to December is the year and January alone the month
        case
            when period_as_written is null then case
                when period_end_year is null then 'undated'
                when period_start_year = period_end_year then 'year'
                else 'multi_year' end
            when regexp_full_match(period_as_written, '\d{4}|\d{4}-01\.\.12 YTD') then 'year'
            when regexp_full_match(period_as_written, '\d{4}-01\.\.(0[2-9]|1[01]) YTD') then 'ytd'
            when regexp_full_match(period_as_written, '\d{4}Q[1-4]') then 'quarter'
            when regexp_full_match(period_as_written, '\d{4}-(0[1-9]|1[0-2])|\d{4}-01\.\.01 YTD') then 'month'
        end as period_type,
        coalesce({{ try_cast('left(period_as_written, 4)', 'integer') }}, period_start_year) as first_year,
        coalesce({{ try_cast('left(period_as_written, 4)', 'integer') }}, period_end_year) as last_year,
        {{ try_cast("regexp_extract(period_as_written, '(\d{2})( YTD)?$', 1)", 'integer') }} as label_month,
        {{ try_cast("regexp_extract(period_as_written, 'Q([1-4])$', 1)", 'integer') }} as label_quarter
    from reviewed
),

placed as (
    select
        reported_actual_id,
        figure_key,
        plan_id,
        region_code,
        area_rule,
        area_as_written,
        indicator_code,
        indicator_as_written,
        unit_as_written,
        value_as_written,
        qualifier,
        period_as_written,
        measure,
        period_start_year,
        period_end_year,
        canonical_unit,
        value_canonical,
        unit_issue,
        document_kind,
        document_year,
        document,
        document_sha256,
        source_line,
        source_text,
        source_text_normalised,
        rule,
        match_score,
        match_method,
        load_id,
        loaded_at,
        entered_by,
        review_status,
        review_decision,
        reviewed_by,
        reviewed_on,
        review_reason,
        extracted_indicator_code,
        extracted_region_code,
        extracted_year,
        extracted_measure,
        extracted_value,
        extracted_unit,
        period_type,
        case period_type
            when 'year' then last_year::varchar
            when 'multi_year' then first_year::varchar || '-' || last_year::varchar
            when 'month' then last_year::varchar || '-' || lpad(label_month::varchar, 2, '0')
            else period_as_written
        end as period_label,
        case period_type
            when 'quarter' then make_date(first_year, 3 * label_quarter - 2, 1)
            when 'month' then make_date(first_year, label_month, 1)
            else make_date(first_year, 1, 1)
        end as period_start,
        case period_type
            when 'quarter' then last_day(make_date(last_year, 3 * label_quarter, 1))
            when 'month' then last_day(make_date(last_year, label_month, 1))
            when 'ytd' then last_day(make_date(last_year, label_month, 1))
            else make_date(last_year, 12, 31)
        end as period_end,
        coalesce(period_type = 'ytd', false) as is_ytd
    from periods
),

ranked as (
    select
        placed.*,
        source_kinds.source_kind
    from placed
    left join source_kinds on list_contains(source_kinds.document_kinds, placed.document_kind)
),

corrections as (
    {{ quality_row_corrections('ranked', 'reported_actual', 'reported_actual_id') }}
),

corrected as (
    select
        ranked.reported_actual_id,
        ranked.figure_key,
        ranked.plan_id,
        ranked.region_code,
        ranked.area_rule,
        ranked.area_as_written,
        ranked.indicator_code,
        ranked.indicator_as_written,
        ranked.unit_as_written,
        ranked.value_as_written,
        ranked.qualifier,
        ranked.period_as_written,
        ranked.measure,
        ranked.period_start_year,
        ranked.period_end_year,
        ranked.canonical_unit,
        case corrections.decision
            when 'correct' then corrections.corrected_value
            when 'exclude' then null
            else ranked.value_canonical
        end as value_canonical,
        ranked.unit_issue,
        ranked.document_kind,
        ranked.document_year,
        ranked.document,
        ranked.document_sha256,
        ranked.source_line,
        ranked.source_text,
        ranked.source_text_normalised,
        ranked.rule,
        ranked.match_score,
        ranked.match_method,
        ranked.load_id,
        ranked.loaded_at,
        ranked.entered_by,
        ranked.review_status,
        ranked.review_decision,
        ranked.reviewed_by,
        ranked.reviewed_on,
        ranked.review_reason,
        ranked.extracted_indicator_code,
        ranked.extracted_region_code,
        ranked.extracted_year,
        ranked.extracted_measure,
        ranked.extracted_value,
        ranked.extracted_unit,
        ranked.period_type,
        ranked.period_label,
        ranked.period_start,
        ranked.period_end,
        ranked.is_ytd,
        ranked.source_kind,
        ---------- reviewer corrections
        ranked.value_canonical as value_original,
        corrections.flag_key as correction_flag_key,
        corrections.reason as correction_reason
    from ranked
    left join corrections on ranked.reported_actual_id = corrections.entity_id
)

select * from corrected
