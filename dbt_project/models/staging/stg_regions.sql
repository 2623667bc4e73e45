-- The region dimension: every division of the national reference (GB/T 2260), every zone listed in
-- the zones seed (high-tech zones, development zones, industrial parks, with the division they lie
-- in), and every other zone code the raw layer uses (a plan, target, reported figure or statistic of
-- "<division code>-<kind code>", e.g. 130100-HTZ), derived from its division and zone_kinds the way
-- planwatch's resolver names it: the division's short name and the kind's Chinese name.
with

divisions as (
    select * from {{ ref('regions') }}
),

listed_zones as (
    select * from {{ ref('zones') }}
),

zone_kinds as (
    select zone_kind, kind_zh, code_suffix
    from {{ ref('zone_kinds') }}
    group by zone_kind, kind_zh, code_suffix
),

raw_codes as (
    select region_code from {{ source('raw', 'plan_documents') }}
    union
    select region_code from {{ source('raw', 'plan_targets') }}
    union
    select region_code from {{ source('raw', 'plan_reported_actuals') }}
    union
    select region_code from {{ source('raw', 'statistics') }}
    union
    select region_code from {{ source('raw', 'statistic_regions') }}
),

division_rows as (
    select
        region_code,
        region_name,
        short_name,
        level,
        level_zh,
        division_type,
        parent_code,
        province_code,
        province_name,
        prefecture_code,
        prefecture_name,
        null::varchar as zone_kind,
        null::varchar as zone_level,
        'regions' as region_source
    from divisions
),

listed_zone_rows as (
    select
        z.zone_code as region_code,
        z.zone_name as region_name,
        z.zone_name as short_name,
        'zone' as level,
        '园区' as level_zh,
        k.kind_zh as division_type,
        z.parent_code,
        d.province_code,
        d.province_name,
        d.prefecture_code,
        d.prefecture_name,
        z.zone_kind,
        z.zone_level,
        'zones' as region_source
    from listed_zones as z
    inner join divisions as d on z.parent_code = d.region_code
    left join zone_kinds as k on z.zone_kind = k.zone_kind
),

derived_zone_rows as (
    select
        c.region_code,
        d.short_name || k.kind_zh as region_name,
        d.short_name || k.kind_zh as short_name,
        'zone' as level,
        '园区' as level_zh,
        k.kind_zh as division_type,
        d.region_code as parent_code,
        d.province_code,
        d.province_name,
        d.prefecture_code,
        d.prefecture_name,
        k.zone_kind,
        null::varchar as zone_level,
        'derived' as region_source
    from raw_codes as c
    inner join divisions as d on left(c.region_code, 6) = d.region_code
    inner join zone_kinds as k on c.region_code = d.region_code || '-' || k.code_suffix
    where c.region_code not in (select region_code from listed_zone_rows)
)

select * from division_rows
union all
select * from listed_zone_rows
union all
select * from derived_zone_rows
