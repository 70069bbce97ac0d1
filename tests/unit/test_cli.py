"""The installed command, run as a user would, from outside the checkout."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "policykg"


def run(args, cwd):
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_build_from_outside_the_checkout_reports_bad_files_and_builds_the_rest(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ROOT / "data/corpus/001_cdc2e9bdfb7cc299.txt", docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "gbk.txt").write_bytes("中山市人工智能计划\n一、任务\n1.建设平台。(市工信局、市科技局)\n".encode("gbk"))
    r = run(["build", str(docs), "--out", str(tmp_path / "out")], cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    errors = [l for l in r.stderr.splitlines() if l.startswith("policykg: error:")]
    assert len(errors) == 2
    assert any("empty.txt" in l and "empty" in l for l in errors)
    assert any("binary.txt" in l and "binary" in l for l in errors)
    assert "Traceback" not in r.stderr
    data = json.loads((tmp_path / "out/graph.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in data["documents"]) == ["001_cdc2e9bdfb7cc299", "gbk"]
    gbk = next(d for d in data["documents"] if d["id"] == "gbk")
    assert gbk["encoding"] == "gb18030"


def test_missing_path_is_one_line_and_exit_code(tmp_path):
    r = run(["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")], cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "nope" in r.stderr and "no such file" in r.stderr
