-- The current version of each plan document: the load its latest ingest state points at, for
-- documents present in seeds/plans (removed and quarantined documents drop out; a replaced
-- document counts at its new content; a skipped re-run keeps the earlier load).
with

source as (
    select * from {{ source('raw', 'plan_documents') }}
),

current_documents as (
    select * from {{ ref('stg_plan_document_states') }}
    where is_current
),

renamed as (
    select
        ---------- ids
        plan_id,
        document,
        document_sha256,
        load_id,
        extractor_version,
        ---------- plan
        region_code,
        region_name,
        plan_kind,
        start_year,
        end_year,
        title,
        -- rows loaded before document kinds were recorded are plans
        coalesce(document_kind, 'plan') as document_kind,
        reference_year,
        context_source,
        line_count,
        ---------- timestamps
        loaded_at
    from source
    where load_id in (select load_id from current_documents)
)

select * from renamed
