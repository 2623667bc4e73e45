-- A document kind belongs to one source kind at most (seeds/reference/actual_sources.csv), so a
-- document's figures have one rank. (That every loaded document's kind has one is
-- stg_plan_reported_actuals.source_kind's not_null test.)
select document_kind, count(*) as source_kinds
from (select source_kind, unnest(document_kinds) as document_kind from {{ ref('stg_actual_sources') }}) as kinds
group by document_kind
having count(*) > 1
