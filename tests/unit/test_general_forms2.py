"""Forms of plans written in styles the samples do not show (probe E): parks, organisations."""
from helpers import context

from policykg.graph_build.places import extract_parks


def _parks(text: str) -> dict:
    frag = extract_parks(context(text, "p.txt"))
    return {n.name: (n.props["region"], n.props["aliases"]) for n in frag.nodes if n.label == "Park"}


def test_a_park_of_another_city_after_and_is_not_a_part_of_the_last_park():
    text = ("四川省人工智能产业发展行动计划(2024—2027年)\n一、重点任务\n"
            "(一)培育集群。建设绵阳科技城人工智能产业园和宜宾三江新区智能终端产业园。\n")
    assert _parks(text) == {"中国(绵阳)科技城": ("绵阳市", ["绵阳科技城"]),
                            "中国(绵阳)科技城人工智能产业园": ("绵阳市", ["绵阳科技城人工智能产业园"]),
                            "宜宾三江新区智能终端产业园": ("宜宾市", [])}


def test_a_generic_part_name_is_no_alias_and_smart_valleys_are_parks():
    text = ("合肥市人工智能产业发展行动方案(2024—2027年)\n一、重点任务\n"
            "(一)建设园区。推动合肥高新区人工智能产业园建设。\n")
    assert _parks(text) == {"合肥高新区": ("合肥市", []), "合肥高新区人工智能产业园": ("合肥市", [])}
    text = "上海市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)建设场景。在徐汇区西岸智慧谷建设示范场景。\n"
    assert _parks(text) == {"西岸智慧谷": ("徐汇区", ["徐汇区西岸智慧谷"])}


def _orgs(text: str) -> dict:
    from policykg.graph_build.organizations import extract_organizations

    frag = extract_organizations(context(text, "o.txt"))
    return {n.name: n.props["type"] for n in frag.nodes if n.label == "Organization"}


def test_groups_named_with_a_place_and_curated_groups_are_enterprises():
    text = ("四川省人工智能产业发展行动计划(2024—2027年)\n一、重点任务\n(一)深化应用。支持东方电气集团、四川长虹电子控股集团、"
            "成都产业投资集团建设工业大模型,培育一批大型企业集团,引导蔚来汽车在川布局。\n")
    assert _orgs(text) == {"东方电气": "enterprise", "长虹": "enterprise", "成都产业投资集团": "enterprise",
                           "蔚来汽车": "enterprise"}


# ---- probe E2: parks written after their district, bracketed notes, branches, clause-final counts


def test_a_park_after_its_district_is_named_without_it_unless_the_rest_is_an_industry_word():
    text = ("北京市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)集聚。建设朝阳区望京人工智能产业园,"
            "支持朝阳区人工智能产业园、包河区智能网联汽车产业基地。\n")
    assert _parks(text) == {"望京人工智能产业园": ("朝阳区", ["朝阳区望京人工智能产业园"]),
                            "朝阳区人工智能产业园": ("朝阳区", []), "包河区智能网联汽车产业基地": ("包河区", [])}


def test_the_district_right_before_a_registered_park_places_it():
    text = ("合肥市人工智能行动方案(2024—2027年)\n一、重点任务\n(一)建设园区。推动蜀山区中国声谷、"
            "合肥高新区人工智能产业园错位发展,支持中国声谷。\n")
    assert _parks(text) == {"中国声谷": ("蜀山区", ["蜀山区中国声谷"]), "合肥高新区": ("合肥市", []),
                            "合肥高新区人工智能产业园": ("合肥市", [])}


def test_a_bracketed_note_is_no_park_but_a_county_opening_with_han_is():
    text = ("武汉市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)制造。推进人工智能+制造。"
            "(责任单位:市经信局,各区人民政府(含开发区管委会))\n")
    assert _parks(text) == {}
    text = "马鞍山市人工智能行动方案(2024—2026年)\n一、重点任务\n(一)制造。支持含山县经济开发区(含产业园)建设。\n"
    assert _parks(text) == {"含山县经济开发区": ("含山县", [])}


def test_a_curated_name_opening_a_longer_name_is_not_named_on_its_own():
    text = ("杭州市余杭区人工智能行动方案(2024—2027年)\n一、重点任务\n(一)主体。支持浙江大学杭州国际科创中心开展攻关,"
            "由百度、中国移动北京公司等企业参与建设,华为公司参与。\n")
    assert _orgs(text) == {"浙江大学杭州国际科创中心": "institute", "中国移动北京公司": "enterprise",
                           "百度": "enterprise", "华为": "enterprise"}


def _targets(text: str) -> list:
    from policykg.graph_build.targets import find_targets

    return [(t.year, t.value, t.unit, t.op, t.metric) for t in find_targets(context(text, "t.txt"))]


def test_a_count_closing_a_goal_clause_is_a_target_but_yi_pi_is_not():
    text = ("杭州市余杭区人工智能行动方案(2024—2027年)\n一、重点任务\n(一)建设场景。支持街道打造示范区,发布场景清单两批。"
            "突破一批关键核心技术,覆盖两个层面。\n")
    assert _targets(text) == [(2027, 2, "批", "=", "发布场景清单")]


def test_an_elliptical_goal_takes_the_metric_of_the_goal_before():
    text = ("杭州市人工智能行动方案(2024—2027年)\n一、发展目标\n到2025年,全市人工智能核心产业营业收入达到3000亿元;"
            "到2027年,突破4000亿元,集聚人工智能企业2500家以上。\n")
    assert _targets(text) == [(2025, 3000, "亿元", ">=", "人工智能核心产业营业收入"),
                              (2027, 4000, "亿元", ">", "人工智能核心产业营业收入"),
                              (2027, 2500, "家", ">", "集聚人工智能企业")]
