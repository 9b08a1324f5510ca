"""The command line: run, info, --help, and one-line errors without tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import POLIS, ROOT


def synth(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_run_imports_and_info_reports_json(tmp_path):
    project = tmp_path / "p.synth"
    out = synth("run", POLIS / "london.youth.policing", "--project", project, "--no-themes",
                "--no-groups")
    assert out.returncode == 0, out.stderr
    assert "39 statements" in out.stdout
    folder = {f.name: f.read_bytes() for f in tmp_path.iterdir()}
    info = synth("info", project, "--json")
    assert info.returncode == 0, info.stderr
    # a read-only open left -wal and -shm files beside the project
    assert {f.name: f.read_bytes() for f in tmp_path.iterdir()} == folder
    data = json.loads(info.stdout)
    assert {k: data[k] for k in ("participants", "statements", "votes", "notes", "passages",
                                 "sources")} == {"participants": 27, "statements": 39,
                                                 "votes": 638, "notes": 0, "passages": 0,
                                                 "sources": 1}
    # adding to an existing project
    out = synth("run", POLIS / "bg2050-volunteers", "--project", project, "--no-themes",
                "--no-groups")
    assert out.returncode == 0, out.stderr
    assert json.loads(synth("info", project, "--json").stdout)["statements"] == 39 + 371


def test_errors_are_one_line_without_traceback(tmp_path):
    for args in (("info", tmp_path / "missing.synth"),
                 ("run", tmp_path / "nothing-here", "--project", tmp_path / "x.synth")):
        out = synth(*args)
        assert out.returncode == 1 and out.stderr.count("\n") == 1, out.stderr
        assert out.stderr.startswith(f"synth {args[0]}: ") and "Traceback" not in out.stderr
    # argparse's own: the usage (as many lines as the options take), then the error's one line
    out = synth("run", "--no-such-option")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert lines[0].startswith("usage: synth run ")
    assert lines[-1] == "synth run: error: unrecognized arguments: --no-such-option"
    assert all(line.startswith(" ") for line in lines[1:-1])
    bad = tmp_path / "bad.csv"
    bad.write_text("text,dots\nok,1\nbad,many\n", encoding="utf-8")
    out = synth("run", bad, "--project", tmp_path / "y.synth", "--no-themes", "--no-groups")
    assert out.returncode == 1
    assert out.stderr.strip() == (f"synth run: {bad}, row 3, column “dots”: expected a number "
                                  "of dots, found “many”")


def test_help_everywhere():
    for args in (("--help",), ("run", "--help"), ("info", "--help")):
        out = synth(*args)
        assert out.returncode == 0 and "usage:" in out.stdout


def test_a_project_path_is_not_taken_for_a_command(tmp_path):
    out = synth(tmp_path / "missing.synth")
    assert out.returncode == 2
    assert "no such project file" in out.stderr and "Traceback" not in out.stderr
    top = synth("--help")
    assert "PROJECT" in top.stdout and "report" in top.stdout


def test_run_open_hands_the_project_to_the_app_main_py_passes_in(tmp_path, monkeypatch, capsys):
    """`run --open`: synth/ may not import ui/, so main.py passes the app in; with a display it
    is opened on the project (its exit code is run's), without one a line says how to open it."""
    import main
    opened: list[str] = []
    monkeypatch.setitem(main.UPPER_LAYERS["run"], "open_app",
                        lambda project: opened.append(project) or 7)
    project = tmp_path / "p.synth"
    argv = ["run", str(POLIS / "london.youth.policing"), "--project", str(project),
            "--no-themes", "--no-groups", "--open"]
    monkeypatch.setenv("DISPLAY", ":99")
    assert main.main(argv) == 7 and opened == [str(project)]
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    capsys.readouterr()
    again = [a for a in argv if a != str(POLIS / "london.youth.policing")]  # its data is in
    assert main.main(again) == 0 and opened == [str(project)]
    assert capsys.readouterr().out.strip().endswith(
        f"no display: the app was not opened (open the project with `python main.py {project}`)")


def _counts(project):
    data = json.loads(synth("info", project, "--json").stdout)
    return {k: data[k] for k in ("sources", "participants", "statements", "votes", "notes")}


def test_run_without_data_analyses_the_existing_project_not_the_sample_study(tmp_path):
    notes = tmp_path / "ten_notes.csv"
    notes.write_text("text,site\n" + "".join(f"note {i} on hybrid work,Leeds\n"
                                             for i in range(10)), encoding="utf-8")
    mine = tmp_path / "mine.synth"
    out = synth("run", notes, "--project", mine, "--no-themes", "--no-groups")
    assert out.returncode == 0, out.stderr
    out = synth("run", "--project", mine, "--no-themes", "--no-groups",
                "--out", tmp_path / "mine.docx")
    assert out.returncode == 0, out.stderr
    assert "no data given: analysing mine.synth as it is" in out.stdout
    # the bundled sample study used to come in: 654 participants, 73,219 votes, 340 notes
    assert _counts(mine) == {"sources": 1, "participants": 0, "statements": 0, "votes": 0,
                             "notes": 10}
    assert (tmp_path / "mine.docx").stat().st_size > 0


def test_run_seed_becomes_the_projects_theme_seed_as_the_window_stores_it(tmp_path):
    from synth.project import Project
    from synth.themes.project_themes import saved_seed
    notes = tmp_path / "notes.csv"
    notes.write_text("text\nfirst note\nsecond note\n", encoding="utf-8")
    mine = tmp_path / "mine.synth"
    out = synth("run", notes, "--project", mine, "--seed", 7, "--no-themes", "--no-groups")
    assert out.returncode == 0, out.stderr
    with Project.look(mine) as p:
        assert p.setting("themes.seed") == 7 and saved_seed(p) == 7
    out = synth("run", "--project", mine, "--no-themes", "--no-groups")   # no --seed: kept
    assert out.returncode == 0, out.stderr
    with Project.look(mine) as p:
        assert saved_seed(p) == 7


def test_run_refuses_a_file_imported_already_unless_again(tmp_path):
    notes = tmp_path / "ten_notes.csv"
    notes.write_text("text\n" + "".join(f"note {i}\n" for i in range(10)), encoding="utf-8")
    mine = tmp_path / "mine.synth"
    assert synth("run", notes, "--project", mine, "--no-themes", "--no-groups").returncode == 0
    out = synth("run", notes, "--project", mine, "--no-themes", "--no-groups")
    assert out.returncode == 1
    assert out.stderr.startswith(f"synth run: {notes}: already imported into this project "
                                 "(“ten_notes”, imported ")
    assert out.stderr.rstrip().endswith("importing it again would hold its data twice. Nothing "
                                        "was imported; add --again to import it a second "
                                        "time, or leave it out to analyse the project as it is")
    assert _counts(mine)["notes"] == 10             # was 20: every note twice
    out = synth("run", notes, notes, "--project", tmp_path / "new.synth", "--no-themes",
                "--no-groups")                      # named twice: nothing of it imported yet
    assert out.returncode == 1
    assert out.stderr == (f"synth run: {notes}: given twice in this import; nothing of it is "
                          "in the project yet. Nothing was imported; give it once\n")
    assert not (tmp_path / "new.synth").exists()
    out = synth("run", notes, "--again", "--project", mine, "--no-themes", "--no-groups")
    assert out.returncode == 0, out.stderr
    assert _counts(mine) == {"sources": 2, "participants": 0, "statements": 0, "votes": 0,
                             "notes": 20}


def test_a_reader_that_goes_away_gets_no_traceback():
    """`synth report … | head`: the pipe closes under the command's printing."""
    code = ("import sys, main\n"
            "def job():\n"
            "    for i in range(200_000):\n"
            "        print('figure', i)\n"
            "sys.exit(main._run(job, 'report'))\n")
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    assert p.stdout.read(20).startswith(b"figure 0")
    p.stdout.close()                                  # as head does after its lines
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
