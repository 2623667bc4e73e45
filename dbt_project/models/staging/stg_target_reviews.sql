-- Reviewers' decisions on extracted figures (seeds/reference/target_reviews.csv, written by
-- `planwatch targets decide` or by hand), one row per line of the file, typed and checked. A line
-- that cannot be applied (unknown decision, a value or year that is no number, an unknown
-- indicator or region, an edit that changes nothing, no reviewer) keeps its `problem` and is
-- listed in marts.review_quarantine; it never applies. Of the lines that can, the latest for a
-- figure (the later line of the file) is its decision (is_current). Whether the
-- key names a figure is checked against the figures (marts.review_quarantine).
with

source as (
    select *, row_number() over () + 1 as file_line  -- the file's line (its header is line 1)
    from {{ ref('target_reviews') }}
),

indicators as (
    select indicator_code from {{ ref('stg_indicators') }}
),

regions as (
    select region_code from {{ ref('stg_regions') }}
),

typed as (
    select
        'target_reviews.csv' as file_name,
        file_line,
        nullif(trim(figure_key), '') as figure_key,
        lower(trim(coalesce(decision, ''))) as decision,
        ---------- the edited fields (null: unchanged)
        nullif(trim(indicator_code), '') as indicator_code,
        nullif(trim(value), '') as value_text,
        {{ try_cast("nullif(trim(value), '')", 'double') }} as value,
        nullif(trim(unit), '') as unit,
        nullif(trim(year), '') as year_text,
        {{ try_cast("nullif(trim(year), '')", 'integer') }} as year,
        nullif(trim(target_type), '') as target_type,
        nullif(trim(qualifier), '') as qualifier,
        nullif(trim(region_code), '') as region_code,
        ---------- who, when, why
        nullif(trim(reviewer), '') as reviewer,
        nullif(trim(decided_on), '') as decided_on_text,
        {{ try_cast("nullif(trim(decided_on), '')", 'date') }} as decided_on,
        nullif(trim(reason), '') as reason
    from source
),

checked as (
    select
        typed.*,
        case
            when figure_key is null then 'no figure_key'
            when decision not in {{ sql_list(review_decisions()) }}
                then 'unknown decision ''' || decision || ''' (accept, reject or edit)'
            when value_text is not null and value is null then 'value ''' || value_text || ''' is not a number'
            when year_text is not null and (year is null or year not between 1949 and 2100)
                then 'year ''' || year_text || ''' is not a year'
            when decided_on_text is not null and decided_on is null
                then 'decided_on ''' || decided_on_text || ''' is not a date (YYYY-MM-DD)'
            when typed.indicator_code is not null and typed.indicator_code not in (select indicator_code from indicators)
                then 'unknown indicator_code ''' || typed.indicator_code || ''' (not in indicators.csv)'
            when typed.region_code is not null and typed.region_code not in (select region_code from regions)
                then 'unknown region_code ''' || typed.region_code || ''''
            when target_type is not null and target_type not in {{ sql_list(target_types()) }}
                then 'unknown target_type ''' || target_type || ''''
            when qualifier is not null and qualifier not in {{ sql_list(target_qualifiers()) }}
                then 'unknown qualifier ''' || qualifier || ''''
            when decision = 'edit' and coalesce(typed.indicator_code, value_text, unit, year_text, target_type,
                                                qualifier, typed.region_code) is null
                then 'an edit must change at least one field'
            when decision <> 'edit' and coalesce(typed.indicator_code, value_text, unit, year_text, target_type,
                                                 qualifier, typed.region_code) is not null
                then 'a decision to ' || decision || ' takes no edited fields'
            when reviewer is null then 'no reviewer'
        end as problem
    from typed
),

ranked as (
    select
        checked.*,
        problem is null and row_number() over (
            partition by figure_key, problem is null
            order by file_line desc
        ) = 1 as is_current
    from checked
)

select * from ranked
