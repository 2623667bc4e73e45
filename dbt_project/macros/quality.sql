{#- Quality checks: the flag key and the list of checks, named once.

    A flag's key is md5(family | check | entity kind | entity id): stable across runs
    because the entity id is (targets) the hash of the target's natural key in its
    document version, or (statistics) the hash of region, indicator, measure, period,
    load and file row — never a timestamp. Reviewer decisions in corrections.csv are
    keyed by it, and staging finds the decisions for its rows by computing the keys of
    every check below for each row (a flag's key cannot be looked up from the flags
    themselves: the flags are computed from staging). -#}

{% macro quality_flag_key(check_family, check_name, entity, entity_id) -%}
md5({{ check_family }} || '|' || {{ check_name }} || '|' || {{ entity }} || '|' || {{ entity_id }})
{%- endmacro %}

{#- Every check that can flag a plan target, a statistic or a reported actual (a figure read from a document's text): (family, check). -#}
{% macro quality_checks(entity) -%}
{%- if entity == 'target' -%}
{{ return([
    ('decimal_shift', 'decimal_shift'),
    ('trajectory', 'non_monotonic'),
    ('trajectory', 'step_out_of_line'),
    ('range_by_unit', 'share_out_of_range'),
    ('range_by_unit', 'negative_count'),
    ('range_by_unit', 'fractional_count'),
    ('range_by_unit', 'implausible_growth'),
    ('contradiction', 'prose_vs_table'),
    ('contradiction', 'baseline_beyond_target'),
    ('contradiction', 'baseline_vs_reported_actual'),
    ('unit', 'magnitude_fits_other_unit'),
    ('unit', 'unit_not_convertible'),
    ('undated', 'target_without_year'),
    ('plan_path', 'floor_vs_table'),
    ('plan_path', 'rule_vs_table'),
    ('plan_path', 'first_milestone_at_baseline'),
    ('subset', 'subset_equals_total'),
    ('subset', 'subset_exceeds_total'),
    ('share', 'share_vs_parts'),
    ('share', 'implied_denominator_jump'),
]) }}
{%- elif entity == 'reported_actual' -%}
{{ return([
    ('contradiction', 'actual_sources_disagree'),
    ('undated', 'actual_without_year'),
    ('derived', 'growth_vs_levels'),
    ('derived', 'multiplier_vs_levels'),
    ('subset', 'subset_equals_total'),
    ('subset', 'subset_exceeds_total'),
    ('share', 'share_vs_parts'),
    ('share', 'implied_denominator_jump'),
]) }}
{%- else -%}
{{ return([
    ('range_by_unit', 'share_out_of_range'),
    ('range_by_unit', 'negative_count'),
    ('range_by_unit', 'fractional_count'),
    ('range_by_unit', 'implausible_growth'),
    ('contradiction', 'growth_rate_mismatch'),
    ('statistics', 'yoy_jump'),
    ('statistics', 'ytd_decreasing'),
    ('statistics', 'ytd_exceeds_year'),
    ('statistics', 'revision_factor'),
    ('statistics', 'duplicate_in_load'),
    ('decimal_shift', 'statistic_decimal_shift'),
    ('unit', 'statistic_unit_slip'),
]) }}
{%- endif -%}
{%- endmacro %}

{#- The reviewer decision (correct / exclude) that applies to each row of `relation`,
    whose entity id is the expression `entity_id`: one row per entity id with
    flag_key, decision, corrected_value, reason (the latest decision wins). -#}
{% macro quality_row_corrections(relation, entity, entity_id) -%}
select distinct on (rows_.entity_id)
    rows_.entity_id,
    c.flag_key,
    c.decision,
    c.corrected_value,
    c.reason
from (select distinct {{ entity_id }} as entity_id from {{ relation }}) as rows_
cross join (
    values
    {%- for family, check in quality_checks(entity) %}
        ('{{ family }}', '{{ check }}'){{ "," if not loop.last }}
    {%- endfor %}
) as checks (check_family, check_name)
inner join {{ ref('stg_corrections') }} as c
    on c.flag_key = {{ quality_flag_key('checks.check_family', 'checks.check_name', "'" ~ entity ~ "'", 'rows_.entity_id') }}
where c.decision in ('correct', 'exclude')
order by rows_.entity_id, c.decided_on desc nulls last, c.flag_key
{%- endmacro %}

{#- One-edit typo candidates of a number written as `text_expr` (e.g. '605'): the digits
    with a decimal point inserted anywhere, any one character replaced by a point, or any
    one character deleted — a dropped or misplaced decimal point. A list of doubles. -#}
{% macro typo_candidates(text_expr) %}{{ return(adapter.dispatch('typo_candidates', 'planwatch')(text_expr)) }}{% endmacro %}

{% macro duckdb__typo_candidates(text_expr) -%}
list_filter(list_distinct(list_transform(
    list_concat(
        list_transform(range(1, length(replace({{ text_expr }}, '.', ''))),
            lambda i: left(replace({{ text_expr }}, '.', ''), i::integer) || '.' || substr(replace({{ text_expr }}, '.', ''), i::integer + 1)),
        list_transform(range(1, length({{ text_expr }}) + 1),
            lambda i: left({{ text_expr }}, i::integer - 1) || '.' || substr({{ text_expr }}, i::integer + 1)),
        list_transform(range(1, length({{ text_expr }}) + 1),
            lambda i: left({{ text_expr }}, i::integer - 1) || substr({{ text_expr }}, i::integer + 1)),
        [replace({{ text_expr }}, '.', '')]
    ),
    lambda s: try_cast(s as double precision))), lambda v: v is not null)
{%- endmacro %}

{% macro postgres__typo_candidates(text_expr) -%}
{%- set t = '(' ~ text_expr ~ ')' -%}
{%- set digits = "replace(" ~ t ~ ", '.', '')" -%}
array(select distinct candidate from (
    select {{ try_cast("left(" ~ digits ~ ", i) || '.' || substr(" ~ digits ~ ", i + 1)", 'double') }} as candidate
    from generate_series(1, length({{ digits }}) - 1) as i
    union all
    select {{ try_cast("left(" ~ t ~ ", i - 1) || '.' || substr(" ~ t ~ ", i + 1)", 'double') }}
    from generate_series(1, length({{ t }})) as i
    union all
    select {{ try_cast("left(" ~ t ~ ", i - 1) || substr(" ~ t ~ ", i + 1)", 'double') }}
    from generate_series(1, length({{ t }})) as i
    union all
    select {{ try_cast(digits, 'double') }}
) as candidates where candidate is not null)
{%- endmacro %}

{#- The written form of a number: 605.0 → '605', 6.50 → '6.5'. -#}
{% macro number_text(value_expr) -%}
regexp_replace(regexp_replace({{ fixed6_text(value_expr) }}, '0+$', ''), '\.$', '')
{%- endmacro %}

{#- A statistic's entity id in quality flags: region, indicator, measure, period and the
    file's content hash and row — the same across fresh builds (load ids are not). -#}
{% macro statistic_entity_id(prefix='') -%}
md5({{ prefix }}region_code || '|' || {{ prefix }}indicator_code || '|' || coalesce({{ prefix }}measure, 'level') || '|' || {{ prefix }}period_label || '|' || {{ prefix }}file_sha256 || '|' || {{ prefix }}file_row::varchar)
{%- endmacro %}
