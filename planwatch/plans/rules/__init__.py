"""The named rules the prose reader applies to each quantity, one module per dimension.

- quantity   what the number is: number_unit, chinese_numeral, percent_of, fraction, range,
             rank_ordinal, rank_top, doubling
- time       the year or part of a year it refers to: explicit_year, year_after, relative_year,
             since_year, plan_period, partial_year, from_to, carried_year, section_default,
             plan_end, undated
- indicator  the words that name it: words_before, noun_after, respectively, from_to,
             carried_subject, part_of_whole
- kind       target or achieved figure: past_year, future_year, actual_cue, target_cue,
             estimate, task_target, section, document_kind

vocabulary compiles the lexicon (seeds/reference/lexicon) once for all of them.
"""
