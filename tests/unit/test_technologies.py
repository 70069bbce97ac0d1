"""Technology vocabulary matching and ADDRESSES edges, with exact expected values."""
import pytest

from helpers import context, doc_from_text
from policykg.graph_build.model import DocContext, OutlineItem
from policykg.graph_build.technologies import VOCABULARY, TechVocabulary, extract_technologies


def _found(text):
    return [(text[m.start:m.end], m.key) for m in VOCABULARY.mentions(text)]


def test_longest_match_wins():
    assert _found("研发人工智能芯片和智能芯片") == [("人工智能芯片", "ai_chip"), ("智能芯片", "ai_chip")]
    assert _found("发展智能服务机器人、工业机器人与机器人") == [
        ("智能服务机器人", "service_robot"), ("工业机器人", "industrial_robot"), ("机器人", "robot")]
    assert _found("无人驾驶汽车和智能网联汽车") == [("无人驾驶汽车", "autonomous_driving"),
                                              ("智能网联汽车", "intelligent_connected_vehicle")]


def test_ascii_terms_are_whole_words_and_case_insensitive():
    assert _found("扩展现实(XR)终端、5g基站、人工智能代理(AI Agent)") == [
        ("扩展现实", "extended_reality"), ("XR", "extended_reality"), ("5g基站", "five_g"),
        ("人工智能代理", "ai_agent"), ("AI Agent", "ai_agent")]
    assert _found("MXR2 and XRAY") == []


def test_bare_artificial_intelligence_is_not_a_technology():
    assert _found("推动人工智能与实体经济融合") == []


def test_task_addresses_technology_at_the_innermost_item():
    text = ("深圳市人工智能行动计划\n"
            "一、主要任务\n"
            "(一)突破技术。发展计算机视觉、语音识别。\n"
            "1.攻关芯片。研制人工智能芯片,发展语音识别。\n")
    ctx = context(text)
    frag = extract_technologies(ctx)
    edges = sorted((e.source, e.target, tuple(text[s:x] for s, x in e.spans)) for e in frag.edges)
    assert edges == [
        ("task:t#一/一", "technology:computer_vision", ("计算机视觉",)),
        ("task:t#一/一", "technology:speech_recognition", ("语音识别",)),
        ("task:t#一/一/1", "technology:ai_chip", ("人工智能芯片",)),
        ("task:t#一/一/1", "technology:speech_recognition", ("语音识别",)),
    ]
    assert {e.type for e in frag.edges} == {"ADDRESSES"}
    nodes = {n.id: n for n in frag.nodes}
    assert sorted(nodes) == ["technology:ai_chip", "technology:computer_vision", "technology:speech_recognition"]
    n = nodes["technology:speech_recognition"]
    assert (n.name, n.props["en"], n.props["category"]) == ("语音识别", "speech recognition", "perception")
    assert [text[s:e] for s, e in n.spans] == ["语音识别", "语音识别"]


def test_traditional_text_and_hand_made_items():
    text = "計劃\n發展類腦智能與量子人工智能。\n"
    doc = doc_from_text(text)
    item = OutlineItem(("一",), 0, "cn", "發展類腦智能", 3, 3, len(text) - 1)
    frag = extract_technologies(DocContext(doc, (item,)))
    assert sorted((e.target, tuple(text[s:x] for s, x in e.spans)) for e in frag.edges) == [
        ("technology:brain_inspired_computing", ("類腦智能",)), ("technology:quantum_ai", ("量子人工智能",))]
    # a mention outside every outline item addresses no task
    frag = extract_technologies(DocContext(doc, ()))
    assert frag.edges == [] and [n.id for n in frag.nodes] == ["technology:brain_inspired_computing",
                                                                 "technology:quantum_ai"]


def test_vocabulary_covers_the_required_fields():
    keys = set(VOCABULARY.by_key)
    assert {"computer_vision", "speech_recognition", "nlp", "knowledge_graph", "machine_learning", "deep_learning",
            "ai_chip", "smart_sensor", "industrial_robot", "service_robot", "special_robot", "drone",
            "intelligent_connected_vehicle", "autonomous_driving", "large_model", "embodied_intelligence",
            "brain_inspired_computing", "quantum_ai", "edge_computing", "extended_reality", "digital_human",
            "ai_agent"} <= keys
    for t in VOCABULARY.by_key.values():
        assert t.name and t.en and t.category and t.synonyms


def test_a_synonym_of_two_technologies_is_refused():
    data = {"technologies": [{"key": "a", "name": "甲", "en": "a", "category": "c", "synonyms": ["同词"]},
                             {"key": "b", "name": "乙", "en": "b", "category": "c", "synonyms": ["同词"]}]}
    with pytest.raises(ValueError, match="同词"):
        TechVocabulary(data)
