-- One full-year actual per region × indicator × measure × year: statistics before the
-- plans' own reports, the latest load first. Baselines and year-on-year growth read it.
with

actuals as (
    select * from {{ ref('int_actuals_unioned') }}
    where period_type = 'year'
)

select
    region_code,
    indicator_code,
    measure,
    year(period_end) as year,
    value,
    period_label,
    actual_origin,
    actual_source
from actuals
qualify row_number() over (
    partition by region_code, indicator_code, measure, year(period_end)
    order by (actual_origin = 'statistics') desc, loaded_at desc
) = 1
