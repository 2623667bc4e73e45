{#- Use the configured schema name as is (staging, intermediate, marts, reference),
    not dbt's default "<target schema>_<custom schema>". On PostgreSQL planwatch builds into
    build_staging … build_marts (PLANWATCH_SCHEMA_PREFIX) and publishing renames them over the
    live schemas in one transaction; DuckDB builds a file of its own and sets no prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ env_var('PLANWATCH_SCHEMA_PREFIX', '') }}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
