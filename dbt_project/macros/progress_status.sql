{#- Status bands, named once. Thresholds come from dbt vars (dbt_project.yml):
    Eurostat / Open SDG ratio cut-offs applied to the 序时进度 ratio. The statuses themselves, with
    their labels and order, are the seed progress_statuses. -#}

{#- Ratios are rounded before they are compared (status_ratio_decimals): an actual exactly on the
    path is on track. A met milestone of the year judges a row that has no baseline for a ratio. -#}
{% macro progress_status(achieved, has_actual, progress_share, elapsed_share, schedule_ratio, attribute, milestone_met='false') -%}
{%- set digits = var('status_ratio_decimals') -%}
case
    when not {{ has_actual }} then 'no_data'
    when {{ achieved }} then 'achieved'
    when {{ progress_share }} is null and {{ milestone_met }} then 'on_track'
    when {{ elapsed_share }} is null or {{ progress_share }} is null then 'not_comparable'
    when {{ elapsed_share }} < {{ var('min_elapsed_share') }} then 'too_early'
    when round({{ progress_share }}, {{ digits }}) < 0 then 'regressing'
    when {{ schedule_ratio }} is null then 'not_comparable'
    when round({{ schedule_ratio }}, {{ digits }}) >= {{ var('ahead_ratio') }} then 'ahead'
    when round({{ schedule_ratio }}, {{ digits }}) >= {{ var('on_track_ratio') }} then 'on_track'
    when {{ attribute }} = '约束性' then 'binding_behind'
    when round({{ schedule_ratio }}, {{ digits }}) >= {{ var('needs_acceleration_ratio') }} then 'needs_acceleration'
    else 'well_behind'
end
{%- endmacro %}


{#- Does an actual meet a target under its qualifier? Ranges are met inside the range;
    左右 within a tolerance (relative, or in points for rates); both also beyond it on the good
    side (by the indicator's direction); otherwise one-sided by the
    qualifier or, for exact targets, by the indicator's direction. -#}
{% macro target_met(actual, target, low, high, qualifier, direction, unit) -%}
case
    when {{ actual }} is null then null
    {# beyond a range or a 左右 target on the good side is met too #}
    when {{ low }} is not null and {{ high }} is not null then {{ actual }} between {{ low }} and {{ high }}
        or ({{ direction }} = 'lower_is_better' and {{ actual }} < {{ low }})
        or ({{ direction }} <> 'lower_is_better' and {{ actual }} > {{ high }})
    when {{ qualifier }} = 'approximately' then
        case when {{ unit }} in ('%', '个百分点')
            then abs({{ actual }} - {{ target }}) <= {{ var('approx_tolerance_points') }}
            else abs({{ actual }} - {{ target }}) <= {{ var('approx_tolerance_relative') }} * abs({{ target }})
        end
        or ({{ direction }} = 'lower_is_better' and {{ actual }} < {{ target }})
        or ({{ direction }} <> 'lower_is_better' and {{ actual }} > {{ target }})
    when {{ qualifier }} = 'at_most' or ({{ qualifier }} <> 'at_least' and {{ direction }} = 'lower_is_better')
        then {{ actual }} <= {{ target }}
    else {{ actual }} >= {{ target }}
end
{%- endmacro %}
