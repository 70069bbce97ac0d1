"""Cited policies: document numbers, 《titles》, their pairing, issuers and kinds, one node across
documents, and what is not a cited policy — with exact expected values."""
from helpers import context

from policykg.graph_build.policies import extract_policies, inner_title, policy_kind, title_key

INTRO = ("根据国务院《新一代人工智能发展规划》(国发〔2017〕35号)、工业和信息化部《促进新一代人工智能产业发展三年行动计划"
         "(2018-2020年)》(工信部科〔2017〕315号)和《广东省新一代人工智能发展规划》(粤府〔2018〕64号)等政策措施,制定本行动计划。\n")


def cited(text: str, name: str = "t.txt") -> list[tuple]:
    return [(n.id, n.props["doc_number"], n.props["title"], n.props["issuer"], n.props["kind"])
            for n in extract_policies(context(text, name)).nodes]


def test_title_and_number_pairs_are_one_policy_each():
    text = "深圳市新一代人工智能发展行动计划(2019-2023年)\n" + INTRO
    assert cited(text) == [
        ("policy:国发〔2017〕35号", "国发〔2017〕35号", "新一代人工智能发展规划", "国务院", "plan"),
        ("policy:工信部科〔2017〕315号", "工信部科〔2017〕315号", "促进新一代人工智能产业发展三年行动计划(2018-2020年)",
         "工业和信息化部", "plan"),
        ("policy:粤府〔2018〕64号", "粤府〔2018〕64号", "广东省新一代人工智能发展规划", "广东省人民政府", "plan"),
    ]


def test_notice_title_is_the_policy_it_issues_and_names_its_issuer():
    text = "某市行动计划\n落实《国务院关于印发新一代人工智能发展规划的通知》(国发〔2017〕35号)和《关于印发<广东省新一代人工智能发展规划>重点任务分工方案的通知》(粤科函高字〔2019〕306号)。\n"
    assert cited(text) == [
        ("policy:国发〔2017〕35号", "国发〔2017〕35号", "新一代人工智能发展规划", "国务院", "plan"),
        ("policy:粤科函高字〔2019〕306号", "粤科函高字〔2019〕306号", "《广东省新一代人工智能发展规划》重点任务分工方案",
         "广东省科学技术厅", "plan"),
    ]


def test_same_policy_cited_by_two_documents_is_one_node_with_both_evidence():
    a = extract_policies(context("甲市行动计划\n依据《新一代人工智能发展规划》(国发〔2017〕35号)。\n", "a.txt"))
    b = extract_policies(context("乙市行动方案\n落实国发〔2017〕35号文件精神。\n", "b.txt"))
    c = extract_policies(context("丙市行动方案\n贯彻《新一代人工智能发展规划》。\n", "c.txt"))
    assert [n.id for n in a.nodes] == [n.id for n in b.nodes] == [n.id for n in c.nodes] == ["policy:国发〔2017〕35号"]
    assert [(e.source, e.target, e.type) for e in b.edges] == [("document:b", "policy:国发〔2017〕35号", "CITES")]
    assert b.nodes[0].props["title"] == "新一代人工智能发展规划"


def test_title_only_policy_keyed_on_its_normalised_title_with_kind():
    text = "某市行动方案\n(十六)完善支撑体系。落实《深圳經濟特區智能網聯汽車管理條例》,执行《中华人民共和国数据安全法》。\n"
    frag = extract_policies(context(text))
    assert [(n.id, n.name, n.props["kind"], n.props["doc_number"]) for n in frag.nodes] == [
        ("policy:深圳经济特区智能网联汽车管理条例", "深圳经济特区智能网联汽车管理条例", "regulation", None),
        ("policy:中华人民共和国数据安全法", "中华人民共和国数据安全法", "law", None)]
    s, e = frag.nodes[0].spans[0]
    assert text[s:e] == "《深圳經濟特區智能網聯汽車管理條例》"


def test_repeated_citation_is_one_node_with_every_span():
    text = "某市行动方案\n落实《新一代人工智能发展规划》。\n再次落实《新一代人工智能发展规划》。\n"
    frag = extract_policies(context(text))
    assert len(frag.nodes) == 1 and len(frag.nodes[0].spans) == 2 and len(frag.edges[0].spans) == 2


def test_not_cited_policies():
    text = ("中山市加快新一代人工智能发展行动计划(2019-2021年)(征求意见稿)\n"
            "粤府〔2019〕12号\n"
            "我局起草了《中山市加快新一代人工智能发展行动计划(2019-2021年)(征求意见稿)》(简称“征求意见稿”),现特将《征求意见稿》发给你们。"
            "在《人民日报》刊登。现将《某市人工智能产业扶持办法》印发给你们。\n")
    assert cited(text) == []


def test_title_helpers():
    assert inner_title("国务院关于印发新一代人工智能发展规划的通知") == "新一代人工智能发展规划"
    assert title_key("国务院关于积极推进“互联网+”行动的指导意见") == title_key("关于积极推进“互联网+”行动的指导意见")
    assert [policy_kind(t) for t in ("数据安全法", "管理办法(试行)", "发展规划(2018-2020年)", "指导意见", "人民日报")] == [
        "law", "regulation", "plan", "opinion", None]
