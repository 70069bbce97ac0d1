"""The faster forms of hot-path helpers give exactly what the plain forms they replaced gave."""
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.graph_build.agencies import AgencyResolver
from policykg.graph_build.clauses import _config, find_brackets
from policykg.graph_build.regions import default_index


def _prefix_by_scan(names, s):
    for name in names:  # longest first, as mention_names is ordered
        if s.startswith(name) and len(s) > len(name):
            return name
    return None


def test_mention_prefix_is_the_first_longest_name_of_a_scan():
    index = default_index()
    names = index.mention_names
    probes = []
    for n in names[::20]:
        probes += [n + "科技局", n, n[:-1], "市" + n, n + "市政府"]
    probes += ["", "市", "长沙市科技局", "深圳市", "湘江新区管委会", "粤港澳大湾区研究院"]
    for s in probes:
        assert index.mention_prefix(s) == _prefix_by_scan(names, s), s
    assert index.mention_prefix("长沙市科技局") == "长沙市"
    assert index.mention_prefix("长沙市") == "长沙"  # a name must leave something after it


def test_resolve_is_memoised_per_surface_and_scope():
    index = default_index()
    changsha = index.lookup("长沙市")
    r = AgencyResolver(changsha, 2021, index)
    a = r.resolve("市科技局")
    assert a is r.resolve("市科技局")
    assert (a.region.name, a.name) == ("长沙市", "科学技术局")
    scoped = r.resolve("发展改革委", index.lookup("深圳市"))
    assert (scoped.region.name, scoped.name) == ("深圳市", "发展和改革委员会")
    assert r.resolve("发展改革委").region.name == "长沙市"  # another scope is another entry
    assert r.resolve("建设平台") is None and r.resolve("建设平台") is None


def _brackets_by_loop(text, start, end):
    pairs = _config()[0]["brackets"]
    closers = set(pairs.values())
    out, stack = [], []
    for i in range(start, end):
        c = text[i]
        if c in pairs:
            stack.append((c, i))
        elif c in closers and stack:
            o, j = stack.pop()
            if pairs[o] != c:
                stack.clear()
                continue
            if not stack:
                out.append((j, i + 1))
        elif c == "\n":
            stack.clear()
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="()[]〔〕【】\n市局、a", max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_find_brackets_matches_the_character_loop(text, a, b):
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    assert find_brackets(text, start, end) == _brackets_by_loop(text, start, end)
