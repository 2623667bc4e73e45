-- The review queue of indicator names the catalog does not know, one row per region and name as
-- written: how many targets use it, over which years, and where it is first stated. These are not
-- quality flags (nothing in the figure is wrong): the fix is an alias
-- (`planwatch catalog alias add`), or rejecting figures that are no regional indicator
-- (`planwatch targets decide … reject`), after which the name leaves the queue.
with

targets as (
    select * from {{ ref('fct_plan_target') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

unmapped as (
    select * from targets where indicator_code is null
),

-- the earliest statement of each name: the document and line a reviewer opens first
first_statement as (
    select distinct on (region_code, indicator_as_written)
        region_code,
        indicator_as_written,
        plan_id,
        document,
        source_line,
        source_text
    from unmapped
    order by region_code, indicator_as_written, document, source_line
),

counted as (
    select
        region_code,
        indicator_as_written,
        count(*) as target_count,
        count(distinct document) as document_count,
        min(target_year) as first_year,
        max(target_year) as last_year,
        max(match_score) as best_match_score
    from unmapped
    group by region_code, indicator_as_written
)

select
    md5(coalesce(c.region_code, '') || '|' || c.indicator_as_written) as unmapped_id,
    c.region_code,
    r.region_name,
    c.indicator_as_written,
    c.target_count,
    c.document_count,
    c.first_year,
    c.last_year,
    c.best_match_score,
    s.plan_id,
    s.document,
    s.source_line,
    s.source_text
from counted as c
inner join first_statement as s
    on c.region_code is not distinct from s.region_code and c.indicator_as_written = s.indicator_as_written
left join regions as r on c.region_code = r.region_code
