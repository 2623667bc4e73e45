-- One target per plan × region × indicator × kind × year, for the kinds a plan states year by
-- year: levels (达到 N, the milestones of a table) and yearly growth rates (增长 N%). Where a
-- document states one twice, the table wins over prose, then the earlier line (the conflict is
-- flagged by the quality checks). The one place this rule is written: the target paths, the
-- quality checks' target series and the growth rows of target_vs_actual read it. Each row keeps
-- the corrected value (value_canonical; null when a reviewer excluded it) and the value as
-- extracted (value_original), so the checks see the evidence and the marts the decision.
with

targets as (
    select * from {{ ref('stg_plan_targets') }}
)

select distinct on (plan_id, region_code, indicator_code, target_type, target_year) *
from targets
where target_type in ('level', 'growth_pct')
    and indicator_code is not null
    and value_original is not null
    and not coalesce(cumulative, false)
    -- a level "每年达到" is no level of one year; a growth rate 每年 is one for every year
    and not (target_type = 'level' and coalesce(per_year, false))
order by plan_id, region_code, indicator_code, target_type, target_year, (source_kind = 'table') desc, source_line
