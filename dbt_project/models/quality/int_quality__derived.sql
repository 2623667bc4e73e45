-- Derived figures against the levels they derive from, within one document (the statistics
-- offices' derived-figure check; statistics files are contradiction.growth_rate_mismatch's):
--   growth_vs_levels: a stated growth rate — 年均增长 N% (compound over the years between the two
--     levels), 增长 N% (the change between them) — against the growth the document's own two levels
--     give. The rate is either a figure the extractor read (measure growth_pct: from the year before;
--     annual_avg_growth_pct: over its period) or a rate written in the sentence that states both levels
--     (较2016年的…增长108%);
--   multiplier_vs_levels: a multiple written in the sentence that states both levels against their
--     ratio: 增长N倍 is ×(N+1) (the increase is N times the base), 是…的N倍 ×N, 翻一番 ×2
--     (seeds/reference/lexicon/multiple_words.csv, type_cues' doubling words).
-- A wording belongs to the indicator whose levels, both in the sentence, come last before it, from
-- the base its clause names if it names one (较2016年, 比上年: seeds/reference/lexicon/time_words.csv). The
-- flag is on the stated rate when the extractor read it as a figure, else on the later level.
with

reported as (
    select * from {{ ref('stg_plan_reported_actuals') }}
),

type_cues as (
    select * from {{ ref('type_cues') }}
),

multiple_words as (
    select * from {{ ref('multiple_words') }}
),

time_words as (
    select * from {{ ref('time_words') }}
),

first_reported as (
    select * from {{ ref('stg_reported_actual_first_loads') }}
),

-- Full-year levels the document states, as read (before reviewer corrections).
levels as (
    select
        r.reported_actual_id,
        r.plan_id,
        r.region_code,
        r.indicator_code,
        r.canonical_unit as unit,
        r.period_end_year as year,
        r.value_original as value,
        {{ number_text('r.value_as_written') }} as written,
        r.document,
        r.source_line,
        r.source_text,
        -- the wordings are looked for in the text as the extractor read it (simplified, half-width); rows
        -- loaded before that column was kept have the read text in source_text
        coalesce(r.source_text_normalised, r.source_text) as text_as_read,
        coalesce(f.first_seen, r.loaded_at) as first_seen
    from reported as r
    left join first_reported as f on r.reported_actual_id = f.reported_actual_id
    where r.measure = 'level' and r.period_type = 'year'
        and r.indicator_code is not null and r.value_original > 0 and r.value_as_written is not null
),

-- The sentences of each line that states levels (split at 。；;!?), each with an id (a line can be
-- stated as several texts, one per figure's sentence).
sentences as (
    select distinct document, source_line, sentence, md5(document || '|' || source_line || '|' || sentence) as sentence_id
    from (
        select document, source_line, {{ split_to_rows('text_as_read', "'[。；;！!？?]'") }} as sentence
        from (select distinct document, source_line, text_as_read from levels) as lines
    ) as split
    where sentence <> ''
),

-- Each level at its place in its sentence (where its number as written first appears).
placed_levels as (
    select l.*, s.sentence, s.sentence_id, strpos(s.sentence, l.written) as position
    from levels as l
    inner join sentences as s on l.document = s.document and l.source_line = s.source_line
    where strpos(s.sentence, l.written) > 0
),

-- Rates and multiples written in a sentence that states levels: (reading, number, matched text).
wording_patterns as (
    select word, 'avg_growth' as reading, word || '了?(?:约|近)?([0-9]+(?:\.[0-9]+)?)%' as pattern, null::double precision as fixed
    from type_cues where role = 'avg_growth'
    union all
    select word, 'growth', word || '了?(?:约|近)?([0-9]+(?:\.[0-9]+)?)%', null from type_cues where role = 'growth'
    union all
    select word, reading, word || '了?(?:约|近)?([0-9]+(?:\.[0-9]+)?)倍', null from multiple_words
    union all
    select word, 'doubling', word, {{ try_cast('value', 'double') }} from type_cues where role = 'doubling'
),

wordings as (
    select
        document, source_line, sentence, sentence_id, word, reading, fixed,
        coalesce(fixed, {{ try_cast('number', 'double') }}) as stated,
        matched,
        strpos(sentence, matched) as position
    from (
        {{ pattern_matches('sentences', 'wording_patterns') }}
    ) as matches
),

-- The base a wording's own clause names, if any: years written in it (较2016年的…增长4倍), or a word
-- for an earlier year (比上年增长: the year before). The relation must then start there.
clause_bases as (
    select
        w.*,
        {{ regexp_integers('w.clause', "'((?:19|20)[0-9]{2})年'") }} as clause_years,
        (select max(t.year_offset) from time_words as t where t.year_offset < 0 and strpos(w.clause, t.word) > 0) as clause_offset
    from (
        select *, regexp_extract(left(sentence, position - 1), '[^,，]*$') as clause
        from wordings
    ) as w
),

-- A wording that is the tail of a longer one at the same place is the longer one's (增长 in 年均增长,
-- 增长 in 增长一倍): keep the longest match at each place.
longest_wordings as (
    select w.*
    from clause_bases as w
    where not exists (
        select 1 from wordings as o
        where o.document = w.document and o.source_line = w.source_line and o.sentence_id = w.sentence_id
            and length(o.matched) > length(w.matched)
            and o.position <= w.position and o.position + length(o.matched) >= w.position + length(w.matched)
    )
),

-- The two levels a wording relates: the indicator with two years in the sentence whose last level
-- before the wording comes nearest to it; its earliest and latest years.
sentence_pairs as (
    select
        document, source_line, sentence_id, indicator_code,
        max(position) as last_position,
        {{ arg_min('reported_actual_id', 'year') }} as base_id, min(year) as base_year, {{ arg_min('value', 'year') }} as base_value, {{ arg_min('written', 'year') }} as base_written,
        {{ arg_max('reported_actual_id', 'year') }} as now_id, max(year) as now_year, {{ arg_max('value', 'year') }} as now_value, {{ arg_max('written', 'year') }} as now_written,
        any_value(plan_id) as plan_id, any_value(region_code) as region_code, any_value(unit) as unit,
        any_value(source_text) as source_text, max(first_seen) as first_seen
    from placed_levels
    group by document, source_line, sentence_id, indicator_code
    having count(distinct year) >= 2
),

worded_relations as (
    select distinct on (w.document, w.source_line, w.sentence_id, w.position)
        w.reading,
        w.stated,
        w.matched,
        'wording' as stated_by,
        coalesce(g.reported_actual_id, p.now_id) as entity_id,
        g.reported_actual_id is not null as on_rate,
        p.*
    from longest_wordings as w
    inner join sentence_pairs as p
        on w.document = p.document and w.source_line = p.source_line and w.sentence_id = p.sentence_id
        and p.last_position < w.position
        and (len(w.clause_years) = 0 or list_contains(w.clause_years, p.base_year))
        and (w.clause_offset is null or p.base_year = p.now_year + w.clause_offset)
    -- the extractor's own reading of the same rate, if it has one: the flag goes on it
    left join reported as g
        on g.document = w.document and g.source_line = w.source_line and g.indicator_code = p.indicator_code
        and g.measure in ('growth_pct', 'annual_avg_growth_pct') and g.value_original = w.stated
        and w.reading in ('growth', 'avg_growth')
    order by w.document, w.source_line, w.sentence_id, w.position, p.last_position desc
),

-- Rates the extractor read as figures, with the document's levels at the start and end of their period.
read_relations as (
    select distinct on (g.reported_actual_id)
        case g.measure when 'annual_avg_growth_pct' then 'avg_growth' else 'growth' end as reading,
        g.value_original as stated,
        null as matched,
        'figure' as stated_by,
        g.reported_actual_id as entity_id,
        true as on_rate,
        g.document,
        g.source_line,
        null::varchar as sentence_id,
        g.indicator_code,
        null::integer as last_position,
        b.reported_actual_id as base_id, b.year as base_year, b.value as base_value, b.written as base_written,
        n.reported_actual_id as now_id, n.year as now_year, n.value as now_value, n.written as now_written,
        g.plan_id, g.region_code, n.unit, g.source_text,
        coalesce(f.first_seen, g.loaded_at) as first_seen,
        b.source_line as base_line,
        n.source_line as now_line
    from reported as g
    inner join levels as n
        on n.document = g.document and n.region_code = g.region_code and n.indicator_code = g.indicator_code
        and n.year = g.period_end_year
    inner join levels as b
        on b.document = g.document and b.region_code = g.region_code and b.indicator_code = g.indicator_code
        and b.year = case when g.period_start_year < g.period_end_year then g.period_start_year
                          when g.measure = 'growth_pct' then g.period_end_year - 1 end
    left join first_reported as f on g.reported_actual_id = f.reported_actual_id
    where g.measure in ('growth_pct', 'annual_avg_growth_pct') and g.period_type in ('year', 'multi_year')
        and g.value_original is not null
    order by g.reported_actual_id, abs(b.source_line - g.source_line), abs(n.source_line - g.source_line)
),

relations as (
    select *, source_line as base_line, source_line as now_line from worded_relations
    union all
    select * from read_relations
),

-- One relation per stated figure: a rate read both ways is the wording's.
computed as (
    select distinct on (document, source_line, indicator_code, reading, stated)
        *,
        now_year - base_year as years,
        now_value / base_value as ratio,
        case reading
            when 'avg_growth' then 100 * (pow(now_value / base_value, 1.0 / (now_year - base_year)) - 1)
            when 'growth' then 100 * (now_value / base_value - 1)
        end as implied_pct,
        case reading when 'plus_one' then stated + 1 when 'times' then stated when 'doubling' then stated end as stated_factor
    from relations
    order by document, source_line, indicator_code, reading, stated, stated_by = 'wording' desc, base_year
),

growth_vs_levels as (
    select
        'growth_vs_levels' as check_name,
        'warning' as severity,
        'reported_actual' as entity,
        entity_id,
        plan_id,
        region_code,
        indicator_code,
        now_year::varchar as period,
        stated as value,
        '%' as unit,
        {{ format_fn() }}('{} % ({} → {}, {} → {}{})', {{ format_arg() }}(round(implied_pct, 2)), {{ format_arg() }}(base_written), {{ format_arg() }}(now_written), {{ format_arg() }}(base_year), {{ format_arg() }}(now_year),
            {{ format_arg() }}(case when reading = 'avg_growth' then {{ format_fn() }}(', {} years compounded', {{ format_arg() }}(years)) else '' end)) as expected_value,
        case when on_rate then round(implied_pct, 2) end as suggested_value,
        {{ format_fn() }}('the stated {} {} % disagrees with the levels {} ({}, line {}) and {} ({}, line {}): {}{}',
            {{ format_arg() }}(case reading when 'avg_growth' then 'average yearly growth' else 'growth' end),
            {{ format_arg() }}({{ number_text('stated') }}), {{ format_arg() }}(base_written), {{ format_arg() }}(base_year), {{ format_arg() }}(base_line), {{ format_arg() }}(now_written), {{ format_arg() }}(now_year), {{ format_arg() }}(now_line),
            {{ format_arg() }}(case reading
                when 'avg_growth' then {{ format_fn() }}('({} / {})^(1/{}) − 1 = {} %', {{ format_arg() }}(now_written), {{ format_arg() }}(base_written), {{ format_arg() }}(years), {{ format_arg() }}(round(implied_pct, 2)))
                else {{ format_fn() }}('{} / {} − 1 = {} %', {{ format_arg() }}(now_written), {{ format_arg() }}(base_written), {{ format_arg() }}(round(implied_pct, 2)))
            end),
            {{ format_arg() }}(-- a compound rate taken over the wrong number of years is a common slip: say which it fits
            case when reading = 'avg_growth' and stated > 0
                    and round(ln(ratio) / ln(1 + stated / 100), 0) <> years
                    and abs(100 * (pow(ratio, 1.0 / round(ln(ratio) / ln(1 + stated / 100), 0)) - 1) - stated) <= {{ var('growth_tolerance_points') }}
                 then {{ format_fn() }}('; the stated rate fits {} years', {{ format_arg() }}(round(ln(ratio) / ln(1 + stated / 100), 0)::integer))
                 else '' end)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from computed
    where reading in ('growth', 'avg_growth')
        and years > 0
        and abs(stated - implied_pct) > {{ var('growth_tolerance_points') }}
),

multiplier_vs_levels as (
    select
        'multiplier_vs_levels' as check_name,
        'warning' as severity,
        'reported_actual' as entity,
        entity_id,
        plan_id,
        region_code,
        indicator_code,
        now_year::varchar as period,
        stated as value,
        '倍' as unit,
        {{ format_fn() }}('×{} ({} / {}, {} → {})', {{ format_arg() }}(round(ratio, 2)), {{ format_arg() }}(now_written), {{ format_arg() }}(base_written), {{ format_arg() }}(base_year), {{ format_arg() }}(now_year)) as expected_value,
        null::double precision as suggested_value,
        {{ format_fn() }}('"{}" reads ×{}{}, but the levels {} ({}) and {} ({}) on line {} give {} / {} = ×{}{}',
            {{ format_arg() }}(matched), {{ format_arg() }}({{ number_text('stated_factor') }}),
            {{ format_arg() }}(case reading when 'plus_one' then ' (the increase is ' || {{ number_text('stated') }} || ' times the base)' else '' end),
            {{ format_arg() }}(base_written), {{ format_arg() }}(base_year), {{ format_arg() }}(now_written), {{ format_arg() }}(now_year), {{ format_arg() }}(source_line), {{ format_arg() }}(now_written), {{ format_arg() }}(base_written), {{ format_arg() }}(round(ratio, 2)),
            {{ format_arg() }}(-- the other reading of the same number, when the levels fit it
            case
                when reading = 'plus_one' and abs(ratio / stated - 1) <= {{ var('multiplier_tolerance_relative') }}
                    then {{ format_fn() }}(', which is 是…的{}倍 (×{})', {{ format_arg() }}({{ number_text('stated') }}), {{ format_arg() }}({{ number_text('stated') }}))
                when reading = 'times' and abs(ratio / (stated + 1) - 1) <= {{ var('multiplier_tolerance_relative') }}
                    then {{ format_fn() }}(', which is 增长{}倍 (×{})', {{ format_arg() }}({{ number_text('stated') }}), {{ format_arg() }}({{ number_text('stated + 1') }}))
                else ''
            end)) as message,
        document as evidence_source,
        source_line as evidence_line,
        source_text as evidence_text,
        first_seen
    from computed
    where reading in ('plus_one', 'times', 'doubling')
        and stated_factor > 0
        and abs(ratio / stated_factor - 1) > {{ var('multiplier_tolerance_relative') }}
),

unioned as (
    select * from growth_vs_levels
    union all
    select * from multiplier_vs_levels
)

-- one flag per check and figure (two wordings on one level: the first in the line)
select distinct on (check_name, entity, entity_id) 'derived' as check_family, *
from unioned
order by check_name, entity, entity_id, message
