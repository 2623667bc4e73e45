-- The current version of each plan document: the latest load of its newest content.
with

source as (
    select * from {{ source('raw', 'plan_documents') }}
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
        context_source,
        line_count,
        ---------- timestamps
        loaded_at
    from source
    qualify row_number() over (partition by document order by loaded_at desc) = 1
)

select * from renamed
