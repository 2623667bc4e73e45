-- Every loaded value of every statistic, with the time it was current: a later file
-- giving a new value for the same region, indicator, measure and period supersedes it.
-- "What did we believe on date D?" is `where valid_from <= D and (valid_to is null or valid_to > D)`.
with

source as (
    select * from {{ source('raw', 'statistics') }}
),

vintages as (
    select
        region_code,
        indicator_code,
        coalesce(measure, 'level') as measure,
        period_label,
        period_type,
        period_start,
        period_end,
        is_ytd,
        value,
        unit,
        source,
        file,
        file_sha256,
        row_number as file_row,
        load_id,
        loaded_at
    from source
),

timed as (
    select
        md5(region_code || '|' || indicator_code || '|' || measure || '|' || period_label || '|' || load_id || '|' || file_row::varchar) as vintage_id,
        *,
        loaded_at as valid_from,
        lead(loaded_at) over (
            partition by region_code, indicator_code, measure, period_label order by loaded_at, file_row
        ) as valid_to,
        lag(value) over (
            partition by region_code, indicator_code, measure, period_label order by loaded_at, file_row
        ) as previous_value
    from vintages
)

select
    *,
    valid_to is null as is_current,
    case when previous_value is not null and previous_value <> 0 then value / previous_value end as revision_ratio
from timed
