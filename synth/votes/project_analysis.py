"""Opinion groups and agreement figures of a project's debate sources.

A run is stored whole, so every per-group figure in the report traces back to it:
``analysis_runs`` (kind ``opinion_groups``: parameters and the JSON result),
``group_members`` (participant → group) and ``arrays`` (projection, base and group centres).

Whose groups: the project setting ``opinion_groups.source``. Unset (``auto``), a debate whose
Pol.is export gave a group to everyone Pol.is clusters (``participants.polis_group``) uses
those: they are the groups the team saw on pol.is and the Pol.is report shows, which a
recomputation cannot reproduce (Pol.is's groups come out of its history: k-means seeded by
each earlier update, k kept until another has won four updates running; Bowling Green
recomputed from its final votes gives 3 groups against Pol.is's 2). Other debates (no
group-id: a vote table, an export without participants-votes.csv; or some participant who
voted enough without a group) are recomputed with Pol.is's method, and a run asked for with
a number of groups is always recomputed. ``recompute`` and ``polis`` force either.
Whichever is used, the run says how the other compares."""
from __future__ import annotations

import json
from typing import Any, Callable

import numpy as np

from ..errors import UserError
from ..words import plural
from .agreement import AgreementTable, agreement, by_subset, by_value
from .analysis import analyse
from .matrix import from_project
from .polis_math import in_conv, opinion_groups
from .segment_rules import answers, spelling_key
from .small_n import small_n_rule

Progress = Callable[[int, int, str], None]
SETTING = "opinion_groups.source"
CHOICES = ("auto", "recompute", "polis")


def run_opinion_groups(project, *, seed: int = 0, k: int | None = None,
                       groups: str | None = None, as_choice: bool = False,
                       source_id: int | None = None,
                       progress: Progress | None = None,
                       cancelled: Callable[[], bool] | None = None,
                       lines_out: list[str] | None = None) -> str:
    """Analyse each debate source with votes (or ``source_id``); store one run per source.
    Returns a one-line summary; ``lines_out``, if given, receives one line per debate, named
    when there are several (the command line prints each whole)."""
    # asked for in this call, not as the project's choice (``as_choice``: as if it were, a
    # debate without Pol.is's groups then recomputed)
    chosen_here = groups is not None and not as_choice
    groups = groups or groups_choice(project)
    if groups not in CHOICES:
        raise UserError(f"opinion groups: unknown choice “{groups}” (recompute or polis)")
    asked = groups
    sources = [r[0] for r in project.query(
        "SELECT DISTINCT s.source_id FROM statements s JOIN votes v ON v.statement_id = s.id "
        + ("WHERE s.source_id = ? " if source_id is not None else "") + "ORDER BY 1",
        (source_id,) if source_id is not None else ())]
    if not sources:
        return "no votes to analyse"
    lines = []
    for sid in sources:
        vm = from_project(project, sid)
        exported = {r[0]: r[1] for r in project.query(
            "SELECT id, polis_group FROM participants WHERE source_id = ?", (sid,))}
        has_exported = any(g is not None for g in exported.values())
        without = ungrouped_voters(vm, exported) if has_exported else []
        groups, note = _whose_groups(asked, has_exported, without, k, chosen_here)
        polis = exported if groups == "polis" else None
        small_n = small_n_rule(project)[0]      # the report's threshold, as it says it
        texts = {r[0]: r[1] for r in project.query(
            "SELECT id, text FROM statements WHERE source_id = ?", (sid,))}
        va = analyse(vm, k=k if polis is None else None, seed=seed, polis_groups=polis,
                     texts=texts, small_n=small_n, progress=progress, cancelled=cancelled)
        res = dict(va.result)
        opinion = va.opinion
        if groups == "recompute" and has_exported:
            # said wherever the groups are shown: they may differ from the Pol.is report's
            res["polis_export"] = compare_with_export(vm.participants, va.labels, exported)
        elif groups == "polis":
            # Pol.is's own: how a recomputation from the final votes compares
            if without:
                said = (f"{plural(len(without), 'participant')} who voted enough to be grouped "
                        "had no group in Pol.is's export (it predates their votes): they are "
                        "in no group")
                res["warnings"].append(said)
                note += "; " + said
            opinion = opinion_groups(vm, seed=seed, cancelled=cancelled)
            res["recomputed"] = compare_with_export(
                vm.participants, opinion.labels,
                {p: g for p, g in zip(vm.participants.tolist(), va.labels.tolist())
                 if g >= 0})
            res["recomputed"]["k"] = opinion.k
        res.pop("participants")                      # in group_members instead
        for g in res["groups"]:
            g.pop("members")
        params = {"source_id": sid, "seed": seed, "k": k if polis is None else None,
                  "groups": groups, "asked": asked, "small_n": small_n}
        run_id = _store_run(project, params, res, vm, va, opinion)
        sizes = "/".join(str(g["size"]) for g in res["groups"]) or "none"
        line = f"{res['k']} groups ({groups}; {sizes}), run {run_id}{note}"
        if "polis_export" in res:
            line += "; " + export_difference(res["polis_export"], res["k"])
        if "recomputed" in res:
            line += "; " + recomputed_difference(res["recomputed"], res["k"])
        if len(sources) > 1:
            name = project.scalar("SELECT name FROM sources WHERE id = ?", (sid,)) or ""
            line = f"“{name if len(name) <= 50 else name[:49] + '…'}”: {line}"
        lines.append(line)
    if lines_out is not None:
        lines_out.extend(lines)
    return "; ".join(lines)


