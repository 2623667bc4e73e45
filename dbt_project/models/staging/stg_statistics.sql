-- The current vintage of every statistic: for one region, indicator and period the
-- latest load wins; earlier values stay in raw (see fct_statistic_vintage). Reviewer
-- decisions on quality flags (seeds/reference/corrections.csv) apply to the value: a
-- corrected statistic carries the corrected value, an excluded one a null value (and is
-- left out of the actuals); value_original keeps the value as loaded.
with

vintages as (
    select * from {{ ref('stg_statistic_vintages') }}
),

current_vintage as (
    select
        md5(region_code || '|' || indicator_code || '|' || measure || '|' || period_label) as statistic_id,
        *,
        count(*) over (partition by region_code, indicator_code, measure, period_label) as vintages
    from vintages
    qualify row_number() over (
        partition by region_code, indicator_code, measure, period_label
        order by loaded_at desc, file_row desc
    ) = 1
),

-- The statistic's entity id in quality flags (region, indicator, measure, period, file hash and row).
keyed as (
    select
        *,
        {{ statistic_entity_id() }} as entity_id
    from current_vintage
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
