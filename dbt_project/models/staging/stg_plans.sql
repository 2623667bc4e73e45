-- Every plan: the current version of each plan document present in seeds/plans (the load its latest
-- ingest state points at; removed and quarantined documents drop out, a replaced document counts at its
-- new content, a skipped re-run keeps the earlier load), and each plan of the manifest whose document
-- ingest refused (no text layer, not a Word file, …): nothing was read from it, but it is a plan, and the
-- targets typed for it by hand (manual_targets.csv) belong to it. A removed document's plan drops out.
with

source as (
    select * from {{ source('raw', 'plan_documents') }}
),

states as (
    select * from {{ ref('stg_plan_document_states') }}
),

manifest as (
    select * from {{ ref('stg_plan_manifest') }}
    where is_usable
),

quarantine as (
    select * from {{ ref('stg_document_quarantine') }}
),

read_plans as (
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
        ---------- document
        'read' as document_state,
        null::varchar as refusal_reason,
        ---------- timestamps
        loaded_at
    from source
    where load_id in (select load_id from states where is_current)
),

refused_plans as (
    select
        ---------- ids
        manifest.plan_id,
        manifest.document,
        states.document_sha256,
        states.load_id,
        null::varchar as extractor_version,
        ---------- plan: the manifest's row, as ingest checked it (an empty plan_kind follows the years, as ingest infers it)
        manifest.region_code,
        manifest.region_name,
        coalesce(manifest.plan_kind, case when manifest.start_year = manifest.end_year then 'annual'
                                          when manifest.start_year is not null then 'five_year' end) as plan_kind,
        manifest.start_year,
        manifest.end_year,
        manifest.title,
        coalesce(manifest.document_kind, 'plan') as document_kind,
        null::integer as reference_year,
        'manifest row ' || manifest.manifest_row || '; the document was refused, nothing was read from it' as context_source,
        null::integer as line_count,
        ---------- document
        'refused' as document_state,
        quarantine.reason_kind || ': ' || quarantine.reason as refusal_reason,
        ---------- timestamps
        null::timestamp as loaded_at
    from manifest
    inner join states on manifest.document = states.document and states.status = 'quarantined'
    inner join quarantine on states.load_id = quarantine.load_id
    where manifest.plan_id not in (select plan_id from read_plans)
),

final as (
    select * from read_plans
    union all
    select * from refused_plans
)

select * from final