def _whose_groups(asked: str, has_exported: bool, without: list, k: int | None,
                  chosen_here: bool) -> tuple[str, str]:
    """Whose groups a debate gets, "polis" or "recompute", for the choice ``asked``, with the
    words the run's line adds when that is not what was asked ("" when it is)."""
    if asked == "polis" and not has_exported:
        if chosen_here:
            raise UserError("this debate has no Pol.is groups (its export had no group-id): "
                            "recompute the groups instead")
        # the project's choice holds for the debates that have them
        return "recompute", "; its export has no Pol.is groups, so they were recomputed"
    if asked != "auto":
        return asked, ""
    if has_exported and not without and k is None:
        return "polis", ""
    if has_exported and without and k is None:
        return "recompute", (f"; recomputed, since {plural(len(without), 'participant')} who "
                             "voted enough to be grouped had no group in Pol.is's export (it "
                             "predates their votes)")
    return "recompute", ""


def _store_run(project, params: dict, res: dict, vm, va, opinion) -> int:
    """One opinion-groups run in one transaction: its result, who is in which group, and the
    map's arrays; its id."""
    from ..project import now_iso

    pieces = [piece.encode("utf-8") for piece in _json_pieces(res, 100)]
    with project.transaction() as tx:
        cur = tx.execute("INSERT INTO analysis_runs (kind, created, params, result) "
                         "VALUES ('opinion_groups', ?, ?, zeroblob(?))",
                         (now_iso(), json.dumps(params), sum(map(len, pieces))))
        run_id = cur.lastrowid
        write_in_pieces(tx, run_id, pieces)
        del pieces
        tx.executemany("INSERT INTO group_members (run_id, participant_id, group_id) "
                       "VALUES (?, ?, ?)",
                       [(run_id, int(p), int(va.group_ids[lab])) for p, lab in
                        zip(vm.participants.tolist(), va.labels) if lab >= 0])
        if opinion is not None:
            # the map: every participant where Pol.is's PCA places them (Pol.is's groups
            # too are drawn on it); the centres only of groups computed here
            project.put_array(run_id, "participant_ids", vm.participants.astype(np.int64))
            project.put_array(run_id, "projection", opinion.projection)
        if va.opinion is not None:
            project.put_array(run_id, "group_centers", va.opinion.group_centers)
            project.put_array(run_id, "base_centers", va.opinion.base_centers)
    return int(run_id)


def groups_choice(project) -> str:
    """The project's choice of opinion groups: ``auto`` (unset: Pol.is's own where the export
    has them for everyone Pol.is groups, recomputed elsewhere), ``polis`` or ``recompute``.
    Left to choose ("auto"), what a window ticks as "Pol.is's own groups" is what the latest
    run used (``latest_params(...)["groups"]``)."""
    choice = project.setting(SETTING, "auto")
    return choice if choice in CHOICES else "auto"


def ungrouped_voters(vm, exported: dict) -> list:
    """Participants who voted on at least min(7, statements) statements, the votes Pol.is
    requires to group someone, yet have no group in Pol.is's export: an export older than
    their votes. Pol.is also keeps grouping people who once qualified, so the export may
    group more than this rule; never fewer."""
    voted = vm.drop_unvoted_statements()
    clustered = in_conv(voted.votes_per_participant(), voted.shape[1])
    return [p for p in voted.participants[clustered].tolist() if exported.get(p) is None]


def recomputed_difference(cmp: dict[str, Any], k: int) -> str:
    """One sentence for a run with Pol.is's own groups: that they are Pol.is's, and how the
    groups recomputed here from the final votes compare."""
    said = "Pol.is's own groups, as exported (the groups seen on pol.is)"
    if cmp["adjusted_rand"] is None:
        return said
    if cmp["k"] == k and cmp["adjusted_rand"] >= 0.99:
        return said + "; recomputed from the final votes they come out the same"
    return (said + f"; recomputed from the final votes with Pol.is's method they would be "
            f"{plural(cmp['k'], 'group')}, an adjusted Rand index of "
            f"{cmp['adjusted_rand']:.2f} against these (1 = the same): Pol.is's groups come "
            "from its history of updates, which the export does not hold")


