-- What the incremental models of this build hold (planwatch.dbt_runner incremental_state, passed as the
-- var incremental_state): the next build carries them over from the published warehouse only when the
-- models and macros, the corrections, the retractions and the loads they hold are still the same.
with

state as (
    select
        '{{ var("incremental_state", "{}") | replace("'", "''") }}' as incremental_state,
        {{ 'true' if var('incremental_carried_over', false) else 'false' }} as carried_over
)

select * from state
