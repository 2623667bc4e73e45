{#- Status bands, named once. Thresholds come from dbt vars (dbt_project.yml):
    Eurostat / Open SDG ratio cut-offs applied to the 序时进度 ratio. The statuses themselves, with
    their labels and order, are the seed progress_statuses. -#}

{#- Ratios are rounded before they are compared (status_ratio_decimals): an actual exactly on the
    path is on track. A met milestone of the year judges a row that has no baseline for a ratio.
    A binding target (is_binding: its attribute is a binding word of the lexicon seed target_attributes,
    约束性) is pass/fail against the year's own target (its milestone, final target or
    yearly rate): a full-year actual missing it is binding_behind whatever the ratio says, unless the
    actual moved the wrong way (regressing says more). When the target's own year is over (a
    full-year actual of the final target year) there is no schedule left to be on or behind: a target
    not met is missed, whatever the ratio. -#}
{% macro progress_status(achieved, has_actual, progress_share, elapsed_share, schedule_ratio, is_binding, milestone_met='false', year_target_missed='false', final_year_missed='false') -%}
{%- set digits = var('status_ratio_decimals') -%}
case
    when not {{ has_actual }} then 'no_data'
    when {{ achieved }} then 'achieved'
    when coalesce({{ is_binding }}, false) and {{ year_target_missed }}
        and not coalesce(round({{ progress_share }}, {{ digits }}) < 0, false) then 'binding_behind'
    when {{ final_year_missed }} and not coalesce(round({{ progress_share }}, {{ digits }}) < 0, false) then 'missed'
    when {{ progress_share }} is null and {{ milestone_met }} then 'on_track'
    when {{ elapsed_share }} is null or {{ progress_share }} is null then 'not_comparable'
    when {{ elapsed_share }} < {{ var('min_elapsed_share') }} then 'too_early'
    when round({{ progress_share }}, {{ digits }}) < 0 then 'regressing'
    when {{ schedule_ratio }} is null then 'not_comparable'
    when round({{ schedule_ratio }}, {{ digits }}) >= {{ var('ahead_ratio') }} then 'ahead'
    when round({{ schedule_ratio }}, {{ digits }}) >= {{ var('on_track_ratio') }} then 'on_track'
    when coalesce({{ is_binding }}, false) then 'binding_behind'
    when round({{ schedule_ratio }}, {{ digits }}) >= {{ var('needs_acceleration_ratio') }} then 'needs_acceleration'
    else 'well_behind'
end
{%- endmacro %}


