-- Every file or document offered to a loader (raw.load_log), with its retraction if any.
with

source as (
    select * from {{ source('raw', 'load_log') }}
),

retractions as (
    select * from {{ source('raw', 'load_retractions') }}
),

renamed as (
    select
        ---------- ids
        source.load_id,
        source.kind as load_kind,
        ---------- what was offered
        source.file,
        source.sheet,
        source.file_sha256,
        ---------- outcome
        source.status,
        source.message,
        source.rows_read,
        source.rows_loaded,
        source.rows_quarantined,
        retractions.load_id is not null as is_retracted,
        retractions.retracted_at,
        retractions.reviewer as retracted_by,
        retractions.reason as retraction_reason,
        ---------- timestamps
        source.loaded_at
    from source
    left join retractions on source.load_id = retractions.load_id
)

select * from renamed