def compare_with_export(participants: np.ndarray, labels: np.ndarray,
                        exported: dict) -> dict[str, Any]:
    """How recomputed groups compare with the groups Pol.is exported (its report's): Pol.is's
    number of groups and their sizes, and the adjusted Rand index over the participants both
    placed in a group (1 = the same partition)."""
    theirs = np.array([-1 if exported.get(p) is None else int(exported[p])
                       for p in participants.tolist()], dtype=np.int64)
    ids, sizes = np.unique(theirs[theirs >= 0], return_counts=True)
    both = (theirs >= 0) & (labels >= 0)
    # None: fewer than two participants in a group in both, nothing to compare (not "the same")
    return {"groups": len(ids), "sizes": [int(n) for n in sizes],
            "adjusted_rand": round(adjusted_rand(labels[both], theirs[both]), 3)
            if both.sum() >= 2 else None,
            "participants_compared": int(both.sum())}


def export_difference(cmp: dict[str, Any], k: int) -> str:
    """One sentence for the console and the window: how far the recomputed groups are from
    the Pol.is report's, and how to use Pol.is's instead."""
    sizes = "/".join(map(str, cmp["sizes"]))
    theirs = plural(cmp["groups"], "group")
    if cmp["adjusted_rand"] is None:
        return (f"Pol.is's own export has {theirs} ({sizes or 'none'}); too few "
                "participants are in a group in both to compare them")
    if cmp["groups"] == k and cmp["adjusted_rand"] >= 0.99:
        return f"the same groups as Pol.is's own export ({sizes})"
    return (f"Pol.is's own export has {theirs} ({sizes}); the two agree with "
            f"an adjusted Rand index of {cmp['adjusted_rand']:.2f} (1 = the same) over "
            f"{cmp['participants_compared']:,} participants. To use Pol.is's groups, as in "
            "the Pol.is report participants saw: run --groups polis, or Analysis → "
            "Use Pol.is's own opinion groups")


