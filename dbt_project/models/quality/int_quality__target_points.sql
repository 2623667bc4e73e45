-- Shared input of the target checks: every level target of each plan × indicator on one
-- yearly series (one per year, the table before prose: int_yearly_targets), plus the
-- baseline the plan states, each point with its neighbours in the series. Values are the
-- values as extracted (value_original), so a reviewer's correction does not hide its flag.
with

yearly_targets as (
    select * from {{ ref('int_yearly_targets') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

units as (
    select * from {{ ref('units') }}
),

-- when each target was first loaded (stg_target_first_loads)
first_loads as (
    select * from {{ ref('stg_target_first_loads') }}
),

milestones as (
    select
        t.target_id,
        t.plan_id,
        t.region_code,
        t.indicator_code,
        t.target_year as year,
        'milestone' as point_kind,
        t.value_original as value,
        t.value_as_written,
        t.unit_as_written,
        t.canonical_unit as unit,
        t.baseline_year,
        t.baseline_value_canonical,
        t.document,
        t.source_line,
        t.source_text,
        f.first_seen
    from yearly_targets as t
    left join first_loads as f on t.target_key = f.target_key
    where t.target_type = 'level'
),

-- The stated baseline of the series (the earliest stated with any of its targets),
-- unless the series has a milestone that year.
baselines as (
    select distinct on (m.plan_id, m.region_code, m.indicator_code)
        null::varchar as target_id,
        m.plan_id,
        m.region_code,
        m.indicator_code,
        m.baseline_year as year,
        'baseline' as point_kind,
        m.baseline_value_canonical as value,
        null::double precision as value_as_written,
        null::varchar as unit_as_written,
        m.unit,
        null::integer as baseline_year,
        null::double precision as baseline_value_canonical,
        m.document,
        m.source_line,
        m.source_text,
        m.first_seen
    from milestones as m
    where m.baseline_year is not null
        and m.baseline_value_canonical is not null
        and m.baseline_year < m.year
        and not exists (
            select 1 from milestones as o
            where o.plan_id = m.plan_id and o.region_code = m.region_code and o.indicator_code = m.indicator_code and o.year = m.baseline_year
        )
    order by m.plan_id, m.region_code, m.indicator_code, m.baseline_year, m.year
),

points as (
    select * from milestones
    union all
    select * from baselines
),

-- Unit confusions possible for the unit as written: 10^k for every other unit of the
-- same dimension (万元 written where 亿元 was meant: k = -4; ‰ for %: k = 1).
unit_shifts as (
    select
        w.unit as unit_as_written,
        array_agg(distinct round(log10(w.factor / o.factor), 0)::integer order by round(log10(w.factor / o.factor), 0)::integer) as shifts
    from units as w
    inner join units as o on w.dimension = o.dimension and w.factor <> o.factor
    group by w.unit
),

neighboured as (
    select
        p.*,
        i.value_kind,
        i.direction,
        lag(p.value) over series as prev_value,
        lag(p.year) over series as prev_year,
        lag(p.source_line) over series as prev_line,
        lead(p.value) over series as next_value,
        lead(p.year) over series as next_year,
        lead(p.source_line) over series as next_line,
        count(*) over (partition by p.plan_id, p.region_code, p.indicator_code) as series_points,
        coalesce(u.shifts, array[]::integer[]) as unit_shifts
    from points as p
    inner join indicators as i on p.indicator_code = i.indicator_code
    left join unit_shifts as u on p.unit_as_written = u.unit_as_written
    window series as (partition by p.plan_id, p.region_code, p.indicator_code order by p.year)
),

-- The median of the series' other points: a shift must hold against it too (series of 3
-- points or more), so that the neighbour of a typo is not flagged for its neighbour's sake.
others as (
    select p.plan_id, p.region_code, p.indicator_code, p.year, median(o.value) as others_median
    from points as p
    inner join points as o
        on p.plan_id = o.plan_id and p.region_code = o.region_code and p.indicator_code = o.indicator_code and o.year <> p.year
    group by p.plan_id, p.region_code, p.indicator_code, p.year
),

-- The reference a value is compared with: its neighbours in the series (the median of the
-- adjacent points, i.e. their mean, or the one there is).
referenced as (
    select
        neighboured.*,
        others.others_median,
        case
            when prev_value > 0 and next_value > 0 then (prev_value + next_value) / 2
            when prev_value > 0 then prev_value
            when next_value > 0 then next_value
        end as reference_value
    from neighboured
    left join others
        on neighboured.plan_id = others.plan_id and neighboured.region_code = others.region_code and neighboured.indicator_code = others.indicator_code
        and neighboured.year = others.year
)

select
    *,
    case when value > 0 and reference_value > 0 then log10(value / reference_value) end as log10_ratio,
    case
        when value > 0 and reference_value > 0
            and (series_points < 3
                or (others_median > 0 and round(log10(value / others_median), 0) = round(log10(value / reference_value), 0)))
            then round(log10(value / reference_value), 0)::integer
    end as shift_k
from referenced
