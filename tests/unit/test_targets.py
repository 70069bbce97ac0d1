"""Quantitative goals: values, units, comparators, years in force, baselines and funding kept out,
SETS edges and evidence — on small fixtures with exact expected values."""
from helpers import context

from policykg.graph_build.quantities import find_quantities, parse_number
from policykg.graph_build.targets import extract_targets, find_targets

HEAD = "某市人工智能产业发展行动计划(2021-2025年)\n"


def goals(text: str, name: str = "t.txt") -> list[tuple]:
    """(year, value, unit, op) of every target, in text order."""
    return [(t.year, t.value, t.unit, t.op) for t in find_targets(context(text, name))]


# ---- values, units, comparators ----

def test_comparators_from_words_before_and_after():
    text = HEAD + "二、发展目标\n到2023年,新建10家以上创新载体,核心产业规模突破100亿元,带动相关产业规模达到3000亿元,培育10家龙头企业,年均增速不低于10%,开放创新平台达30个,培育3个或以上示范项目。\n"
    assert goals(text) == [(2023, 10, "家", ">"), (2023, 100, "亿元", ">"), (2023, 3000, "亿元", ">="),
                           (2023, 10, "家", "="), (2023, 10, "%", ">="), (2023, 30, "个", ">="),
                           (2023, 3, "个", ">")]


def test_ranges():
    text = HEAD + "二、发展目标\n到2023年,引进培育3-5个国际顶级团队、5-10家研究机构,争取建立1~2个国家级平台,打造2至3个产业集群。\n"
    assert goals(text) == [(2023, [3, 5], "个", "range"), (2023, [5, 10], "家", "range"),
                           (2023, [1, 2], "个", "range"), (2023, [2, 3], "个", "range")]


def test_multipliers_and_chinese_numerals():
    text = (HEAD + "二、发展目标\n到2025年,培养相关专业人才2万人以上,带动相关产业规模超万亿元,"
            "打造1千万亿字节(PB)多模态中文语料数据库,制定百项以上标准,建成十个示范基地。\n")
    assert goals(text) == [(2025, 2, "万人", ">"), (2025, 1, "万亿元", ">"), (2025, 1, "千万亿字节", "="),
                           (2025, 100, "项", ">"), (2025, 10, "个", "=")]


def test_descriptive_chinese_numerals_are_not_goals():
    text = HEAD + "一、主要任务\n1.加强基础研究。在理论和应用两个层面组织实施专项,坚持三位一体发展,让智能产品走进千家万户,召开党的十九大。\n"
    assert goals(text) == []


def test_compute_units_and_percentages():
    text = (HEAD + "一、主要任务\n(一)建设算力。到2024年算力规模达4000P FLOPS,智算中心算力达到2000P,"
            "数字经济增加值年均增长15%以上,研发投入强度达3.5%。\n")
    assert goals(text) == [(2024, 4000, "P FLOPS", ">="), (2024, 2000, "P", ">="), (2024, 15, "%", ">"),
                           (2024, 3.5, "%", ">=")]


def test_parse_number_forms():
    assert [parse_number(s) for s in ("1,000", "11.02", "百", "两千五百", "十二", "3.0")] == [1000, 11.02, 100, 2500, 12, 3]


def test_quantity_reads_unit_as_written_with_its_multiplier():
    qs = find_quantities("规模达到1.5万亿元,人才5000-1万人,100余家企业")
    assert [(q.value, q.unit, q.op_after, q.approx) for q in qs] == [
        (1.5, "万亿元", None, False), ([0.5, 1.0], "万人", None, False), (100, "家", None, True)]


def test_numbers_that_are_not_quantities():
    text = HEAD + "一、主要任务\n1.推进5G网络。打造“2048程序员社区”,依托人才新政22条,位居全国第3位,用30个工作日完成。\n"
    assert goals(text) == []


# ---- years in force ----

def test_year_from_sentence_and_deadline_forms():
    text = (HEAD + "一、主要任务\n(一)建设算力。2024年年底前调度规模达30000P FLOPS。"
            "到2023年,建成5个平台。力争2022年底前建成8个基地。\n")
    assert [(g[0], g[1]) for g in goals(text)] == [(2024, 30000), (2023, 5), (2022, 8)]


def test_year_from_earlier_sentence_of_the_same_paragraph():
    text = HEAD + "二、发展目标\n到2022年,产业取得突破。新建10家创新载体。\n到2024年,生态基本形成。建成20家创新载体。\n"
    assert goals(text) == [(2022, 10, "家", "="), (2024, 20, "家", "=")]


