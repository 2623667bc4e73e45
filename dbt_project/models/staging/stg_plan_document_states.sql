-- The latest state of every plan document ingest has ever seen: present (at which load),
-- quarantined (by which refusal) or removed from seeds/plans. Raw keeps every state; only
-- the latest counts. Documents loaded before states were recorded (no event yet) count as
-- present at their latest load until the next ingest run records them.
with

events as (
    select * from {{ source('raw', 'plan_document_events') }}
),

documents as (
    select * from {{ source('raw', 'plan_documents') }}
),

latest_events as (
    select distinct on (document)
        document,
        status,
        document_sha256,
        plan_id,
        load_id,
        seen_at as state_since,
        run_id
    from events
    order by document, seen_at desc, run_id desc
),

before_events as (
    select distinct on (document)
        document,
        'present' as status,
        document_sha256,
        plan_id,
        load_id,
        loaded_at as state_since,
        null::varchar as run_id
    from documents
    where document not in (select document from events)
    order by document, loaded_at desc
),

states as (
    select * from latest_events
    union all
    select * from before_events
)

select
    ---------- ids
    document,
    plan_id,
    document_sha256,
    load_id,
    ---------- state
    status,
    status = 'present' as is_current,
    ---------- timestamps
    state_since,
    run_id
from states
