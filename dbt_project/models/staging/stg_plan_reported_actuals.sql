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

renamed as (
    select
        ---------- ids
        md5(actuals.actual_key) as reported_actual_id,
        documents.plan_id,
        coalesce(actuals.region_code, documents.region_code) as region_code,
        coalesce(actuals.area_rule, 'plan') as area_rule,
        actuals.area_as_written,
        actuals.indicator_code,
        ---------- as written
        actuals.indicator_as_written,
        actuals.unit as unit_as_written,
        actuals.value as value_as_written,
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
        actuals.load_id,
        actuals.loaded_at
    from actuals
    inner join documents
        on actuals.document_sha256 = documents.document_sha256
        and actuals.load_id = documents.load_id
),

-- The period on the statistics model (planwatch.periods.Period.label: 2023, 2023Q3, 2023-09,
-- 2023-01..09 YTD): the extractor's label for part-year figures; else the year, or the years of a
-- multi-year figure (十三五期间 → 2016-2020).
periods as (
    select
        *,
        -- as the statistics loader does, January to December is the year and January alone the month
        case
            when period_as_written is null then case when period_start_year = period_end_year then 'year' else 'multi_year' end
            when regexp_full_match(period_as_written, '\d{4}|\d{4}-01\.\.12 YTD') then 'year'
            when regexp_full_match(period_as_written, '\d{4}-01\.\.(0[2-9]|1[01]) YTD') then 'ytd'
            when regexp_full_match(period_as_written, '\d{4}Q[1-4]') then 'quarter'
            when regexp_full_match(period_as_written, '\d{4}-(0[1-9]|1[0-2])|\d{4}-01\.\.01 YTD') then 'month'
        end as period_type,
        coalesce(try_cast(left(period_as_written, 4) as integer), period_start_year) as first_year,
        coalesce(try_cast(left(period_as_written, 4) as integer), period_end_year) as last_year,
        try_cast(regexp_extract(period_as_written, '(\d{2})( YTD)?$', 1) as integer) as label_month,
        try_cast(regexp_extract(period_as_written, 'Q([1-4])$', 1) as integer) as label_quarter
    from renamed
),

placed as (
    select
        * exclude (first_year, last_year, label_month, label_quarter),
        case period_type
            when 'year' then last_year::varchar
            when 'multi_year' then first_year::varchar || '-' || last_year::varchar
            when 'month' then format('{}-{:02d}', last_year, label_month)
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
        ranked.* replace (
            case corrections.decision
                when 'correct' then corrections.corrected_value
                when 'exclude' then null
                else ranked.value_canonical
            end as value_canonical
        ),
        ---------- reviewer corrections
        ranked.value_canonical as value_original,
        corrections.flag_key as correction_flag_key,
        corrections.reason as correction_reason
    from ranked
    left join corrections on ranked.reported_actual_id = corrections.entity_id
)

select * from corrected
