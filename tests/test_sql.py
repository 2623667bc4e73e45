import duckdb
import pytest

from planwatch.sql import ReadOnlyViolation, check_read_only, run_query


@pytest.mark.parametrize("query", [
    "drop table marts.fct_plan_target",
    "insert into t values (1)",
    "select 1; delete from t",
    "create table x as select 1",
    "attach 'other.duckdb' as o",
    "copy (select 1) to '/tmp/x.csv'",
])
def test_statements_that_write_are_refused(query):
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        check_read_only(query)


def test_reads_are_answered(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts; create table marts.t as select 1 as a union all select 2")
    con.close()
    assert run_query(db, "select sum(a) as s from marts.t")["s"].iloc[0] == 3
    assert "t" in set(run_query(db, "show all tables")["name"])
