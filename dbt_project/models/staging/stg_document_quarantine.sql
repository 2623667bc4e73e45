-- Plan documents that ingest refused (could not be read, extracted or placed in a plan), every
-- refusal as recorded; marts.document_quarantine keeps those still refused.
with

source as (
    select * from {{ source('raw', 'document_quarantine') }}
),

renamed as (
    select
        ---------- ids
        load_id,
        document,
        document_sha256,
        plan_id,
        manifest_row,
        ---------- reason
        reason_kind,
        reason,
        ---------- timestamps
        refused_at
    from source
)

select * from renamed