{#- Does an actual meet a target under its qualifier? Ranges are met inside the range;
    左右 within a tolerance (relative, or in points for rates); both also beyond it on the good
    side (by the indicator's direction); otherwise one-sided by the
    qualifier or, for exact targets, by the indicator's direction. Values are compared rounded to
    status_ratio_decimals: a target built by arithmetic (100·1.1^5 = 161.05100000000004) is met by
    the figure as published (161.051). -#}
{% macro target_met(actual, target, low, high, qualifier, direction, unit) -%}
{%- set d = var('status_ratio_decimals') -%}
{%- set a = 'round(' ~ actual ~ ', ' ~ d ~ ')' -%}
{%- set t = 'round(' ~ target ~ ', ' ~ d ~ ')' -%}
{%- set lo = 'round(' ~ low ~ ', ' ~ d ~ ')' -%}
{%- set hi = 'round(' ~ high ~ ', ' ~ d ~ ')' -%}
case
    when {{ actual }} is null then null
    {# beyond a range or a 左右 target on the good side is met too #}
    when {{ low }} is not null and {{ high }} is not null then {{ a }} between {{ lo }} and {{ hi }}
        or ({{ direction }} = 'lower_is_better' and {{ a }} < {{ lo }})
        or ({{ direction }} <> 'lower_is_better' and {{ a }} > {{ hi }})
    when {{ qualifier }} = 'approximately' then
        case when {{ unit }} in ('%', '个百分点')
            then round(abs({{ actual }} - {{ target }}), {{ d }}) <= {{ var('approx_tolerance_points') }}
            else round(abs({{ actual }} - {{ target }}) - {{ var('approx_tolerance_relative') }} * abs({{ target }}), {{ d }}) <= 0
        end
        or ({{ direction }} = 'lower_is_better' and {{ a }} < {{ t }})
        or ({{ direction }} <> 'lower_is_better' and {{ a }} > {{ t }})
    when {{ qualifier }} = 'at_most' or ({{ qualifier }} <> 'at_least' and {{ direction }} = 'lower_is_better')
        then {{ a }} <= {{ t }}
    else {{ a }} >= {{ t }}
end
{%- endmacro %}


{#- The Open SDG progress score (open-sdg docs/progress-methodology.md, "Aggregated progress
    status"; sdg-build ProgressMeasure) of a target row: a met target scores +5; otherwise the ratio
    R of observed to required progress maps linearly to [−5, 5] — −5 at score_floor_ratio (−0.60),
    0 at needs_acceleration_ratio (0.60), +5 at score_full_ratio (1.30), so that 0.95 (on track)
    scores 2.5. That is Open SDG's 7.1429·R − 4.2857 for R ≥ 0.6 and 4.1667·R − 2.5 below, written
    exactly (the published coefficients are these fractions to 4 decimals). Rounded to 4 decimals. -#}
{% macro open_sdg_score(ratio, achieved) -%}
{%- set zero = var('needs_acceleration_ratio') -%}
{%- set floor = var('score_floor_ratio') -%}
{%- set full = var('score_full_ratio') -%}
{%- set r = 'round(' ~ ratio ~ ', ' ~ var('status_ratio_decimals') ~ ')' -%}
case
    when {{ achieved }} then 5.0
    when {{ ratio }} is null then null
    else round(greatest(-5.0, least(5.0,
        case when {{ r }} >= {{ zero }} then 5.0 * ({{ r }} - {{ zero }}) / ({{ full }} - {{ zero }})
             else 5.0 * ({{ r }} - {{ zero }}) / ({{ zero }} - ({{ floor }})) end)), 4)
end
{%- endmacro %}


{#- Open SDG's natural-limit coefficient (sdg-build ProgressMeasure): near the value an indicator
    cannot pass (a share's 100%) there is little room left to grow, so the above-zero cut-offs of a
    series without a target are scaled by C = 1 − (base/limit)^natural_limit_exponent (4.44) — 1 far
    from the limit, 0 at it; past the limit mirrored, 1 − ((2·limit − base)/limit)^a, and 1 from twice
    the limit on. 1 without a limit. -#}
{% macro natural_limit_coefficient(base, limit) -%}
{%- set a = var('natural_limit_exponent') -%}
case
    when {{ limit }} is null or {{ base }} is null then 1.0
    when abs({{ base }}) >= 2 * abs({{ limit }}) then 1.0
    when abs({{ base }}) <= abs({{ limit }}) then 1 - power(abs({{ base }}) / abs({{ limit }}), {{ a }})
    else 1 - power((2 * abs({{ limit }}) - abs({{ base }})) / abs({{ limit }}), {{ a }})
end
{%- endmacro %}


{#- The Open SDG category of a series without a target, from its growth in the good direction c
    (d·CAGR, a fraction) and the natural-limit coefficient C: on_track from trend_on_track_cagr·C
    (1.5%), acceleration_needed from trend_acceleration_cagr·C (0.5%), limited_progress from 0,
    deterioration below (seed open_sdg_categories). -#}
{% macro open_sdg_trend_category(c, coefficient='1.0') -%}
case
    when {{ c }} is null then 'unable_to_assess'
    when {{ c }} >= {{ var('trend_on_track_cagr') }} * {{ coefficient }} then 'on_track'
    when {{ c }} >= {{ var('trend_acceleration_cagr') }} * {{ coefficient }} then 'acceleration_needed'
    when {{ c }} >= 0 then 'limited_progress'
    else 'deterioration'
end
{%- endmacro %}


{#- The Eurostat category of the same series, in EUSTAT's five-band variant (EUSTAT-DES/data
    scripts/build_data.py): significant_progress from eurostat_trend_significant_cagr·C (1%),
    moderate_progress from eurostat_trend_moderate_cagr·C (0.1%), no_progress from
    eurostat_trend_no_progress_floor_cagr (−0.1%), moderate_deterioration from
    eurostat_trend_significant_away_cagr (−1%), significant_deterioration below; only the cut-offs
    above zero are scaled by C (seed eurostat_trend_categories). -#}
{% macro eurostat_trend_category(c, coefficient='1.0') -%}
case
    when {{ c }} is null then 'unable_to_assess'
    when {{ c }} >= {{ var('eurostat_trend_significant_cagr') }} * {{ coefficient }} then 'significant_progress'
    when {{ c }} >= {{ var('eurostat_trend_moderate_cagr') }} * {{ coefficient }} then 'moderate_progress'
    when {{ c }} >= {{ var('eurostat_trend_no_progress_floor_cagr') }} then 'no_progress'
    when {{ c }} >= {{ var('eurostat_trend_significant_away_cagr') }} then 'moderate_deterioration'
    else 'significant_deterioration'
end
{%- endmacro %}


{#- The Open SDG score of a series without a target, from its growth in the good direction c
    (d·CAGR, a fraction): −5 at −trend_score_full_cagr (−2%), −2.5 at 0, 0 at trend_acceleration_cagr
    (0.5%), 2.5 at trend_on_track_cagr (1.5%), +5 at trend_score_full_cagr (2%), linear between
    (open-sdg docs/progress-methodology.md, Figure 1). Growth at or above zero is read against the
    cut-offs scaled by the natural-limit coefficient C, i.e. as c/C (sdg-build); at the limit (C = 0)
    holding it scores 5. Rounded to 4 decimals. -#}
{% macro open_sdg_trend_score(c, coefficient='1.0') -%}
{%- set a = var('trend_acceleration_cagr') -%}
{%- set o = var('trend_on_track_cagr') -%}
{%- set m = var('trend_score_full_cagr') -%}
{%- set n = '(case when ' ~ c ~ ' >= 0 then ' ~ c ~ ' / nullif(' ~ coefficient ~ ', 0) else ' ~ c ~ ' end)' -%}
case
    when {{ c }} is null then null
    when {{ c }} >= 0 and {{ coefficient }} = 0 then 5.0
    else round(case
        when {{ n }} <= -{{ m }} then -5.0
        when {{ n }} < 0 then -5.0 + 2.5 * ({{ n }} + {{ m }}) / {{ m }}
        when {{ n }} < {{ a }} then -2.5 + 2.5 * {{ n }} / {{ a }}
        when {{ n }} < {{ o }} then 2.5 * ({{ n }} - {{ a }}) / ({{ o }} - {{ a }})
        when {{ n }} < {{ m }} then 2.5 + 2.5 * ({{ n }} - {{ o }}) / ({{ m }} - {{ o }})
        else 5.0
    end, 4)
end
{%- endmacro %}


{#- Open SDG's category of a mean score (aggregate status): ≥ 2.5 on track, ≥ 0 acceleration
    needed, ≥ −2.5 limited progress, below that deterioration; target_achieved only when every
    scored series met its target. The codes and labels are the seed open_sdg_categories. -#}
{% macro open_sdg_category(score, all_achieved='false') -%}
case
    when {{ score }} is null then null
    when {{ all_achieved }} then 'target_achieved'
    when {{ score }} >= 2.5 then 'on_track'
    when {{ score }} >= 0 then 'acceleration_needed'
    when {{ score }} >= -2.5 then 'limited_progress'
    else 'deterioration'
end
{%- endmacro %}
