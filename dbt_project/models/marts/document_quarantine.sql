-- Plan documents refused at ingest and still refused: the reviewers' to-do list for documents
-- (a document that reads today, or was removed, is no longer here).
with

states as (
    select * from {{ ref('stg_plan_document_states') }}
    where status = 'quarantined'
),

refusals as (
    select * from {{ ref('stg_document_quarantine') }}
)

select
    md5(refusals.document || '|' || refusals.document_sha256 || '|' || refusals.reason) as quarantine_id,
    refusals.document,
    refusals.manifest_row,
    refusals.plan_id,
    refusals.reason_kind,
    refusals.reason,
    refusals.document_sha256,
    refusals.load_id,
    refusals.refused_at,
    states.state_since as quarantined_since
from states
inner join refusals on states.load_id = refusals.load_id
