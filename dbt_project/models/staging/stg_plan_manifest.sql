-- The manifest's rows as the latest ingest run found them (the latest plan_manifest load), typed: the
-- plans it names, whether or not their documents could be read. Rows ingest refused keep their problem.
with

source as (
    select * from {{ source('raw', 'plan_manifest') }}
),

current_load as (
    select load_id
    from {{ ref('stg_load_log') }}
    where load_kind = 'plan_manifest' and status = 'loaded'
    order by loaded_at desc, load_id desc limit 1
),

renamed as (
    select
        ---------- ids
        load_id,
        manifest_row,
        document,
        plan_id,
        ---------- plan
        region_code,
        region_name,
        plan_kind,
        document_kind,
        {{ try_cast('start_year', 'integer') }} as start_year,
        {{ try_cast('end_year', 'integer') }} as end_year,
        title,
        issuer,
        published,
        ---------- checked at ingest
        problem_kind,
        problem,
        problem is null as is_usable,
        ---------- timestamps
        loaded_at
    from source
    where load_id in (select load_id from current_load)
)

select * from renamed
