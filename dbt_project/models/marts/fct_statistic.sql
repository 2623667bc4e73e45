with

actuals as (
    select * from {{ ref('int_actuals_unioned') }}
),

final as (
    select
        md5(region_code || '|' || indicator_code || '|' || period_label || '|' || actual_origin || '|' || measure || '|' || evidence_file || '|' || coalesce(evidence_row, 0)::varchar || '|' || value::varchar) as statistic_id,
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
        actual_origin,
        actual_source,
        evidence_file,
        evidence_row,
        loaded_at
    from actuals
)

select * from final
