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


# ---- exports: the streamed writers give the bytes of json.dumps(indent=1) and of networkx's GraphML

def _graphml_by_networkx(contract) -> bytes:
    import io

    import networkx as nx

    from policykg.graph_build.export import flat_graph

    buf = io.BytesIO()
    nx.write_graphml(flat_graph(contract), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def test_exports_of_the_sample_graph_are_byte_identical_to_the_library_writers(sample_build, tmp_path):
    import json

    from policykg.graph_build.export import dumps_contract, write_graphml, write_json

    _, contract = sample_build
    assert dumps_contract(contract) == json.dumps(contract, ensure_ascii=False, indent=1) + "\n"
    write_json(contract, tmp_path / "g.json")
    assert (tmp_path / "g.json").read_text("utf-8") == json.dumps(contract, ensure_ascii=False, indent=1) + "\n"
    write_graphml(contract, tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_bytes() == _graphml_by_networkx(contract)


_odd_text = st.text(alphabet=st.sampled_from(list("市局a&<>\"'\n\t\r 、") + ["\x0c", "\u2028", "😀", "\\"]), max_size=12)
_value = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                   st.floats(allow_nan=True, allow_infinity=True), _odd_text)


@settings(max_examples=60, deadline=None)
@given(node_specs=st.lists(st.tuples(_odd_text, _odd_text, st.dictionaries(st.sampled_from(["region", "level", "aliases", "x", "year"]),
                                                                _value | st.lists(_odd_text, max_size=3), max_size=4)),
                min_size=1, max_size=4, unique_by=lambda t: t[0]),
       edge_specs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from(["LEADS", "SUPPORTS", "A&B"]),
                          _value), max_size=6))
def test_streamed_exports_match_the_library_writers_on_odd_values(node_specs, edge_specs, tmp_path_factory):
    import json

    from policykg.graph_build.export import dumps_contract, write_graphml

    nodes = [{"id": nid, "label": "Agency", "name": name, "props": props,
              "evidence": [{"doc": "d", "start": 1, "end": 2, "text": name}]} for nid, name, props in node_specs]
    edges, seen = [], set()
    for s, t, typ, v in edge_specs:
        src, dst = nodes[s % len(nodes)]["id"], nodes[t % len(nodes)]["id"]
        if (src, dst, typ) not in seen:
            seen.add((src, dst, typ))
            edges.append({"source": src, "target": dst, "type": typ, "props": {"v": v}, "evidence": []})
    contract = {"schema_version": 1, "documents": [], "nodes": nodes, "edges": edges}
    assert dumps_contract(contract) == json.dumps(contract, ensure_ascii=False, indent=1) + "\n"
    out = tmp_path_factory.mktemp("g") / "g.graphml"
    try:
        expected = _graphml_by_networkx(contract)
    except (ValueError, TypeError) as exc:  # characters or types XML cannot hold: the same error
        import pytest

        with pytest.raises(type(exc)):
            write_graphml(contract, out)
        return
    write_graphml(contract, out)
    assert out.read_bytes() == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(min_codepoint=0xFF00, max_codepoint=0xFF65),
                                  st.sampled_from(list("\u3000\u00a0\u2002\u2003\u3014\ufe50\ufe51\ufe52\ufe54\ufe55\ufe59\ufe5a市a, ")))))
def test_fold_width_replaces_exactly_what_the_translate_table_maps(text):
    from policykg.graph_build.textnorm import _FOLD_TABLE, fold_width

    assert fold_width(text) == text.translate(_FOLD_TABLE)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["统筹协调", "负责协调", "牵头协调", "协调各有关部门", "协调各相关部门", "统筹推进", "协调",
                                 "统筹", "市科技局", "领导小组", "各", "a", ",", "\n", "市", "工信局" * 3]), max_size=30))
def test_coordination_matches_are_the_regex_matches(parts):
    from policykg.graph_build.actors import _COORD, coordination_matches

    text = "".join(parts)
    assert [m.span(1) + m.span() for m in coordination_matches(text)] == [m.span(1) + m.span() for m in _COORD.finditer(text)]


# ---- assembly: the compact store merges as the plain sequential merge of readable records did

def _reference_merge(results):
    """The merge as it was written first: every record, in order, into a networkx graph; props by
    _merge_props, a record's evidence added where its (doc, start, end) is not there yet."""
    import networkx as nx

    from policykg.graph_build.assemble import _merge_props

    g, documents, dangling = nx.MultiDiGraph(), {}, 0

    def union(old, new):
        have = {(e["doc"], e["start"], e["end"]) for e in old}
        for e in new:
            if (e["doc"], e["start"], e["end"]) not in have:
                have.add((e["doc"], e["start"], e["end"]))
                old.append(e)
        return old

    for result in results:
        documents[result.document["id"]] = result.document
        for n in result.nodes:
            if n["id"] in g:
                a = g.nodes[n["id"]]
                _merge_props(a["props"], dict(n["props"]))
                union(a["evidence"], n["evidence"])
            else:
                g.add_node(n["id"], label=n["label"], name=n["name"], props=dict(n["props"]), evidence=union([], n["evidence"]))
        for e in result.edges:
            if e["source"] not in g or e["target"] not in g:
                dangling += 1
                continue
            if g.has_edge(e["source"], e["target"], e["type"]):
                a = g.edges[e["source"], e["target"], e["type"]]
                _merge_props(a["props"], dict(e["props"]))
                union(a["evidence"], e["evidence"])
            else:
                g.add_edge(e["source"], e["target"], key=e["type"], type=e["type"], props=dict(e["props"]),
                           evidence=union([], e["evidence"]))
    return g, documents, dangling


