"""CLI: index -> ask end to end with the real model, JSON contract, and the error table."""

from __future__ import annotations

import json
import re
import shutil
import socket

import pytest

from verifact.app.cli import EXAMPLES, build_parser, main

from conftest import DATA, ROOT, SEED_SOURCES


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of the seed article plus the test docs, built through the CLI."""
    tmp = tmp_path_factory.mktemp("cli")
    shutil.copytree(SEED_SOURCES, tmp / "src")
    for name in ("landmarks.txt", "health.md", "space.html", "news.jsonl"):
        shutil.copy(DATA / name, tmp / "src" / name)
    assert main(["index", str(tmp / "src"), "--index", str(tmp / "idx"), "--quiet"]) == 0
    return tmp


def test_index_prints_summary_and_next_command(built, capsys):
    src, idx = built / "src", built / "idx"
    (src / "extra.txt").write_text("Beavers build dams on rivers in Canada.")
    assert main(["index", str(src), "--index", str(idx), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Indexed 7 documents (0 skipped)" in out
    assert re.search(r"\d+ embedded, \d+ reused", out)
    assert f'Next: verifact ask "your question" --index {idx}' in out


def test_ask_json_contract(built, capsys):
    q = "When did Putin invite Meshaal to Moscow?"
    assert main(["ask", q, "--index", str(built / "idx"), "-k", "3", "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["query"] == q and obj["mode"] == "hybrid" and obj["k"] == 3
    top = obj["hits"][0]
    assert set(top) >= {
        "rank",
        "score",
        "scores",
        "passage_id",
        "doc_id",
        "title",
        "source",
        "page",
        "start",
        "end",
        "text",
        "highlight",
    }
    assert set(top["scores"]) == {"dense", "bm25", "fused"}
    assert top["doc_id"] == "russia-hamas-relations.txt"
    doc = (built / "src" / "russia-hamas-relations.txt").read_text()
    assert doc[top["start"] : top["end"]] == top["text"]
    h = top["highlight"]
    assert "In February 2006, Putin invited" in doc[h["start"] : h["end"]]


def test_ask_human_output_and_batch(built, capsys, tmp_path):
    batch = tmp_path / "q.txt"
    batch.write_text('Where is the Eiffel Tower?\n\n{"text": "moons of Mars"}\n')
    assert main(["ask", "--batch", str(batch), "--index", str(built / "idx"), "-k", "1"]) == 0
    out = capsys.readouterr().out
    assert "Q: Where is the Eiffel Tower?" in out and "Q: moons of Mars" in out
    assert re.search(r"\[1\] Famous landmarks \(.*landmarks\.txt, chars \d+-\d+\)", out)
    assert "**The Eiffel Tower stands on the Champ de Mars" in out
    assert (
        main(
            [
                "ask",
                "--batch",
                str(batch),
                "--index",
                str(built / "idx"),
                "--json",
                "--mode",
                "bm25",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(x)["query"] for x in lines] == [
        "Where is the Eiffel Tower?",
        "moons of Mars",
    ]


def test_long_query_is_truncated_and_said_so(built, capsys):
    long_q = "Putin invited Meshaal to Moscow " * 50  # 1,600 characters: under MAX_QUERY_CHARS
    assert main(["ask", long_q, "--index", str(built / "idx"), "-k", "1"]) == 0
    assert "truncated" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["ask", "", "--index", "{idx}"], "Error: Empty query ''"),
        (["ask", "   ", "--index", "{idx}"], "Error: Empty query '   '"),
        (["ask", "hello", "-k", "0", "--index", "{idx}"], "Error: Invalid k 0"),
        (["ask", "--index", "{idx}"], "Error: No query given"),
        (["ask", "hi", "--index", "{tmp}/nope"], "does not exist; build it first"),
        (["ask", "hi", "--index", "{idx}", "--model", "{tmp}"], "was built with model"),
        (["ask", "--batch", "{tmp}/none.txt", "--index", "{idx}"], "Batch file"),
        (["index", "{tmp}/missing", "--index", "{tmp}/i2"], "Source path"),
        (["index", "{tmp}/empty", "--index", "{tmp}/i2"], "holds no files"),
        (["index", "{tmp}/x.bin", "--index", "{tmp}/i2"], "Unsupported file type '.bin'"),
        (["chat", "--index", "{idx}", "--auth", "u:pw"], "would show the password"),
        (["chat", "--index", "{idx}", "--auth-file", "{tmp}/colon"], "must both be non-empty"),
        (["chat", "--index", "{idx}", "--auth-file", "{tmp}/nouser"], "for user ''"),
        (["chat", "--index", "{idx}", "--auth-file", "{tmp}/none"], "Cannot read --auth-file"),
        (["chat", "--index", "{idx}", "--port", "{busy}"], "is not free"),
        (["ask", "\udcff", "--index", "{idx}"], "is not valid text"),
        (["ask", "--batch", "{tmp}/bad-utf8.txt", "--index", "{idx}"], "Line 2 of"),
        (["ask", "x", "-k", "100000", "--index", "{idx}"], "from 1 to 100"),
        (["ask", "\u200b\u200b", "--index", "{idx}"], "Empty query"),
        (
            ["index", "{tmp}/ok.txt", "--index", "{tmp}/i3", "--model", "no-such-model-xyz"],
            "Could not load model 'no-such-model-xyz'",
        ),
        (
            ["eval", "--no-claims", "--model", "{tmp}/no-model-folder", "--quiet"],
            "no-model-folder' does not exist; pass --model",
        ),
        (
            ["index", "{tmp}/ok.txt", "--index", "{tmp}/i4", "--model", "{tmp}/no-model-folder"],
            "no-model-folder' does not exist; pass --model",
        ),
    ],
)
def test_errors_are_one_line_with_exit_1(built, capsys, tmp_path, argv, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.bin").write_bytes(b"\x00")
    (tmp_path / "ok.txt").write_text("A readable document.")
    (tmp_path / "colon").write_text(":\n")
    (tmp_path / "nouser").write_text(":secret\n")
    (tmp_path / "bad-utf8.txt").write_bytes(b"fine\n\xff\xfe\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        argv = [a.format(idx=built / "idx", tmp=tmp_path, busy=port) for a in argv]
        assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err.format(tmp=tmp_path)
    assert err.count("\n") == 1 and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["ask", "q", "--mode", "nope"])
    assert e.value.code == 2


def test_every_command_has_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert set(commands) == set(EXAMPLES)
    for name, sub in commands.items():
        assert EXAMPLES[name] in sub.format_help()
        assert f"verifact {name}" in readme, f"README lacks `verifact {name}`"


def test_default_index_builds_from_shipped_sources(verifact_home):
    from verifact.config import default_index_dir, default_sources_dir

    assert (default_sources_dir() / "russia-hamas-relations.txt").is_file()
    assert default_sources_dir().parent.name == "verifact"  # package data, not the checkout
    assert default_index_dir() == verifact_home / "index" / "default"


def test_output_piped_into_a_closed_reader_is_not_an_error(built):
    import subprocess
    import sys

    code = (
        "import sys; from verifact.app.cli import main; "
        f"sys.exit(main(['ask', 'Eiffel Tower', '--index', {str(built / 'idx')!r}, '-k', '3']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err


def test_batch_lines_split_on_newlines_only(built, capsys, tmp_path):
    batch = tmp_path / "q.txt"
    batch.write_bytes(b"Eiffel\x0bTower\x0cParis\r\nmoons of Mars\n")
    assert main(["ask", "--batch", str(batch), "--index", str(built / "idx"), "--json"]) == 0
    queries = [json.loads(line)["query"] for line in capsys.readouterr().out.splitlines()]
    assert queries == ["Eiffel\x0bTower\x0cParis", "moons of Mars"]


def test_ask_says_when_no_passage_is_a_good_match(built, capsys, monkeypatch):
    import verifact.verify.verdict as verdict

    monkeypatch.setattr(verdict, "QUESTION_THRESHOLD", 2.0)  # every cosine is below it
    idx = str(built / "idx")
    assert main(["ask", "Where is the Eiffel Tower?", "--index", idx, "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert "No passage is a good match for this question" in out
    assert out.count("(weak match)") == 2
    assert main(["ask", "Where is the Eiffel Tower?", "--index", idx, "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["weak"] is True and all(h["weak"] for h in obj["hits"])
    monkeypatch.setattr(verdict, "QUESTION_THRESHOLD", -2.0)
    assert main(["ask", "Where is the Eiffel Tower?", "--index", idx, "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["weak"] is False and not any(h["weak"] for h in obj["hits"])


def test_upload_limit_defaults_match_the_library():
    from verifact.app.cli import UploadLimitsDefaults
    from verifact.app.upload import UploadLimits

    d = UploadLimits()
    assert (d.file_mb, d.files, d.request_mb, d.total_mb) == (
        UploadLimitsDefaults.file_mb,
        UploadLimitsDefaults.files,
        UploadLimitsDefaults.request_mb,
        UploadLimitsDefaults.total_mb,
    )


def test_check_of_a_claim_at_the_length_limit_costs_a_few_short_ones(built, capsys):
    """Claims are bounded at the search-stage boundary, so verify's work is bounded too."""
    import time

    from verifact.search.search import MAX_QUERY_CHARS

    idx = str(built / "idx")
    short = "Putin invited Meshaal to Moscow in 2008."
    long_claim = (short + " Hamas leaders visited Kazan and Moscow often. ") * 40
    long_claim = long_claim[:MAX_QUERY_CHARS]

    from verifact.search.search import load_index
    from verifact.verify.verdict import verify_claims

    index = load_index(idx)

    def seconds(claim: str) -> float:
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            verify_claims(index, [claim], k=5)
            runs.append(time.perf_counter() - t0)
        return sorted(runs)[1]

    assert seconds(long_claim) < 10 * seconds(short) + 0.5
    t0 = time.perf_counter()
    assert main(["check", "word " * 200_000, "--index", idx]) == 1  # 1 MB: refused at once
    assert time.perf_counter() - t0 < 2 and "too long" in capsys.readouterr().err