def test_year_from_goals_heading_intro():
    text = ("长沙市人工智能行动计划\n二、建设目标\n到2023年,实现人工智能总体发展水平全国领先。\n"
            "(一)建成10个智慧工厂。\n(二)培育10家以上领军企业。\n三、重点任务\n(一)推进应用\n1.建设5个示范场景。\n")
    assert goals(text) == [(2023, 10, "个", "="), (2023, 10, "家", ">"), (None, 5, "个", "=")]


def test_year_from_plan_period_in_title():
    text = HEAD + "一、主要任务\n(一)培育企业。引进或培育3家或以上应用服务企业。\n"
    targets = find_targets(context(text))
    assert [(t.year, t.year_from) for t in targets] == [(2025, "period")]


def test_annual_quota_has_no_year():
    text = HEAD + "一、主要任务\n4.支持平台建设。每年支持10个开放创新平台。\n"
    targets = find_targets(context(text))
    assert [(t.year, t.value, t.annual) for t in targets] == [(None, 10, True)]
    node = extract_targets(context(text)).nodes[0]
    assert node.props["period"] == "annual" and node.props["year"] is None


def test_reference_year_is_not_the_deadline():
    text = HEAD + "一、主要任务\n(一)做大产业。产业规模比2020年增长1倍。\n"
    assert goals(text) == [(2025, 1, "倍", "=")]


def test_plan_period_in_a_sentence_is_not_a_year():
    text = "某市行动计划\n一、主要任务\n(一)落实规划。落实《三年行动计划(2018-2020年)》,在2018-2020年间建成3个平台。\n"
    assert goals(text) == [(None, 3, "个", "=")]


# ---- baselines and funding are not targets ----

def test_baseline_facts_are_not_targets():
    text = (HEAD + "二、主要任务\n(一)夯实基础。全市已建成10个创新平台,目前有人工智能企业300家,"
            "支持现有11个省级产业园提质增效,2021年工业机器人产量为11.02万套,同比增长56.5%,拥有人工智能企业超1500家。"
            "新建20个创新平台。\n")
    assert goals(text) == [(2025, 20, "个", "=")]


def test_numbers_in_a_baseline_section_are_facts():
    text = (HEAD + "一、发展基础\n产业加快集聚发展,培育11个省级人工智能产业园,打造7家国家开放创新平台。\n"
            "二、发展目标\n到2025年,培育40家以上龙头企业。\n")
    assert goals(text) == [(2025, 40, "家", ">")]


def test_a_deadline_makes_weak_baseline_words_goals():
    text = HEAD + "二、发展目标\n到2025年,全市拥有高新技术企业1000家,每万人口发明专利拥有量达到80件。\n"
    assert goals(text) == [(2025, 1000, "家", "="), (2025, 80, "件", ">=")]


def test_funding_amounts_and_eligibility_thresholds_are_not_targets():
    text = (HEAD + "一、主要任务\n(九)深化数据治理。实施大数据产业链提升计划,对符合条件的项目给予不超过项目总投入的50%、最高1000万元资助。"
            "对软硬件投入达到500万元(含)以上,且用户数不低于20家的企业或机构,经认定后给予一定比例的奖励。"
            "出台政策支持平台建设,每年支持10个,每个平台给予100万元的项目经费资助。\n")
    targets = find_targets(context(text))
    assert [(t.year, t.value, t.unit, t.op, t.annual) for t in targets] == [(None, 10, "个", "=", True)]


def test_hard_wrapped_condition_still_belongs_to_its_funding_rule():
    text = (HEAD + "一、主要任务\n(一)支持平台。加快推动开源开放基础平台建设,对软硬件投入达到500万元(含)以上,且用户数不低于20家的企业或机\n"
            "构,经认定后按投资额给予一定比例的奖励。\n")
    assert goals(text) == []


# ---- graph records ----

def test_target_nodes_sets_edges_and_evidence():
    text = HEAD + "建设10个示范区。\n一、主要任务\n(一)培育企业\n1.做强龙头。培育20家以上龙头企业。\n"
    ctx = context(text, "doc1.txt")
    frag = extract_targets(ctx)
    start = text.index("10个")
    start2 = text.index("20家")
    assert [n.id for n in frag.nodes] == [f"target:doc1@{start}", f"target:doc1@{start2}"]
    second = frag.nodes[1]
    assert second.label == "Target" and second.name == "培育龙头企业"
    assert {k: second.props[k] for k in ("year", "value", "unit", "op", "metric", "doc")} == {
        "year": 2025, "value": 20, "unit": "家", "op": ">", "metric": "培育龙头企业", "doc": "doc1"}
    s, e = second.spans[0]
    assert text[s:e] == "培育20家以上龙头企业"
    assert [(e.source, e.target, e.type) for e in frag.edges] == [
        ("document:doc1", f"target:doc1@{start}", "SETS"), ("task:doc1#一/一/1", f"target:doc1@{start2}", "SETS")]


