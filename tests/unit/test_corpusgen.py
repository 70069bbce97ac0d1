"""The benchmark corpus generator: deterministic for a seed, a mix of scripts and encodings, and
documents the pipeline reads the way they were written (every clause written is a task with a lead)."""
from collections import Counter
from pathlib import Path

import pytest

from policykg.cli import main
from policykg.graph_build.corpusgen import cn_number, generate_corpus, generate_document
from policykg.graph_build.ingest import read_document
from policykg.graph_build.pipeline import build_corpus

SEED = 141  # its first five documents hold traditional script, GB18030 and a UTF-8 BOM


def _files(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def test_cn_number_writes_outline_markers():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23, 99)] == ["一", "九", "十", "十一", "二十", "二十三", "九十九"]


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    a = generate_corpus(5, tmp_path / "a", seed=SEED)
    b = generate_corpus(5, tmp_path / "b", seed=SEED)
    c = generate_corpus(5, tmp_path / "c", seed=SEED + 1)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert a == b
    assert not set(_files(tmp_path / "a").values()) & set(_files(tmp_path / "c").values())
    # document i depends only on (seed, i): a smaller corpus is the start of a larger one
    assert generate_document(SEED, 3).data == _files(tmp_path / "a")[generate_document(SEED, 3).name]


def test_corpus_mixes_scripts_and_encodings(tmp_path):
    s = generate_corpus(5, tmp_path, seed=SEED)
    assert s.documents == 5
    assert s.scripts == {"traditional": 1, "simplified": 4}
    assert s.encodings == {"gb18030": 2, "utf-8": 3}
    assert s.bytes == sum(len(b) for b in _files(tmp_path).values())


def test_generated_documents_build_and_every_clause_gives_a_lead(tmp_path):
    generate_corpus(5, tmp_path, seed=SEED)
    result = build_corpus([tmp_path])
    assert result.failures == []
    assert len(result.documents) == 5
    led = {task for _, task, data in result.graph.edges(data=True) if data["type"] == "LEADS"}
    per_doc = Counter(t.split(":", 1)[1].split("#")[0] for t in led)
    for i in range(5):
        g = generate_document(SEED, i)
        doc_id = g.name.removesuffix(".txt")
        assert per_doc[doc_id] == g.clauses, doc_id
        # the file decodes to the text that was written (line ends as Python's text mode reads them)
        doc = read_document(tmp_path / g.name)
        assert doc.text == g.data.decode(g.encoding).replace("\r\n", "\n")
        assert len(doc.text) == g.chars
    agencies = {a["props"]["region"] for _, a in result.graph.nodes(data=True) if a["label"] == "Agency"}
    assert len(agencies) >= 3  # agencies of several regions, not one plan repeated


def test_gen_corpus_command_refuses_a_folder_with_other_files(tmp_path, capsys):
    out = tmp_path / "corpus"
    assert main(["gen-corpus", "3", "--out", str(out), "--seed", "2", "--no-progress"]) == 0
    assert len(list(out.iterdir())) == 3
    assert "wrote 3 documents" in capsys.readouterr().out
    assert main(["gen-corpus", "3", "--out", str(out), "--seed", "2", "--no-progress"]) == 2  # a usage error
    assert "not an empty folder" in capsys.readouterr().err


@pytest.mark.parametrize("n", [0, -4])
def test_gen_corpus_needs_at_least_one_document(tmp_path, n):
    from policykg.errors import UsageError

    with pytest.raises(UsageError):
        generate_corpus(n, tmp_path / "x", seed=1)
