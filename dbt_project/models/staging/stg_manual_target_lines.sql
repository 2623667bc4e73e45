-- The lines of seeds/reference/manual_targets.csv as written, numbered, every column present: the
-- optional attribute column is empty for a file written before it was added (so stg_manual_targets
-- and its unit test read one shape whatever the file's header).
with

seed as (
    select * from {{ ref('manual_targets') }}
    union all by name
    select null::varchar as attribute where false
)

select *, row_number() over () + 1 as file_line  -- the file's line (its header is line 1)
from seed