def test_traditional_text_gives_simplified_metric_and_original_evidence():
    text = "深圳市加快打造人工智能先鋒城市行動方案\n一、構建生態\n(一)構建算力體系。2024年建成並投入運營算力規模達4000P FLOPS(每秒浮點運算次數)。形成2個行業大模型。\n"
    frag = extract_targets(context(text))
    assert [(n.props["year"], n.props["value"], n.props["unit"], n.props["op"], n.name) for n in frag.nodes] == [
        (2024, 4000, "P FLOPS", ">=", "建成并投入运营算力规模"), (None, 2, "个", "=", "形成行业大模型")]
    s, e = frag.nodes[0].spans[0]
    assert text[s:e] == "建成並投入運營算力規模達4000P FLOPS"


def test_sentences_opening_on_the_current_state_are_facts():
    text = (HEAD + "二、发展目标\n到2024年,产业营业收入超过3000亿元。\n截至2021年底,全市人工智能企业达到1200家,实现营业收入1500亿元。"
            "2018年以来,全市新增企业300家。近三年累计投入财政资金20亿元。\n附件:重点项目清单(共35项)\n")
    assert goals(text) == [(2024, 3000, "亿元", ">")]


def test_a_size_describing_what_is_counted_is_not_a_goal():
    text = HEAD + "二、发展目标\n到2025年,培育5家以上营收超10亿元的龙头企业,年产值超过10亿元的企业达到50家,50%以上的企业实现数字化转型。\n"
    assert goals(text) == [(2025, 5, "家", ">"), (2025, 50, "家", ">="), (2025, 50, "%", ">")]


def test_spaced_text_and_descriptions():
    text = ("某省行动方案\n二、发展目标\n到 2027 年,率先实现人工智能与 6 大重点领域广泛深度融合,应用普及率超 70%。"
            "人工智能产业链确定为我省19条标志性产业链之一。\n")
    assert goals(text) == [(2027, 70, "%", ">")]


def test_chinese_numeral_year_and_baseline_headings():
    text = ("某市科技创新规划\n一、现实基础\n(一)“十三五”科技创新发展成就\n全市R&D活动人员数从5758名增至6006名,人才总量达到12.69万人。\n"
            "二、发展目标\n到二〇三五年,高新技术企业达到3000家。\n三、保障措施\n(四)营造良好发展环境\n1.引进人才。引进高层次人才100名。\n")
    assert goals(text) == [(2035, 3000, "家", ">="), (None, 100, "名", "=")]


def test_sample_corpus_edges_resolve_against_the_backbone(corpus_dir):
    """Every SETS/FUNDS/CITES edge of the sample documents points at a node the backbone or the
    extractor itself creates (nothing dangles when the lead wires the extractors in)."""
    from policykg.graph_build.funding import extract_funding
    from policykg.graph_build.ingest import read_document
    from policykg.graph_build.model import DocContext
    from policykg.graph_build.outline import parse_outline
    from policykg.graph_build.policies import extract_policies
    from policykg.graph_build.responsibility import extract_backbone

    counts = {"SETS": 0, "FUNDS": 0, "CITES": 0}
    for path in sorted(corpus_dir.glob("*.txt")):
        doc = read_document(path)
        ctx = DocContext(doc, parse_outline(doc))
        ids = {n.id for n in extract_backbone(ctx).nodes}
        for extract in (extract_targets, extract_funding, extract_policies):
            frag = extract(ctx)
            own = {n.id for n in frag.nodes}
            for e in frag.edges:
                assert e.source in ids | own and e.target in ids | own, e
                counts[e.type] += 1
            for n in frag.nodes:
                assert n.spans and all(0 <= s < t <= len(doc.text) for s, t in n.spans)
    assert counts["SETS"] > 0 and counts["FUNDS"] > 0 and counts["CITES"] > 0


def test_sizes_before_a_count_and_mixed_case_compute_units():
    text = HEAD + "二、发展目标\n到2026年,培育营收超百亿元企业3家、超十亿元企业20家,智能算力规模达到3000PFlops。产值1000亿元,企业500家。\n"
    assert goals(text) == [(2026, 3, "家", "="), (2026, 20, "家", "="), (2026, 3000, "PFlops", ">="),
                           (2026, 1000, "亿元", "="), (2026, 500, "家", "=")]


def test_conditions_without_funding_are_not_targets():
    text = HEAD + "一、主要任务\n(一)保障用地。对总投资1亿元以上的项目,优先保障用地。对接100家以上企业需求。\n"
    assert goals(text) == [(2025, 100, "家", ">")]


def test_range_values_share_one_number_type():
    (q,) = find_quantities("人才5000-1万人")
    assert q.value == [0.5, 1.0] and all(isinstance(v, float) for v in q.value)
