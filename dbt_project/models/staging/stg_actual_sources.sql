-- The ranked kinds of source of actuals (seeds/reference/actual_sources.csv), typed; one row per
-- source kind, with the document kinds whose text it covers as a list.
with

source as (
    select * from {{ ref('actual_sources') }}
),

typed as (
    select
        trim(source_kind::varchar) as source_kind,
        source_rank::integer as source_rank,
        label_zh::varchar as label_zh,
        case when nullif(trim(coalesce(document_kinds::varchar, '')), '') is null then {{ empty_text_list() }}
             else {{ split_trimmed('document_kinds::varchar', '|') }} end as document_kinds,
        description::varchar as description
    from source
)

select * from typed
