"""Forms of plans written in styles the samples do not show (probe E3): 深圳 district, 2018
provincial, 天津 plans with the clause after a whole paragraph."""
from helpers import assignments, context

from policykg.graph_build.places import extract_parks


def test_a_role_word_after_a_comma_gives_its_role_to_the_list_before_it():
    text = ("深圳市南山区人工智能行动计划(2025—2027年)\n二、主要任务\n(二)集聚资源。\n"
            "2.打造载体。建设产业空间。(区投资推广署、区工业和信息化局,按职责分工负责)\n"
            "3.推动应用。开展示范。(区科技创新局、区教育局;配合)\n")
    assert assignments(text) == {"二/二/2": (["南山区|投资推广署"], ["南山区|工业和信息化局"], False)}


def _parks(text: str) -> dict:
    frag = extract_parks(context(text, "p.txt"))
    return {n.name: (n.props["region"], n.props["aliases"]) for n in frag.nodes if n.label == "Park"}


def test_a_park_named_after_a_bay_or_a_river_corridor_is_placed_from_the_registry():
    text = ("深圳市南山区人工智能行动计划(2025—2027年)\n二、主要任务\n(一)打造载体。建设深圳湾科技生态园。\n")
    assert _parks(text) == {"深圳湾科技生态园": ("南山区", [])}
    text = ("浙江省新一代人工智能发展行动计划(2018—2022年)\n二、重点任务\n(二)培育集群。以杭州城西科创大走廊、"
            "宁波甬江科创大走廊为核心建设产业带。\n")
    assert _parks(text) == {"城西科创大走廊": ("杭州市", ["杭州城西科创大走廊"]),
                            "甬江科创大走廊": ("宁波市", ["宁波甬江科创大走廊"])}


def test_curated_short_forms_of_tianjin_and_zhejiang_organisations():
    from policykg.graph_build.organizations import extract_organizations

    text = ("天津市人工智能行动方案(2025—2027年)\n二、重点任务\n(二)推动升级。支持中汽研建设行业大模型,"
            "鼓励超算天津中心共建平台,发挥海河实验室作用,支持浙江大华做大做强。\n")
    frag = extract_organizations(context(text, "o.txt"))
    got = {n.name: n.props["type"] for n in frag.nodes if n.label == "Organization"}
    assert got == {"中国汽车技术研究中心": "enterprise", "国家超级计算天津中心": "facility", "海河实验室": "lab",
                   "大华股份": "enterprise"}
