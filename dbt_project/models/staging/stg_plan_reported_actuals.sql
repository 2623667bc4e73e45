-- Past figures the current plan documents report about their own region, or about a zone or division
-- inside it that the figure's sentence names as subject (area_rule).
with

actuals as (
    select * from {{ source('raw', 'plan_reported_actuals') }}
),

documents as (
    select * from {{ ref('stg_plans') }}
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
        ---------- measure
        actuals.measure,
        coalesce(actuals.period_start, actuals.year)::integer as period_start_year,
        actuals.year::integer as period_end_year,
        actuals.canonical_unit,
        actuals.value_canonical,
        actuals.unit_issue,
        ---------- provenance
        actuals.document,
        actuals.source_line::integer as source_line,
        actuals.source_text,
        actuals.loaded_at
    from actuals
    inner join documents
        on actuals.document_sha256 = documents.document_sha256
        and actuals.load_id = documents.load_id
)

select * from renamed
