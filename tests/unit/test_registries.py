"""The park and organisation registries (data/parks.yaml, data/organizations.yaml) beyond the sample
cities: parks and organisations named without a place are found through the registry and located in
the region it gives (domain rule 5); designations and generic names stay what they are."""
from pathlib import Path

import yaml
from helpers import context
from policykg.graph_build.model import region_id
from policykg.graph_build.organizations import extract_organizations
from policykg.graph_build.places import extract_parks
from policykg.graph_build.regions import default_index

DATA = Path(__file__).resolve().parents[2] / "graph_build" / "data"


def _plan(title: str, body: str) -> str:
    return f"{title}\n一、重点任务\n(一)建设载体。{body}\n"


def _parks(text: str) -> dict:
    """park name -> (the region it is LOCATED_IN, its surface forms other than the name)."""
    frag = extract_parks(context(text))
    located = {e.source: e.target for e in frag.edges if e.type == "LOCATED_IN"}
    return {n.name: (located[n.id], tuple(n.props["aliases"])) for n in frag.nodes if n.label == "Park"}


def _orgs(text: str) -> dict:
    """organisation name -> (type, the region it is LOCATED_IN or None)."""
    frag = extract_organizations(context(text))
    located = {e.source: e.target for e in frag.edges if e.type == "LOCATED_IN"}
    return {n.name: (n.props["type"], located.get(n.id)) for n in frag.nodes if n.label == "Organization"}


def test_nanjing_parks_without_a_place_in_their_name():
    got = _parks(_plan("南京市人工智能产业发展行动计划(2024—2026年)",
                       "依托麒麟科技创新园、徐庄软件园和南京软件谷建设人工智能产业集聚区。"))
    assert got == {
        "麒麟科技创新园": ("region:江苏省/南京市", ()),
        "徐庄软件园": ("region:江苏省/南京市/玄武区", ()),
        # the registry's canonical name, the text's form kept as an alias
        "中国(南京)软件谷": ("region:江苏省/南京市/雨花台区", ("南京软件谷",)),
    }  # 人工智能产业集聚区 names no place: no park


def test_parks_of_other_provinces_in_a_provincial_plan():
    got = _parks(_plan("浙江省人工智能产业发展行动方案",
                       "支持云栖小镇、梦想小镇、杭州高新区和德清地理信息小镇建设,加强与张江人工智能岛、"
                       "中国光谷、天府软件园、齐鲁软件园合作。"))
    assert got == {
        "云栖小镇": ("region:浙江省/杭州市/西湖区", ()),
        "梦想小镇": ("region:浙江省/杭州市/余杭区", ()),
        "杭州高新区": ("region:浙江省/杭州市/滨江区", ()),
        "德清地理信息小镇": ("region:浙江省/湖州市/德清县", ()),
        "张江人工智能岛": ("region:上海市/浦东新区", ()),
        "武汉东湖新技术开发区": ("region:湖北省/武汉市", ("中国光谷",)),
        "天府软件园": ("region:四川省/成都市", ()),
        "齐鲁软件园": ("region:山东省/济南市", ()),
    }


def test_a_park_of_a_larger_park_keeps_both():
    got = _parks(_plan("北京市促进人工智能产业发展行动方案", "支持中关村科技园区海淀园和昌平园发展。"))
    assert got == {
        "中关村科技园区": ("region:北京市", ()),
        "中关村科技园区海淀园": ("region:北京市/海淀区", ()),
        "中关村科技园区昌平园": ("region:北京市/昌平区", ("昌平园",)),
    }


def test_suzhou_industrial_park_is_not_cut_before_qu():
    # the registered name, and a name found only through its suffix (工业园区, 科技园区 are park
    # suffixes of their own, not 工业园/科技园 followed by a stray 区)
    got = _parks(_plan("江苏省新一代人工智能产业发展实施意见", "加强与苏州工业园区合作,建设南通科技园区、昆山软件园区。"))
    assert got == {
        "苏州工业园区": ("region:江苏省/苏州市", ()),
        "南通科技园区": ("region:江苏省/南通市", ()),
        "昆山软件园区": ("region:江苏省/苏州市/昆山市", ()),
    }


def test_designations_and_generic_names_are_not_parks():
    got = _parks(_plan("武汉市人工智能行动计划",
                       "建设国家新一代人工智能创新发展试验区,布局一批人工智能产业园、物联网小镇和人工智能产业园区。"))
    assert got == {}


def test_organisations_without_a_place_get_the_registry_region():
    got = _orgs(_plan("南京市人工智能产业发展行动计划(2024—2026年)",
                      "支持紫金山实验室、东南大学、西湖大学、中国科学技术大学与中科院计算所、中国信通院合作,"
                      "引进深度求索、宇树科技等企业。"))
    assert got == {
        "紫金山实验室": ("lab", "region:江苏省/南京市"),
        "东南大学": ("university", "region:江苏省/南京市"),
        "西湖大学": ("university", "region:浙江省/杭州市/西湖区"),
        "中国科学技术大学": ("university", "region:安徽省/合肥市"),
        "中国科学院计算技术研究所": ("institute", "region:北京市/海淀区"),
        "中国信息通信研究院": ("institute", "region:北京市/海淀区"),
        "深度求索": ("enterprise", "region:浙江省/杭州市"),
        "宇树科技": ("enterprise", "region:浙江省/杭州市/滨江区"),
    }


def test_a_lab_named_after_another_region_is_not_that_region():
    # 东海 is also 东海县 (连云港市), 太湖 also 太湖县 (安庆市): the labs lie in 舟山市 and 无锡市
    text = _plan("浙江省人工智能产业发展行动方案", "支持东海实验室、太湖实验室建设。")
    assert _orgs(text) == {"东海实验室": ("lab", "region:浙江省/舟山市"), "太湖实验室": ("lab", "region:江苏省/无锡市")}
    assert _parks(text) == {}


def _entries():
    parks = yaml.safe_load((DATA / "parks.yaml").read_text(encoding="utf-8"))["registry"]
    orgs = yaml.safe_load((DATA / "organizations.yaml").read_text(encoding="utf-8"))["known"]
    return parks, orgs


def test_registry_entries_are_sourced_and_located_in_known_regions():
    index = default_index()
    parks, orgs = _entries()
    assert len(parks) >= 100 and len(orgs) >= 150
    bad = [e["name"] for e in parks + orgs
           if not str(e.get("source") or "").strip()
           or (e.get("region") and index.get(region_id(tuple(e["region"]))) is None)]
    assert bad == []
    assert all(e.get("region") for e in parks)
    names = {e["name"] for e in parks}
    assert [e["name"] for e in parks if e.get("part_of") and e["part_of"] not in names] == []


def test_no_surface_form_names_two_entries():
    parks, orgs = _entries()
    seen: dict = {}
    clashes = []
    for kind, entries in (("park", parks), ("org", orgs)):
        for e in entries:
            for form in {e["name"], *(e.get("aliases") or ())}:
                if form in seen:
                    clashes.append((form, seen[form], (kind, e["name"])))
                seen[form] = (kind, e["name"])
    assert clashes == []


def test_a_district_short_form_after_the_city_places_the_park_in_the_district():
    from helpers import context

    from policykg.graph_build.places import extract_parks

    ctx = context("南京市人工智能行动计划(2024—2026年)\n一、重点任务\n(一)建设载体。建设南京江宁科技园区、广州天河软件园。\n",
                  "t.txt")
    got = {(n.name, n.props.get("region")) for n in extract_parks(ctx).nodes if n.label == "Park"}
    assert got == {("南京江宁科技园区", "江宁区"), ("广州天河软件园", "天河区")}
