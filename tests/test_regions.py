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


@pytest.mark.parametrize("name", ["大冶新城区", "123456", "", "湖北省泸溪县"])
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
    out = resolver.resolve_many(pd.Series(["泸溪县", "大冶新城区", "泸溪县", None]))
    assert out["region_code"].iloc[0] == out["region_code"].iloc[2] == "433122"
    assert pd.isna(out["region_code"].iloc[1]) and pd.isna(out["region_code"].iloc[3])
    assert out["problem"].iloc[1].startswith("unknown region")
    assert out["problem"].iloc[3] == "unknown region: no region given"


# ---------- zones: high-tech zones, development zones, industrial parks (seeds/reference/zones.csv, zone_kinds.csv)


@pytest.mark.parametrize("name", ["祁阳高新区", "祁阳高新技术产业开发区", "431181-HTZ", " 祁阳 高新区 "])
def test_a_listed_zone_resolves_by_name_alias_and_code(resolver, name):
    zone = resolver.resolve(name)
    assert (zone.region_code, zone.region_name, zone.level, zone.zone_kind) == ("431181-HTZ", "祁阳高新区", "zone", "high_tech_zone")
    assert (zone.parent_code, zone.prefecture_name, zone.province_name) == ("431181", "永州市", "湖南省")
    assert zone.is_zone


@pytest.mark.parametrize("name", ["大冶湖高新区", "黄石大冶湖国家高新区", "大冶湖国家高新区", "大冶高新区"])
def test_a_zone_named_after_no_division_is_found_by_its_aliases(resolver, name):
    # 大冶湖 is a lake, not a division: the aliases find it; 大冶高新区 (division + zone word) is the same zone's code.
    assert resolver.resolve(name).region_code == "420281-HTZ"


@pytest.mark.parametrize(
    "name, code, zone_name, kind, parent",
    [
        ("石家庄高新区", "130100-HTZ", "石家庄高新区", "high_tech_zone", "130100"),
        ("石家庄高新技术产业开发区", "130100-HTZ", "石家庄高新区", "high_tech_zone", "130100"),
        ("郑州经济技术开发区", "410100-EDZ", "郑州经开区", "economic_development_zone", "410100"),
        ("郑州经开区", "410100-EDZ", "郑州经开区", "economic_development_zone", "410100"),
        ("祁阳省级经开区", "431181-EDZ", "祁阳经开区", "economic_development_zone", "431181"),
        ("江华县工业园", "431129-IP", "江华工业园区", "industrial_park", "431129"),
    ],
)
def test_a_division_name_with_a_zone_word_is_that_divisions_zone(resolver, name, code, zone_name, kind, parent):
    zone = resolver.resolve(name)
    assert (zone.region_code, zone.region_name, zone.zone_kind, zone.parent_code, zone.level) == (code, zone_name, kind, parent, "zone")
    # The code is stable: it resolves on its own, in a fresh resolver too.
    fresh = RegionResolver(pd.read_csv(REFERENCE / "regions.csv", dtype=str, keep_default_na=False),
                           pd.read_csv(REFERENCE / "zones.csv", dtype=str, keep_default_na=False),
                           pd.read_csv(REFERENCE / "zone_kinds.csv", dtype=str, keep_default_na=False))
    assert fresh.resolve(code) == zone


def test_a_zone_name_fitting_two_divisions_is_refused_with_both(resolver):
    with pytest.raises(AmbiguousRegion) as err:
        resolver.resolve("长沙经开区")  # 长沙市 or 长沙县
    assert "430100-EDZ" in str(err.value) and "430121-EDZ" in str(err.value) and "长沙县" in str(err.value)
    assert resolver.resolve("长沙经开区", context="长沙县").region_code == "430121-EDZ"


@pytest.mark.parametrize("name", ["推进高新区", "高新区", "省级高新区", "国家高新区", "四个省级高新区", "130100-XYZ", "999999-HTZ"])
def test_words_before_a_zone_word_that_name_no_division_are_not_zones(resolver, name):
    with pytest.raises(RegionNotFound):
        resolver.resolve(name)


@pytest.mark.parametrize("name", ["湖南省平江高新区", "岳阳平江高新区", "湖南省岳阳市平江高新技术产业开发区"])
def test_zone_names_qualified_by_province_or_city(resolver, name):
    assert resolver.resolve(name).region_code == "430626-HTZ"
    assert resolver.qualified_name("430626-HTZ") == "湖南省岳阳市平江县平江高新区"


def test_a_zone_named_in_the_title_is_the_plans_region(resolver):
    inferred = resolver.infer_from_text("石家庄高新区2023年科技创新工作要点\n石家庄市……全市高新技术企业达到100家")
    assert inferred.region.region_code == "130100-HTZ" and "石家庄高新区" in inferred.evidence
    # A city's plan that mentions its zones in the text stays the city's.
    city = resolver.infer_from_text("永州市科技创新规划\n祁阳高新区规模工业产值达到660亿元。永州市……")
    assert city.region.region_code == "431100"


def test_users_extend_zones_and_zone_words_as_data():
    table = pd.read_csv(REFERENCE / "regions.csv", dtype=str, keep_default_na=False)
    kinds = pd.read_csv(REFERENCE / "zone_kinds.csv", dtype=str, keep_default_na=False)
    kinds = pd.concat([kinds, pd.DataFrame([{"suffix": "科技城", "zone_kind": "science_city", "kind_zh": "科技城",
                                             "code_suffix": "SC", "note": "test"}])], ignore_index=True)
    zones = pd.DataFrame([{"zone_code": "420100-HTZ", "zone_name": "武汉东湖新技术开发区", "aliases": "东湖高新区|光谷",
                           "zone_kind": "high_tech_zone", "zone_level": "national", "parent_code": "420100", "note": "test"}])
    r = RegionResolver(table, zones, kinds)
    assert r.resolve("光谷").region_code == r.resolve("武汉高新区").region_code == "420100-HTZ"
    assert r.resolve("光谷").region_name == "武汉东湖新技术开发区"
    assert r.resolve("绵阳科技城").region_code == "510700-SC"
    bad = zones.assign(parent_code="999999")
    with pytest.raises(ValueError, match="not a division code"):
        RegionResolver(table, bad, kinds)
    with pytest.raises(ValueError, match="zone_kinds.csv does not list"):
        RegionResolver(table, zones.assign(zone_kind="space_port"), kinds)


def test_areas_named_in_a_text(resolver):
    text = "江华县工业园、宁远县工业园、祁阳经开区获批省级高新区;在大冶湖高新区建立了中心;冷水滩区和黄石市级平台;推进高新区建设"
    found = [(a.written, a.codes) for a in resolver.areas_in(text)]
    assert found == [("江华县工业园", ("431129-IP",)), ("宁远县工业园", ("431126-IP",)), ("祁阳经开区", ("431181-EDZ",)),
                     ("大冶湖高新区", ("420281-HTZ",)), ("冷水滩区", ("431103",)), ("黄石市", ("420200",))]
    assert resolver.lies_in("431181-HTZ", "431100") and resolver.lies_in("420281-HTZ", "420281")
    assert not resolver.lies_in("420200", "420281") and not resolver.lies_in("431181-HTZ", "420281")
