{{ config(severity='warn') }}
-- Decisions whose flag no longer exists (the document or file changed, so the flagged figure
-- is gone): harmless, but the line in seeds/reference/corrections.csv can be removed.
select c.flag_key, c.decision, c.reason
from {{ ref('stg_corrections') }} as c
where not exists (select 1 from {{ ref('quality_flags') }} as f where c.flag_key = f.flag_key)
