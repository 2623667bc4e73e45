{#- Incremental models keyed on the statistics load (planwatch.dbt_runner INCREMENTAL_MODELS). -#}

{# The key sources compete on: region × indicator × measure × base year × period (int_actual_candidates). #}
{% macro actual_key(prefix='') -%}
md5({{ prefix }}region_code || '|' || {{ prefix }}indicator_code || '|' || {{ prefix }}measure || '|'
    || coalesce({{ prefix }}base_year::varchar, '') || '|' || {{ prefix }}period_label)
{%- endmacro %}

{# In an incremental build, the time of the latest statistics-file candidate the carried-over table holds:
   candidates loaded after it are the new loads' (a load is stamped when it is made). Taking too early a
   time only recomputes more keys; the documents and the reference cannot have changed (they are in the
   build's incremental state, and a change of either makes the build a full one). #}
{% macro statistics_loaded_through() -%}
(select coalesce(max(loaded_at), timestamp '1900-01-01') from {{ this }} where source_kind = 'statistics_file')
{%- endmacro %}
