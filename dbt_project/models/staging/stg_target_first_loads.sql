-- When each target's evidence was first loaded: the earliest load of the same target key over the
-- raw layer's whole history (a new extractor version reloads a document; the target's key stays the
-- same). The quality checks date their flags by it. A table: it reads the raw layer, which the
-- published warehouse does not attach.
select target_key, min(loaded_at) as first_seen
from {{ source('raw', 'plan_targets') }}
group by target_key