def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same items."""
    n = len(a)
    if n < 2:
        return 1.0
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.float64)
    np.add.at(table, (ai, bi), 1)

    def pairs(x):
        return float((x * (x - 1) / 2).sum())
    index, rows, cols = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def write_in_pieces(db: Any, run_id: int, pieces: list[bytes]) -> None:
    """Write a run's result (its JSON, UTF-8, as pieces) into the ``zeroblob`` its row was
    given, piece by piece through SQLite's incremental blob I/O: one string of a
    100,000-statement result (114 MB), joined and then bound to the INSERT, held the
    interpreter's lock for 0.1-0.3 s in two single calls, a freeze for the window whose worker
    runs this. The column then holds the JSON's bytes (``json.loads`` reads them as it reads
    text)."""
    with db.blobopen("analysis_runs", "result", run_id) as blob:
        for piece in pieces:
            blob.write(piece)


def _json_pieces(value, piece: int):
    """``json.dumps(value)`` as many small dumps, joined or written in order: one dump of a
    100,000-statement result holds the interpreter's lock for two seconds, and a window whose
    worker runs this could not paint meanwhile."""
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        if len(value) > piece:
            items = list(value.items())
            for i in range(0, len(items), piece):
                yield (", " if i else "") + json.dumps(dict(items[i:i + piece]))[1:-1]
        else:
            for n, (k, v) in enumerate(value.items()):
                yield f"{', ' if n else ''}{json.dumps(k)}: "
                yield from _json_pieces(v, piece)
        yield "}"
    elif isinstance(value, list) and len(value) > piece:
        yield "["
        for i in range(0, len(value), piece):
            yield (", " if i else "") + json.dumps(value[i:i + piece])[1:-1]
        yield "]"
    else:
        yield json.dumps(value)


def _latest(project, source_id: int | None) -> tuple[int, dict] | None:
    for run_id, params in project.query("SELECT id, params FROM analysis_runs WHERE kind = "
                                        "'opinion_groups' ORDER BY id DESC"):
        params = json.loads(params)
        if source_id is None or params.get("source_id") == source_id:
            return run_id, params
    return None


def latest_params(project, source_id: int | None = None) -> dict | None:
    """The parameters of the latest opinion-groups run (of ``source_id``'s debate), without
    reading its result: a big debate's result is megabytes of JSON (the window asks this on
    every refresh: reading the result froze it 1.8 s on 2,000,000 votes)."""
    found = _latest(project, source_id)
    return found[1] if found else None


def latest_run(project, source_id: int | None = None):
    """(run id, params, result) of the latest opinion-groups run, or None; only that run's
    result is read (every run's was, to pick one)."""
    found = _latest(project, source_id)
    if found is None:
        return None
    result = project.scalar("SELECT result FROM analysis_runs WHERE id = ?", (found[0],))
    return found[0], found[1], json.loads(result)


def group_labels(project, run_id: int, participants: np.ndarray) -> tuple[np.ndarray, list]:
    members = {r[0]: r[1] for r in project.query(
        "SELECT participant_id, group_id FROM group_members WHERE run_id = ?", (run_id,))}
    gids = sorted(set(members.values()))
    pos = {g: i for i, g in enumerate(gids)}
    return (np.array([pos[members[p]] if p in members else -1
                      for p in participants.tolist()], dtype=np.int64), gids)


def agreement_by(project, by: str = "overall", *, source_id: int | None = None,
                 run_id: int | None = None, suppress_small: bool | None = None
                 ) -> AgreementTable:
    """Agreement figures of the project's statements split by ``by``: ``overall``, ``group``
    (latest run unless ``run_id``), ``source``, ``attribute:NAME`` or ``segment:NAME``."""
    vm = from_project(project, source_id)
    # the report's small-n rule (the export dialog's threshold and action), not a second one
    small_n, action = small_n_rule(project)
    if suppress_small is None:
        suppress_small = bool(project.setting("report.suppress_small_n", action == "suppress"))
    kw = {"small_n": small_n, "suppress_small": suppress_small}
    if by == "overall":
        return agreement(vm, **kw)
    if by == "group":
        if run_id is None:
            latest = _latest(project, source_id)        # its id only, not its result
            if latest is None:
                raise UserError("no opinion groups yet: run the opinion groups first")
            run_id = latest[0]
        labels, gids = group_labels(project, run_id, vm.participants)
        return agreement(vm, labels, gids, **kw)
    if by == "source":
        src = {r[0]: r[1] for r in project.query(
            "SELECT p.id, s.name FROM participants p JOIN sources s ON s.id = p.source_id")}
        return by_value(vm, src, **kw)
    if by.startswith("attribute:"):
        name = by.split(":", 1)[1]
        # each answer once whatever its spelling ("Yes", "yes"), as segments take it
        values = answers(project, name)
        if not values:
            raise UserError(f"no participant has the characteristic “{name}”")
        return by_value(vm, values, **kw)
    if by.startswith("segment:"):
        name = by.split(":", 1)[1]
        row = project.query("SELECT rule FROM segments WHERE name = ?", (name,))
        if not row:
            raise UserError(f"no segment named “{name}”")
        return by_subset(vm, segment_members(project, json.loads(row[0][0])), name, **kw)
    raise UserError(f"cannot split agreement by “{by}”")


def segment_members(project, rule: dict) -> set:
    """Participants matching a segment rule: {"attribute": A, "in": [...]} or "not_in",
    {"source": id}, {"all": [rules]}, {"any": [rules]}, {"not": rule}."""
    everyone = {r[0] for r in project.query("SELECT id FROM participants")}
    if "all" in rule:
        out = set(everyone)
        for r in rule["all"]:
            out &= segment_members(project, r)
        return out
    if "any" in rule:
        out = set()
        for r in rule["any"]:
            out |= segment_members(project, r)
        return out
    if "not" in rule:
        return everyone - segment_members(project, rule["not"])
    if "source" in rule:
        return {r[0] for r in project.query("SELECT id FROM participants WHERE source_id = ?",
                                            (rule["source"],))}
    if "attribute" in rule:
        # names and values as spellings of one answer ("Woman", "woman "): segment_rules says why
        key = spelling_key(rule["attribute"])
        names = [r[0] for r in project.query(
            "SELECT DISTINCT name FROM participant_attributes") if spelling_key(r[0]) == key]
        values: dict[int, set[str]] = {}
        for name in names:
            for p, v in project.query("SELECT participant_id, value FROM "
                                      "participant_attributes WHERE name = ?", (name,)):
                values.setdefault(p, set()).add(spelling_key(v))
        if "in" in rule:
            wanted = {spelling_key(v) for v in rule["in"]}
            return {p for p, vs in values.items() if vs & wanted}
        if "not_in" in rule:
            # "region!=London" is those who gave a region other than London: a reader of
            # "outside London" does not count those who gave none (blank is no answer, as a
            # missing row is; segments.unanswered_words says so beside the rule)
            unwanted = {spelling_key(v) for v in rule["not_in"]}
            return {p for p, vs in values.items() if vs - {""} and not vs & unwanted}
        return set(values)
    raise UserError(f"a segment rule must name an attribute, a source, or combine rules: {rule}")
