-- The kinds of source an actual can come from, ranked (seeds/reference/actual_sources.csv): what
-- target_vs_actual.actual_source_kind and fct_statistic.source_kind mean, and which wins.
with

sources as (
    select * from {{ ref('stg_actual_sources') }}
),

final as (
    select
        source_kind,
        source_rank,
        label_zh,
        array_to_string(document_kinds, ', ') as document_kinds,
        description
    from sources
)

select * from final
