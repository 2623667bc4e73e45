-- A reviewer decision to correct must say the value to correct to (seeds/reference/corrections.csv).
select flag_key, decision, corrected_value
from {{ ref('stg_corrections') }}
where decision = 'correct' and corrected_value is null
