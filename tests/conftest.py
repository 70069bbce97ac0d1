import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def sample_build():
    """The graph of the shipped sample corpus, built once per session."""
    from policykg.graph_build.assemble import to_contract
    from policykg.graph_build.pipeline import build_corpus

    result = build_corpus([CORPUS])
    return result, to_contract(result.graph, result.documents)


def in_ci() -> bool:
    return bool(os.environ.get("CI"))