_prop_value = st.one_of(st.none(), st.integers(0, 2), st.booleans(), st.sampled_from(["p", "q", 0.0, -0.0]),
                        st.lists(st.sampled_from(["x", "y", "z"]), max_size=3))
_props = st.builds(lambda d, aliases: d if aliases is None else {**d, "aliases": aliases},
                   st.dictionaries(st.sampled_from(["kind", "x"]), _prop_value, max_size=2),
                   st.none() | st.lists(st.sampled_from(["y", "x", "市局"]), max_size=3))
_record = st.tuples(st.integers(0, 3), _props, st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), max_size=3))


@settings(max_examples=150, deadline=None)
@given(docs=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.lists(_record, max_size=6),
                               st.lists(_record, max_size=6), st.booleans(), st.booleans()), max_size=5))
def test_store_merge_matches_the_sequential_merge(docs, tmp_path_factory):
    """Documents added once or again, compact (spans of the text) or readable (evidence dicts, some
    citing another document): the same graph, contract, graph.json and GraphML."""
    import json

    from policykg.graph_build.assemble import DocResult, GraphStore, doc_records, to_contract
    from policykg.graph_build.export import dumps_contract, iter_store_json, write_graphml, write_store_graphml

    texts = {d: d * 3 + "市科技局&<>\"" for d in "abc"}
    store, readable = GraphStore(), []
    for doc, node_specs, edge_specs, compact, foreign in docs:
        text = texts[doc]
        ev = lambda spans: [{"doc": doc, "start": s, "end": s + n, "text": text[s:s + n]} for s, n in sorted(set(spans))]
        nodes = [{"id": f"n{i}", "label": "L", "name": f"n{i}", "props": props, "evidence": ev(spans)}
                 for i, props, spans in node_specs]
        edges = [{"source": f"n{i}", "target": f"n{(i + 1) % 4}", "type": "T" if i % 2 else "S", "props": props,
                  "evidence": ev(spans)} for i, props, spans in edge_specs]
        if foreign and nodes:
            nodes[0]["evidence"].append({"doc": "zz", "start": 0, "end": 1, "text": "y"})
            compact = False
        result = DocResult({"id": doc}, nodes, edges)
        readable.append(result)
        if compact:
            spans = lambda r: [(e["start"], e["end"]) for e in r["evidence"]]
            store.add(doc_records({"id": doc}, text, [(n["id"], n["label"], n["name"], n["props"], spans(n)) for n in nodes],
                                  [(e["source"], e["target"], e["type"], e["props"], spans(e)) for e in edges]))
        else:
            store.add_readable(result)
    g, documents, dangling = _reference_merge(readable)
    got = store.graph()
    assert list(got.nodes(data=True)) == list(g.nodes(data=True))  # evidence order too
    assert list(got.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))
    assert store.dangling == dangling
    contract = to_contract(g, documents)
    assert store.contract() == contract
    assert json.loads(dumps_contract(contract)) == contract
    assert "".join(iter_store_json(store)) == dumps_contract(contract)
    out = tmp_path_factory.mktemp("g")
    write_graphml(contract, out / "a.graphml")
    write_store_graphml(store, out / "b.graphml")
    assert (out / "a.graphml").read_bytes() == (out / "b.graphml").read_bytes()


def test_store_exports_of_the_sample_graph_are_the_contract_exports(sample_build, tmp_path):
    from policykg.graph_build.export import dumps_contract, iter_store_json, write_graphml, write_store_graphml

    result, contract = sample_build
    assert "".join(iter_store_json(result.store)) == dumps_contract(contract)
    write_graphml(contract, tmp_path / "a.graphml")
    write_store_graphml(result.store, tmp_path / "b.graphml")
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()


def test_exports_written_in_two_processes_are_the_same_files(sample_build, tmp_path):
    from policykg.graph_build.export import write_store_exports

    result, _ = sample_build
    write_store_exports(result.store, tmp_path / "a.graphml", tmp_path / "a.json", parallel=False)
    write_store_exports(result.store, tmp_path / "b.graphml", tmp_path / "b.json", parallel=True)
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()


def test_a_failed_graphml_writer_fails_the_export_and_leaves_no_graph_json(sample_build, tmp_path):
    import pytest

    from policykg.errors import PolicyKGError
    from policykg.graph_build.export import write_store_exports

    result, _ = sample_build
    (tmp_path / "graph.graphml").mkdir()  # the GraphML cannot be renamed into place
    with pytest.raises(PolicyKGError, match="graph.graphml: writing failed"):
        write_store_exports(result.store, tmp_path / "graph.graphml", tmp_path / "graph.json", parallel=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.graphml"]
