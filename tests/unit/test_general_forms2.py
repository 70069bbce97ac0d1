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
    assert _parks(text) == {"徐汇区西岸智慧谷": ("徐汇区", [])}


def _orgs(text: str) -> dict:
    from policykg.graph_build.organizations import extract_organizations

    frag = extract_organizations(context(text, "o.txt"))
    return {n.name: n.props["type"] for n in frag.nodes if n.label == "Organization"}


def test_groups_named_with_a_place_and_curated_groups_are_enterprises():
    text = ("四川省人工智能产业发展行动计划(2024—2027年)\n一、重点任务\n(一)深化应用。支持东方电气集团、四川长虹电子控股集团、"
            "成都产业投资集团建设工业大模型,培育一批大型企业集团,引导蔚来汽车在川布局。\n")
    assert _orgs(text) == {"东方电气": "enterprise", "长虹": "enterprise", "成都产业投资集团": "enterprise",
                           "蔚来汽车": "enterprise"}
