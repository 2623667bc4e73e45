"""The national region reference and its resolver, on the committed seed."""

import pandas as pd
import pytest

from conftest import PLANS, REFERENCE
from planwatch.regions import AmbiguousRegion, RegionNotFound, RegionResolver, build_region_table, short_name


@pytest.fixture(scope="module")
def resolver():
    return RegionResolver.default(REFERENCE)


def test_committed_seed_is_what_the_pinned_source_generates():
    committed = pd.read_csv(REFERENCE / "regions.csv", dtype=str, keep_default_na=False)
    generated = build_region_table().fillna("").astype(str)
    pd.testing.assert_frame_equal(committed, generated)


def test_reference_covers_the_whole_country():
    table = build_region_table()
    counts = table["level"].value_counts()
    assert counts["province"] == 34  # 23 provinces incl. Taiwan, 5 autonomous regions, 4 municipalities, 2 SARs
    assert 330 <= counts["prefecture"] <= 340
    assert 2800 <= counts["county"] <= 2900
    assert table["region_code"].is_unique
    # Every county sits under a province, and under a prefecture unless the province administers it directly.
    counties = table[table["level"] == "county"]
    assert counties["region_code"].str[:2].eq(counties["province_code"].str[:2]).all()


@pytest.mark.parametrize(
    "name, code",
    [
        ("泸溪县", "433122"), ("泸溪", "433122"), ("433122", "433122"), ("大冶市", "420281"),
        ("永州市", "431100"), ("湖南省岳阳市平江县", "430626"), ("岳阳平江县", "430626"),
        ("湘西州", "433100"), ("湘西土家族苗族自治州", "433100"), ("江华县", "431129"),
        ("北京市朝阳区", "110105"), ("長沙市", "430100"), (" 永 州 市 ", "431100"),
    ],
)
def test_resolves_names_codes_and_qualified_names(resolver, name, code):
    assert resolver.resolve(name).region_code == code


def test_ambiguous_names_are_refused_with_the_candidates(resolver):
    with pytest.raises(AmbiguousRegion) as err:
        resolver.resolve("朝阳区")
    assert "北京市朝阳区 110105" in str(err.value) and "吉林省长春市朝阳区 220104" in str(err.value)
    assert resolver.resolve("朝阳区", context="长春市").region_code == "220104"


@pytest.mark.parametrize("name", ["大冶高新区", "123456", "", "湖北省泸溪县"])
def test_unknown_regions_say_so(resolver, name):
    with pytest.raises(RegionNotFound, match="^unknown region"):
        resolver.resolve(name)


def test_short_names():
    assert short_name("湘西土家族苗族自治州") == "湘西"
    assert short_name("广西壮族自治区") == "广西"
    assert short_name("江华瑶族自治县") == "江华"
    assert short_name("大冶市") == "大冶"
    assert short_name("忠县") == "忠县"  # a one-character stem keeps its suffix


@pytest.mark.parametrize(
    "document, code",
    [
        ("luxi_county_sti_five_year_plan_2021_2025.txt", "433122"),
        ("daye_city_sti_five_year_plan_2021_2025.txt", "420281"),
        ("yongzhou_city_sti_five_year_plan_2021_2025.txt", "431100"),
        ("pingjiang_county_sti_work_plan_2023.txt", "430626"),
        ("pingjiang_county_sti_industry_work_plan_2026.txt", "430626"),
    ],
)
def test_infers_each_seed_plans_region_from_its_text(resolver, document, code):
    inferred = resolver.infer_from_text((PLANS / document).read_text(encoding="utf-8"))
    assert inferred is not None and inferred.region.region_code == code
    assert inferred.region.region_name in inferred.evidence


def test_text_naming_no_region_infers_nothing(resolver):
    assert resolver.infer_from_text("到2025年，高新技术企业达到400家。") is None


def test_resolve_many_reports_each_problem(resolver):
    out = resolver.resolve_many(pd.Series(["泸溪县", "大冶高新区", "泸溪县", None]))
    assert out["region_code"].iloc[0] == out["region_code"].iloc[2] == "433122"
    assert pd.isna(out["region_code"].iloc[1]) and pd.isna(out["region_code"].iloc[3])
    assert out["problem"].iloc[1].startswith("unknown region")
    assert out["problem"].iloc[3] == "unknown region: no region given"
