"""Collect every benchmark's figures into one file: OUT/bench_<name>.json -> OUT/bench.json as
{"<name>": figures, ...}.

    .venv/bin/python tests/bench/collect.py OUT_DIR OUT_DIR/bench.json
"""
import json
import sys
from pathlib import Path


def write_figures(path: str | Path, figures: dict) -> Path:
    """One benchmark's figures as OUT/bench_<name>.json (what collect() reads back)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return out


def collect(out_dir: Path) -> dict:
    figures = {}
    for f in sorted(out_dir.glob("bench_*.json")):
        try:
            figures[f.stem.removeprefix("bench_")] = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            figures[f.stem.removeprefix("bench_")] = {"error": f"{f.name} is not JSON: {exc}"}
    return figures


def main(argv: list[str]) -> int:
    out_dir, target = Path(argv[0]), Path(argv[1])
    figures = collect(out_dir)
    target.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}: {', '.join(figures) or 'no benchmark figures found'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
