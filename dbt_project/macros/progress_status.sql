{#- Status bands, named once. Thresholds come from dbt vars (dbt_project.yml):
    Eurostat / Open SDG ratio cut-offs applied to the 序时进度 ratio. -#}

{% macro progress_status(achieved, has_actual, progress_share, elapsed_share, schedule_ratio, attribute) -%}
case
    when not {{ has_actual }} then 'no_data'
    when {{ achieved }} then 'achieved'
    when {{ elapsed_share }} is null or {{ progress_share }} is null then 'not_comparable'
    when {{ elapsed_share }} < {{ var('min_elapsed_share') }} then 'too_early'
    when {{ progress_share }} < 0 then 'regressing'
    when {{ schedule_ratio }} >= {{ var('ahead_ratio') }} then 'ahead'
    when {{ schedule_ratio }} >= {{ var('on_track_ratio') }} then 'on_track'
    when {{ attribute }} = '约束性' then 'binding_behind'
    when {{ schedule_ratio }} >= {{ var('needs_acceleration_ratio') }} then 'needs_acceleration'
    else 'well_behind'
end
{%- endmacro %}

{% macro status_zh(status) -%}
case {{ status }}
    when 'achieved' then '已实现'
    when 'ahead' then '快于序时进度'
    when 'on_track' then '符合序时进度'
    when 'needs_acceleration' then '略滞后'
    when 'well_behind' then '明显滞后'
    when 'regressing' then '逆向变化'
    when 'binding_behind' then '未达进度要求'
    when 'no_data' then '数据不足'
    when 'not_comparable' then '不可比'
    when 'too_early' then '时间过短'
end
{%- endmacro %}

{#- Does an actual meet a target under its qualifier? Ranges are met inside the range;
    左右 within a tolerance (relative, or in points for rates); otherwise one-sided by the
    qualifier or, for exact targets, by the indicator's direction. -#}
{% macro target_met(actual, target, low, high, qualifier, direction, unit) -%}
case
    when {{ actual }} is null then null
    when {{ low }} is not null and {{ high }} is not null then {{ actual }} between {{ low }} and {{ high }}
    when {{ qualifier }} = 'approximately' then
        case when {{ unit }} in ('%', '个百分点')
            then abs({{ actual }} - {{ target }}) <= {{ var('approx_tolerance_points') }}
            else abs({{ actual }} - {{ target }}) <= {{ var('approx_tolerance_relative') }} * abs({{ target }})
        end
    when {{ qualifier }} = 'at_most' or ({{ qualifier }} <> 'at_least' and {{ direction }} = 'lower_is_better')
        then {{ actual }} <= {{ target }}
    else {{ actual }} >= {{ target }}
end
{%- endmacro %}
