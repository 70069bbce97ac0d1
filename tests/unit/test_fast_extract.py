"""The faster forms of extraction helpers give exactly what the plain forms they replaced gave."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.graph_build.ingest import _control_share
from policykg.graph_build.policies import _numbers, _patterns


def _control_share_by_loop(text):
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\t\f\v") or ord(c) == 0xFFFD)
    return bad / max(1, len(sample))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=40), st.sampled_from("\ufffd\ufffc\x7f中文 ")), max_size=80))
def test_control_share_counts_what_the_character_loop_counts(text):
    assert _control_share(text) == _control_share_by_loop(text)


def test_control_share_over_every_character():
    every = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i < 0xE000)
    assert _control_share(every) == _control_share_by_loop(every) > 0


_piece = st.tuples(
    st.text(alphabet="国发办文号令", max_size=15), st.sampled_from(["", " ", "\n", "  ", "x"]), st.sampled_from("〔[【("),
    st.sampled_from(["", " "]), st.sampled_from(["2019", "2001", "1899", "20"]), st.sampled_from(["", " "]),
    st.sampled_from("〕]】)"), st.sampled_from(["", " "]), st.sampled_from(["1", "35", "12345", ""]),
    st.sampled_from(["号", "", " 号"])).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_piece, st.sampled_from(["号", "文", "a", " ", "\n", "国务院办公厅关于印发"])), max_size=6).map("".join))
def test_document_numbers_are_the_pattern_matches(text):
    rx = _patterns()["number"]
    assert [(m.span(), m.groups()) for m in _numbers(text)] == [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_document_numbers_found_in_running_text():
    text = "根据国发〔2017〕35号文件和国办发〔2018〕1号，落实粤府办 [2019] 12 号。" + "字" * 20 + "(2020)3号"
    got = [m.group(0) for m in _numbers(text)]
    assert got == [m.group(0) for m in _patterns()["number"].finditer(text)]
    assert got[:2] == ["根据国发〔2017〕35号", "文件和国办发〔2018〕1号"] and len(got) == 4
    assert re.fullmatch(r"字{12}\(2020\)3号", got[3])


def test_region_names_in_a_title_are_those_a_scan_finds():
    from policykg.graph_build.regions import default_index

    index = default_index()
    names = index.mention_names
    titles = ["", "深圳市南山区关于加快人工智能发展的若干措施", "长沙市长沙县行动计划", "广东省、湖南省与北京联合方案",
              "关于印发重庆两江新区人工智能规划的通知", "内蒙古自治区呼和浩特市赛罕区实施意见"]
    titles += [names[i] + names[i + 7] + "发展规划" for i in range(0, len(names) - 7, 97)]
    for t in titles:
        assert index.names_in(t) == sorted(n for n in names if n in t), t
    assert "长沙县" in index.names_in(titles[2]) and "长沙市" in index.names_in(titles[2])


_word = st.text(alphabet="abcdе中国", min_size=1, max_size=5)


@settings(max_examples=500, deadline=None)
@given(st.lists(_word, min_size=1, max_size=12), st.text(alphabet="abcdefxyе中国人\x00\x01 \n", max_size=60))
def test_matcher_gives_the_plain_automaton_matches(words, text):
    from policykg.graph_build.names import Matcher, automaton

    pairs = [(w, i) for i, w in enumerate(words)]
    plain, fast = automaton(pairs), Matcher(pairs)
    assert list(fast.iter_long(text)) == list(plain.iter_long(text))
    assert sorted(fast.iter(text)) == sorted(plain.iter(text))


def test_matcher_on_region_names_over_running_text():
    from policykg.graph_build.names import Matcher, automaton
    from policykg.graph_build.regions import default_index

    pairs = [(n, n) for n in default_index().mention_names]
    plain, fast = automaton(pairs), Matcher(pairs)
    text = "广东省深圳市南山区与长沙县、长沙市,湖南湘江新区;北京市海淀区中关村。2023年内蒙古自治区呼和浩特市\n重庆两江新区" * 3
    got = list(fast.iter_long(text))
    assert got == list(plain.iter_long(text)) and len(got) > 20


_year_text = st.lists(st.sampled_from(["到", "至", "力争到", "力争", "争取到", "争取", "截至", "于", "力", " ", "\n", "2020",
                                       "1999", "2", "二〇二五", "二零", "年", "底", "末", "度", "前", "以前", "x"]),
                      max_size=14).map("".join)


@settings(max_examples=500, deadline=None)
@given(_year_text)
def test_year_matches_are_the_pattern_matches(text):
    from policykg.graph_build.quantities import _YEAR, _year_matches

    assert [(m.span(), m.groups()) for m in _year_matches(text)] == [(m.span(), m.groups()) for m in _YEAR.finditer(text)]
