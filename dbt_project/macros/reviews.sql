{#- Reviewers' decisions on extracted figures (seeds/reference/target_reviews.csv) and targets typed
    by hand (seeds/reference/manual_targets.csv): the words each file may use, named once here for
    SQL (planwatch/reviews.py checks its lists against these: tests/test_target_reviews.py). -#}

{% macro review_decisions() -%}
{{ return(['accept', 'reject', 'edit']) }}
{%- endmacro %}

{#- The target types and qualifiers the extractor writes (planwatch/plans/cells.py). -#}
{% macro target_types() -%}
{{ return(['level', 'growth_pct', 'annual_avg_growth_pct', 'increment', 'share_increase_pp', 'range', 'rank', 'other']) }}
{%- endmacro %}

{% macro target_qualifiers() -%}
{{ return(['exact', 'at_least', 'at_most', 'approximately']) }}
{%- endmacro %}

{% macro sql_list(values) -%}
({% for v in values %}'{{ v }}'{{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}

{#- The unit a target of `target_type` is compared in: % for growth rates, 个百分点 for a share's
    increase, else the indicator's canonical unit (as planwatch.plans.extract._canonical_unit). -#}
{% macro target_canonical_unit(target_type, indicator_unit, unit_as_written) -%}
case
    when {{ target_type }} in ('growth_pct', 'annual_avg_growth_pct') then '%'
    when {{ target_type }} = 'share_increase_pp' then '个百分点'
    else coalesce({{ indicator_unit }}, {{ unit_as_written }})
end
{%- endmacro %}

{#- What multiplies a value in unit `from_unit` to give it in `to_unit` (seeds/reference/units.csv:
    both must convert to one canonical unit); 1 for the same unit, null when they do not convert. -#}
{% macro unit_factor(from_unit, to_unit) -%}
case
    when trim({{ from_unit }}) = trim({{ to_unit }}) then 1.0
    else (
        select f.factor::double precision / t.factor::double precision
        from {{ ref('units') }} as f
        inner join {{ ref('units') }} as t on f.canonical_unit = t.canonical_unit
        where f.unit = trim({{ from_unit }}) and t.unit = trim({{ to_unit }})
        limit 1
    )
end
{%- endmacro %}
