{#- Rows are unique on the given columns together (no dbt Hub packages here, so this small test lives in the repo). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
