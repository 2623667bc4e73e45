-- Every actual value with a value, from every source (statistics files, figures read from
-- documents' text), with its source kind and rank, its provenance, and whether it is the chosen
-- actual of its region × indicator × measure × period or a corroborating / contradicting one.
-- Incremental as int_actual_candidates: the keys of statistics loaded after this table's latest are read
-- again (every candidate of each), deleted and inserted by actual_key. A table carried over from the
-- published warehouse holds its rows, not its constraints; the data tests below still check them.
{{ config(materialized='incremental', unique_key='actual_key', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns') }}

with

all_candidates as (
    select * from {{ ref('int_actual_candidates') }}
    where value is not null  -- a reviewer excluded the others
),

{% if is_incremental() -%}
candidates as (
    select *
    from all_candidates
    where actual_key in (
        select actual_key from all_candidates
        where source_kind = 'statistics_file' and loaded_at > {{ statistics_loaded_through() }}
    )
),
{%- else -%}
candidates as (
    select * from all_candidates
),
{%- endif %}

final as (
    select
        actual_candidate_id as statistic_id,
        actual_key,
        region_code,
        indicator_code,
        period_label,
        period_type,
        period_start,
        period_end,
        is_ytd,
        measure,
        base_year,
        value,
        unit,
        source_kind,
        source_rank,
        is_chosen,
        candidate_role,
        candidates_in_key,
        actual_source,
        source_document as evidence_file,
        source_line::bigint as evidence_row,
        source_sha256 as evidence_sha256,
        source_text as evidence_text,
        source_rule as evidence_rule,
        loaded_at
    from candidates
)

select * from final
