{#- SQL that DuckDB and PostgreSQL spell differently, in one place. Each macro dispatches on the
    adapter: duckdb__ writes DuckDB's own SQL (the DuckDB build is unchanged), postgres__ the same
    meaning in PostgreSQL. -#}

{#- On PostgreSQL, functions the models call by their DuckDB names whose meaning PostgreSQL
    lacks or spells differently (created at the start of every dbt invocation, in the target schema,
    which is on the search path): round(double, digits), median, any_value, year, month, last_day,
    regexp_full_match, regexp_extract, list_contains, make_date of bigints. Nothing on DuckDB. -#}
{% macro create_portable_functions() %}{{ return(adapter.dispatch('create_portable_functions', 'planwatch')()) }}{% endmacro %}

{% macro default__create_portable_functions() %}select 1{% endmacro %}

{% macro postgres__create_portable_functions() %}
{%- set s = target.schema -%}
-- DuckDB's round: std::round (half away from zero) of x·10^digits, in doubles
create or replace function {{ s }}.round(x double precision, digits integer) returns double precision
    language sql immutable as $$
    select case when digits >= 0 then sign(x * 10::double precision ^ digits) * floor(abs(x * 10::double precision ^ digits) + 0.5) / 10::double precision ^ digits
                else sign(x / 10::double precision ^ (-digits)) * floor(abs(x / 10::double precision ^ (-digits)) + 0.5) * 10::double precision ^ (-digits) end $$;
create or replace function {{ s }}.pw_median_final(values_ double precision[]) returns double precision
    language sql immutable as $$ select percentile_cont(0.5) within group (order by v) from unnest(values_) as v $$;
create or replace aggregate {{ s }}.median(double precision) (
    sfunc = array_append, stype = double precision[], finalfunc = {{ s }}.pw_median_final, initcond = '{}');
create or replace function {{ s }}.pw_first_value(a anyelement, b anyelement) returns anyelement
    language sql immutable as $$ select coalesce(a, b) $$;
create or replace aggregate {{ s }}.any_value(anyelement) (sfunc = {{ s }}.pw_first_value, stype = anyelement);
create or replace function {{ s }}.year(d date) returns bigint
    language sql immutable as $$ select extract(year from d)::bigint $$;
create or replace function {{ s }}.year(d timestamp) returns bigint
    language sql immutable as $$ select extract(year from d)::bigint $$;
create or replace function {{ s }}.month(d date) returns bigint
    language sql immutable as $$ select extract(month from d)::bigint $$;
create or replace function {{ s }}.month(d timestamp) returns bigint
    language sql immutable as $$ select extract(month from d)::bigint $$;
create or replace function {{ s }}.last_day(d date) returns date
    language sql immutable as $$ select (date_trunc('month', d) + interval '1 month' - interval '1 day')::date $$;
create or replace function {{ s }}.regexp_full_match(s text, pattern text) returns boolean
    language sql immutable as $$ select s ~ ('^(?:' || pattern || ')$') $$;
drop function if exists {{ s }}.list_contains(anyarray, anyelement);
create or replace function {{ s }}.list_contains(list anycompatiblearray, x anycompatible) returns boolean
    language sql immutable as $$ select x = any(list) $$;
create or replace function {{ s }}.make_date(y bigint, m bigint, d bigint) returns date
    language sql immutable as $$ select pg_catalog.make_date(y::integer, m::integer, d::integer) $$;
create or replace function {{ s }}.regexp_extract(s text, pattern text, grp integer default 0) returns text
    language sql immutable strict as $$
    select coalesce(case when grp = 0 then (regexp_match(s, '(' || pattern || ')'))[1]
                         else (regexp_match(s, pattern))[grp] end, '') $$;
create or replace function {{ s }}.pw_format(template text, variadic args text[]) returns text
    language plpgsql immutable as $$
    declare result text := ''; rest text := template; at integer; i integer := 1;
    begin
        if array_position(args, null) is not null then return null; end if;  -- DuckDB: a null argument, a null text
        loop
            at := strpos(rest, '{}');
            exit when at = 0;
            result := result || left(rest, at - 1) || coalesce(args[i], '');
            rest := substr(rest, at + 2); i := i + 1;
        end loop;
        return result || rest;
    end $$;
create or replace function {{ s }}.pw_text(v double precision) returns text
    language sql immutable strict as $$ select case when v::text ~ '^-?[0-9]+$' then v::text || '.0' else v::text end $$;
create or replace function {{ s }}.pw_text(v numeric) returns text language sql immutable strict as $$ select v::text $$;
create or replace function {{ s }}.pw_text(v bigint) returns text language sql immutable strict as $$ select v::text $$;
create or replace function {{ s }}.pw_text(v integer) returns text language sql immutable strict as $$ select v::text $$;
create or replace function {{ s }}.pw_text(v text) returns text language sql immutable strict as $$ select v $$;
create or replace function {{ s }}.pw_text(v boolean) returns text language sql immutable strict as $$ select v::text $$;
create or replace function {{ s }}.pw_text(v date) returns text language sql immutable strict as $$ select v::text $$;
create or replace function {{ s }}.pw_text(v timestamp) returns text language sql immutable strict as $$ select v::text $$;
create or replace function {{ s }}.len(list anyarray) returns bigint
    language sql immutable strict as $$ select coalesce(cardinality(list), 0)::bigint $$;
create or replace function {{ s }}.pw_try_cast_double(v text) returns double precision
    language plpgsql immutable as $$ begin return trim(v)::double precision; exception when others then return null; end $$;
create or replace function {{ s }}.pw_try_cast_integer(v text) returns integer
    language plpgsql immutable as $$ begin return trim(v)::integer; exception when others then return null; end $$;
create or replace function {{ s }}.pw_try_cast_date(v text) returns date
    language plpgsql immutable as $$ begin return trim(v)::date; exception when others then return null; end $$;
{% endmacro %}


{#- try_cast(expr as type): null where the text is not a type (double, integer, date). -#}
{% macro try_cast(expr, type) %}{{ return(adapter.dispatch('try_cast', 'planwatch')(expr, type)) }}{% endmacro %}

{% macro duckdb__try_cast(expr, type) -%}try_cast({{ expr }} as {{ type }}){%- endmacro %}

{% macro postgres__try_cast(expr, type) -%}{{ target.schema }}.pw_try_cast_{{ type }}(({{ expr }})::text){%- endmacro %}


{#- The value of `value` at the row where `key` is least (arg_min) or greatest (arg_max); rows with a
    null key do not count. -#}
{% macro arg_min(value, key) %}{{ return(adapter.dispatch('arg_min', 'planwatch')(value, key)) }}{% endmacro %}

{% macro arg_max(value, key) %}{{ return(adapter.dispatch('arg_max', 'planwatch')(value, key)) }}{% endmacro %}

{% macro duckdb__arg_min(value, key) -%}arg_min({{ value }}, {{ key }}){%- endmacro %}

{% macro duckdb__arg_max(value, key) -%}arg_max({{ value }}, {{ key }}){%- endmacro %}

{% macro postgres__arg_min(value, key) -%}
(array_agg({{ value }} order by {{ key }}) filter (where {{ key }} is not null))[1]
{%- endmacro %}

{% macro postgres__arg_max(value, key) -%}
(array_agg({{ value }} order by {{ key }} desc) filter (where {{ key }} is not null))[1]
{%- endmacro %}


{#- Whole months from a to b (DuckDB datediff('month', a, b): month boundaries crossed). -#}
{% macro months_between(a, b) %}{{ return(adapter.dispatch('months_between', 'planwatch')(a, b)) }}{% endmacro %}

{% macro duckdb__months_between(a, b) -%}datediff('month', {{ a }}, {{ b }}){%- endmacro %}

{% macro postgres__months_between(a, b) -%}
((extract(year from {{ b }}) - extract(year from {{ a }})) * 12 + extract(month from {{ b }}) - extract(month from {{ a }}))::bigint
{%- endmacro %}


{#- A list of texts: empty, and split on a separator with each part trimmed. -#}
{% macro empty_text_list() %}{{ return(adapter.dispatch('empty_text_list', 'planwatch')()) }}{% endmacro %}

{% macro duckdb__empty_text_list() -%}[]::varchar[]{%- endmacro %}

{% macro postgres__empty_text_list() -%}array[]::varchar[]{%- endmacro %}

{% macro split_trimmed(text_expr, separator) %}{{ return(adapter.dispatch('split_trimmed', 'planwatch')(text_expr, separator)) }}{% endmacro %}

{% macro duckdb__split_trimmed(text_expr, separator) -%}
list_transform(string_split({{ text_expr }}, '{{ separator }}'), lambda k: trim(k))
{%- endmacro %}

{% macro postgres__split_trimmed(text_expr, separator) -%}
array(select trim(k) from unnest(string_to_array({{ text_expr }}, '{{ separator }}')) with ordinality as parts(k, i) order by i)::varchar[]
{%- endmacro %}


{#- The integers from start to stop - 1, one row each (in a select list). -#}
{% macro unnest_range(start, stop) %}{{ return(adapter.dispatch('unnest_range', 'planwatch')(start, stop)) }}{% endmacro %}

{% macro duckdb__unnest_range(start, stop) -%}unnest(range({{ start }}, {{ stop }})){%- endmacro %}

{% macro postgres__unnest_range(start, stop) -%}generate_series(({{ start }})::bigint, ({{ stop }})::bigint - 1){%- endmacro %}


{#- A number as plain text with up to 6 decimals, trailing zeros dropped (1.5, 12, 0.000123). -#}
{% macro fixed6_text(value_expr) %}{{ return(adapter.dispatch('fixed6_text', 'planwatch')(value_expr)) }}{% endmacro %}

{% macro duckdb__fixed6_text(value_expr) -%}format('{:.6f}', {{ value_expr }}){%- endmacro %}

{% macro postgres__fixed6_text(value_expr) -%}round(({{ value_expr }})::numeric, 6)::text{%- endmacro %}


{#- DuckDB's format('… {} …', a, b): each {} replaced by the next argument as DuckDB writes it (605.0,
    0.5, 12), null when an argument is null. Written {{ format_fn() }}('… {} …', {{ format_arg() }}(a), …):
    on DuckDB that is format('… {} …', (a), …); on PostgreSQL each argument becomes DuckDB's text first. -#}
{% macro format_fn() %}{{ return(adapter.dispatch('format_fn', 'planwatch')()) }}{% endmacro %}

{% macro duckdb__format_fn() -%}format{%- endmacro %}

{% macro postgres__format_fn() -%}{{ target.schema }}.pw_format{%- endmacro %}

{% macro format_arg() %}{{ return(adapter.dispatch('format_arg', 'planwatch')()) }}{% endmacro %}

{% macro duckdb__format_arg() -%}{%- endmacro %}

{% macro postgres__format_arg() -%}{{ target.schema }}.pw_text{%- endmacro %}

{#- A value as text the way DuckDB writes it (a double 605.0 as '605.0'; PostgreSQL writes '605'). -#}
{% macro as_text(expr) %}{{ return(adapter.dispatch('as_text', 'planwatch')(expr)) }}{% endmacro %}

{% macro duckdb__as_text(expr) -%}{{ expr }}::varchar{%- endmacro %}

{% macro postgres__as_text(expr) -%}{{ target.schema }}.pw_text({{ expr }}){%- endmacro %}


{#- One row per part of a text split where a pattern matches (in a select list). -#}
{% macro split_to_rows(text_expr, pattern) %}{{ return(adapter.dispatch('split_to_rows', 'planwatch')(text_expr, pattern)) }}{% endmacro %}

{% macro duckdb__split_to_rows(text_expr, pattern) -%}unnest(string_split_regex({{ text_expr }}, {{ pattern }})){%- endmacro %}

{% macro postgres__split_to_rows(text_expr, pattern) -%}regexp_split_to_table({{ text_expr }}, {{ pattern }}){%- endmacro %}


{#- The integers a pattern's first group matches in a text, in order, as a list. -#}
{% macro regexp_integers(text_expr, pattern) %}{{ return(adapter.dispatch('regexp_integers', 'planwatch')(text_expr, pattern)) }}{% endmacro %}

{% macro duckdb__regexp_integers(text_expr, pattern) -%}
list_transform(regexp_extract_all({{ text_expr }}, {{ pattern }}, 1), lambda y: y::integer)
{%- endmacro %}

{% macro postgres__regexp_integers(text_expr, pattern) -%}
array(select (m.groups)[1]::integer from regexp_matches({{ text_expr }}, {{ pattern }}, 'g') with ordinality as m(groups, i) order by m.i)
{%- endmacro %}


{#- Every match of each pattern (patterns: word, reading, pattern, fixed) in each sentence: the
    sentence's columns, word, reading, fixed, the text matched and, for a pattern without a fixed
    value, the number its first group matched. -#}
{% macro pattern_matches(sentences, patterns) %}{{ return(adapter.dispatch('pattern_matches', 'planwatch')(sentences, patterns)) }}{% endmacro %}

{% macro duckdb__pattern_matches(sentences, patterns) -%}
        select
            s.*, p.word, p.reading, p.fixed,
            unnest(regexp_extract_all(s.sentence, p.pattern, 0)) as matched,
            unnest(case when p.fixed is null then regexp_extract_all(s.sentence, p.pattern, 1) else [null] end) as number
        from {{ sentences }} as s
        cross join {{ patterns }} as p
        where regexp_matches(s.sentence, p.pattern)
{%- endmacro %}

{% macro postgres__pattern_matches(sentences, patterns) -%}
        select
            s.*, p.word, p.reading, p.fixed,
            m.groups[1] as matched,
            case when p.fixed is null then m.groups[2] end as number
        from {{ sentences }} as s
        cross join {{ patterns }} as p
        cross join lateral regexp_matches(s.sentence, '(' || p.pattern || ')', 'g') as m(groups)
{%- endmacro %}

{#- Unit-test fixtures on PostgreSQL: dbt-postgres names an array column's type ARRAY (information_schema),
    which is no type to cast to. The one array column given in fixture rows is a list of integers
    (int_quality__target_points.unit_shifts, written "[1]"), so ARRAY reads as integer[]. -#}
{% macro postgres__safe_cast(field, type) -%}
{%- if type | upper == 'ARRAY' -%}
cast(translate({{ field }}, '[]', '{}') as integer[])
{%- else -%}
cast({{ field }} as {{ type }})
{%- endif -%}
{%- endmacro %}
