-- Rows of statistics files that were not loaded, and why: the reviewers' to-do list.
with

quarantined as (
    select * from {{ ref('stg_statistics_quarantine') }}
)

select
    md5(file_sha256 || '|' || coalesce(file_sheet, '') || '|' || file_row::varchar || '|' || coalesce(file_column, '')) as quarantine_id,
    file,
    file_sheet,
    file_row,
    file_column,
    regexp_replace(split_part(reason, ':', 1), ' of row [0-9]+$', '') as reason_kind,
    reason,
    region_raw,
    region_code_raw,
    indicator_raw,
    period_raw,
    value_raw,
    unit_raw,
    source,
    file_sha256,
    load_id,
    loaded_at
from quarantined
