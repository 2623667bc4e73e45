-- Statistics files refused whole (unreadable, no header found, not a CSV or workbook, a crash
-- while writing) whose latest attempt still failed: the reviewers' to-do list for files.
-- A file that loads later, or loads the same content from another path, leaves the list.
with

attempts as (
    select * from {{ ref('stg_load_log') }}
    where load_kind = 'statistics_file'
),

latest_attempt as (
    select distinct on (file, coalesce(sheet, '')) *
    from attempts
    order by file, coalesce(sheet, ''), loaded_at desc, load_id desc
),

loaded_content as (
    select distinct file_sha256, coalesce(sheet, '') as sheet
    from attempts
    where status = 'loaded' and not is_retracted
),

first_refusal as (
    select file, coalesce(sheet, '') as sheet, file_sha256, min(loaded_at) as first_refused_at, count(*) as attempts
    from attempts
    where status = 'failed'
    group by file, coalesce(sheet, ''), file_sha256
)

select
    md5(latest_attempt.file || '|' || coalesce(latest_attempt.sheet, '') || '|' || latest_attempt.file_sha256) as quarantine_id,
    latest_attempt.file,
    latest_attempt.sheet,
    latest_attempt.file_sha256,
    latest_attempt.message as reason,
    latest_attempt.load_id,
    first_refusal.first_refused_at,
    latest_attempt.loaded_at as last_refused_at,
    first_refusal.attempts::integer as attempts
from latest_attempt
left join first_refusal
    on latest_attempt.file = first_refusal.file
    and coalesce(latest_attempt.sheet, '') = first_refusal.sheet
    and latest_attempt.file_sha256 = first_refusal.file_sha256
where latest_attempt.status = 'failed'
    and not exists (
        select 1 from loaded_content
        where loaded_content.file_sha256 = latest_attempt.file_sha256
            and loaded_content.sheet = coalesce(latest_attempt.sheet, '')
            and latest_attempt.file_sha256 <> ''
    )
