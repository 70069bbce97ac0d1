"""Funding rules: share, cap, fixed and one-off amounts, eligibility thresholds, programme names and
FUNDS edges — on small fixtures with exact expected values."""
from helpers import context

from policykg.graph_build.funding import extract_funding, find_funding

HEAD = "某市人工智能发展行动方案\n一、主要任务\n"


def rules(text: str) -> list[dict]:
    return [n.props for n in extract_funding(context(text)).nodes]


def summary(text: str) -> list[tuple]:
    return [(p["program"], p["share_max"], p["cap_value"], p["cap_unit"], p["amount_type"]) for p in rules(text)]


def test_share_with_cap_and_named_programme():
    text = HEAD + "(九)深化数据治理。实施大数据产业链关键环节提升计划,对符合条件的项目给予不超过项目总投入的50%、最高1000万元资助。\n"
    assert summary(text) == [("大数据产业链关键环节提升计划", 50, 1000, "万元", "share_with_cap")]
    assert rules(text)[0]["share_unit"] == "%"


def test_one_off_fixed_award_named_by_its_beneficiary():
    text = HEAD + "(十七)推进产业集聚。鼓励各区打造人工智能产业园,对市级人工智能方向软件名园给予一次性200万元奖励。\n"
    assert summary(text) == [("市级人工智能方向软件名园奖励", None, 200, "万元", "one_off_fixed")]


def test_fixed_amount_per_unit():
    text = HEAD + "4.支持开放创新平台建设。出台政策支持平台建设,每年支持10个,每个平台给予100万元的项目经费资助。\n"
    props = rules(text)
    assert summary(text) == [("支持开放创新平台建设项目经费资助", None, 100, "万元", "fixed")]
    assert props[0]["per"] == "每个平台"


def test_share_then_cap_in_the_next_clause_is_one_rule():
    text = HEAD + "1.强化攻关。对获批的项目按国家资助额的30%给予配套支持,最高不超过500万元。\n"
    assert [(p["share_max"], p["cap_value"], p["amount_type"]) for p in rules(text)] == [(30, 500, "share_with_cap")]


def test_two_rules_in_one_sentence():
    text = HEAD + "1.支持创新平台。对新认定的国家级平台给予最高500万元奖励,对省级平台给予最高200万元奖励。\n"
    assert [(p["program"], p["cap_value"]) for p in rules(text)] == [("新认定的国家级平台奖励", 500), ("省级平台奖励", 200)]


def test_eligibility_thresholds_and_unstated_share():
    text = (HEAD + "4.支持平台。对软硬件投入达到500万元(含)以上,且用户数不低于20家的企业或机构,"
            "经认定后按平台软件和硬件设备投资额给予一定比例的奖励。\n")
    props = rules(text)
    assert [(p["amount_type"], p["cap_value"], p["eligibility"]) for p in props] == [
        ("share_unspecified", None, ["软硬件投入>500万元", "用户数>=20家"])]


def test_sentences_without_amounts_or_shares_are_not_rules():
    text = HEAD + "1.加大支持。对重点项目给予政策支持,鼓励企业加大投入。\n"
    assert rules(text) == []


def test_funds_edge_to_the_task_and_evidence_in_original_text():
    text = "深圳市行動方案\n一、數據\n(九)深化數據治理。實施大數據產業鏈關鍵環節提升計劃,對符合條件的項目給予不超過項目總投入的50%、最高1000萬元資助。\n"
    ctx = context(text, "d.txt")
    frag = extract_funding(ctx)
    start = text.index("50%")
    assert [n.id for n in frag.nodes] == [f"funding:d@{start}"]
    node = frag.nodes[0]
    assert node.name == "大数据产业链关键环节提升计划" and node.props["doc"] == "d"
    s, e = node.spans[0]
    assert text[s:e] == "實施大數據產業鏈關鍵環節提升計劃,對符合條件的項目給予不超過項目總投入的50%、最高1000萬元資助"
    assert [(e.source, e.target, e.type) for e in frag.edges] == [(f"funding:d@{start}", "task:d#一/九", "FUNDS")]


def test_find_funding_records_amount_quantities():
    recs = find_funding(context(HEAD + "1.奖励。给予一次性200万元奖励。\n"))
    assert [(r.cap_value, [q.unit for q in r.amounts]) for r in recs] == [(200, ["万元"])]
