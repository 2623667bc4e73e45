-- The lines of seeds/reference/manual_targets.csv as written, numbered, every column present: the
-- optional attribute column is empty for a file written before it was added (so stg_manual_targets
-- and its unit test read one shape whatever the file's header). The seed's columns are asked of the
-- warehouse, so the same SQL serves DuckDB and PostgreSQL.
{%- set seed_columns = [] -%}
{%- if execute -%}
    {%- set seed_columns = adapter.get_columns_in_relation(ref('manual_targets')) | map(attribute='name') | map('lower') | list -%}
{%- endif %}
with

seed as (
    select
        *{% if 'attribute' not in seed_columns %},
        cast(null as varchar) as attribute{% endif %}
    from {{ ref('manual_targets') }}
)

select *, row_number() over () + 1 as file_line  -- the file's line (its header is line 1)
from seed
