-- The current vintage of every statistic: for one region, indicator and period the
-- latest load wins; earlier values stay in raw (see fct_statistic_vintage). Reviewer
-- decisions on quality flags (seeds/reference/corrections.csv) apply to the value: a
-- corrected statistic carries the corrected value, an excluded one a null value (and is
-- left out of the actuals); value_original keeps the value as loaded.
with

source as (
    select * from {{ source('raw', 'statistics') }}
),

renamed as (
    select
        ---------- ids
        md5(region_code || '|' || indicator_code || '|' || measure || '|' || period_label) as statistic_id,
        region_code,
        indicator_code,
        ---------- what is measured
        coalesce(measure, 'level') as measure,
        base_year,
        ---------- period
        period_label,
        period_type,
        period_start,
        period_end,
        is_ytd,
        ---------- value
        value,
        unit,
        ---------- provenance
        source,
        file,
        file_sha256,
        row_number as file_row,
        column_raw as file_column,
        load_id,
        loaded_at,
        count(*) over (partition by region_code, indicator_code, coalesce(measure, 'level'), period_label) as vintages
    from source
    qualify row_number() over (
        partition by region_code, indicator_code, coalesce(measure, 'level'), period_label
        order by loaded_at desc, row_number desc
    ) = 1
),

-- The statistic's entity id in quality flags (region, indicator, measure, period, file hash and row).
keyed as (
    select
        *,
        {{ statistic_entity_id() }} as entity_id
    from renamed
),

corrections as (
    {{ quality_row_corrections('keyed', 'statistic', 'entity_id') }}
),

corrected as (
    select
        keyed.* exclude (entity_id) replace (
            case corrections.decision
                when 'correct' then corrections.corrected_value
                when 'exclude' then null
                else keyed.value
            end as value
        ),
        ---------- reviewer corrections
        keyed.value as value_original,
        corrections.flag_key as correction_flag_key,
        corrections.reason as correction_reason
    from keyed
    left join corrections on keyed.entity_id = corrections.entity_id
)

select * from corrected
