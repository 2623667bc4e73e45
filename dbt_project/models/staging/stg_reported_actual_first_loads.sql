-- When each reported figure (an achieved figure a plan or report states) was first loaded: the
-- earliest load of the same actual key over the raw layer's whole history, as stg_target_first_loads
-- does for targets. The quality checks date their flags by it. A table: it reads the raw layer, which
-- the published warehouse does not attach.
select md5(actual_key) as reported_actual_id, min(loaded_at) as first_seen
from {{ source('raw', 'plan_reported_actuals') }}
group by actual_key
