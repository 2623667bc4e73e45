-- Reviewer decisions on quality flags (seeds/reference/corrections.csv), typed. The file
-- may hold only its header; every column is cast here so that an empty seed works.
with

source as (
    select * from {{ ref('corrections') }}
),

typed as (
    select
        trim(flag_key::varchar) as flag_key,
        lower(trim(decision::varchar)) as decision,
        {{ try_cast('corrected_value', 'double') }} as corrected_value,
        reason::varchar as reason,
        reviewer::varchar as reviewer,
        {{ try_cast('decided_on', 'date') }} as decided_on
    from source
    where flag_key is not null
),

-- One decision per flag: a later line of the file replaces an earlier one.
latest as (
    select distinct on (flag_key) *
    from typed
    order by flag_key, decided_on desc nulls last
)

select * from latest
