#!/usr/bin/env python3
"""Generate Synth's bundled sample study from the hand-written texts in ``source/``.

    python sample_data/generate.py              # regenerate sample_data/ in place
    python sample_data/generate.py --out DIR    # write everything into DIR instead

Every output is byte-identical from run to run: the texts come from ``source/``, the
participants and votes from a numpy ``Generator`` with a fixed seed, and the Office files
(.docx, .xlsx) get fixed document dates and fixed zip timestamps.

Outputs (relative to the output directory):

    debate/comments.csv, votes.csv, participants-votes.csv, summary.csv   (Pol.is openData format)
    participants.csv                     participant characteristics (participant = voter-id)
    workshop_notes.csv, workshop_notes.xlsx
    transcripts/<city>_table<n>.docx
    answer_key/statements.csv, notes.csv, passages.csv, themes.json, design.csv

The answer key is for tests of theme discovery and opinion-group analysis; the app must
never read it.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
SEED = 20250303

# --------------------------------------------------------------------------------------
# Study design
# --------------------------------------------------------------------------------------

TOPIC = "What would make the civil service a better place to work in 2030?"
CONVERSATION_ID = "2synthdemo"
DESCRIPTION = (
    "This is an open conversation for civil servants in every department, grade and region.\n\n"
    "Vote on statements written by colleagues (agree, disagree or pass) and add your own.\n"
    "Please don't name individuals. The conversation is open from Monday 3 March to Sunday 9 March 2025."
)

THEMES = [
    ("hybrid", "Flexible and hybrid working",
     "Office attendance rules, home working, commuting, desks and team days, compressed hours."),
    ("management", "Line management and career progression",
     "Quality and time of line managers, promotion, sifts and behaviour statements, regional careers."),
    ("pay", "Pay and recognition",
     "Pay levels and progression, pay differences between departments, awards, thanks and the pension."),
    ("tech", "Technology and tools",
     "Laptops, IT support, legacy systems, sharing across departments, hybrid meeting kit, AI."),
    ("wellbeing", "Wellbeing and workload",
     "Workload, stress and burnout, switching off, meetings, restructures, support offered."),
    ("inclusion", "Inclusion and accessibility",
     "Workplace adjustments, disability, neurodiversity, diversity of leadership, carers, fairness."),
    ("learning", "Learning and development",
     "Time and budget for learning, e-learning, apprenticeships, secondments, induction, coaching."),
]
NON_SUBSTANTIVE = [
    ("meta", "Meta", "Comments about the debate itself (length, repetition, whether it will be read)."),
    ("off_topic", "Off topic", "Off-topic, spam or test statements, moderated out."),
]

# Designed voting profiles: P(agree) in group 0, P(agree) in group 1, P(pass).
# Group 0 (about two thirds): mostly negative experiences.  Group 1: mostly positive.
PROFILES = {
    "neg": (0.70, 0.30, 0.12),     # complaint about the current situation
    "negs": (0.82, 0.42, 0.08),    # strong complaint, group 1 partly shares it
    "pos": (0.30, 0.76, 0.12),     # positive experience
    "want": (0.80, 0.62, 0.10),    # proposal both support, group 0 more
    "wantb": (0.48, 0.82, 0.12),   # proposal group 1 supports more
    "cons": (0.87, 0.86, 0.07),    # consensus: both groups agree
    "consno": (0.08, 0.14, 0.10),  # consensus: both groups disagree
    "split": (0.50, 0.48, 0.18),   # contested within both groups
    "niche": (0.55, 0.40, 0.30),   # relevant to few, many passes
    "junk": (0.08, 0.08, 0.45),    # spam, tests and off-topic questions
    "": (None, None, 0.10),
}
N_PARTICIPANTS = 653
GROUP_SHARE = (0.66, 0.34)
ORGANISER = 0  # participant 0 owns the conversation and wrote the seed statements

WEEK_START = dt.datetime(2025, 3, 3, 9, 0, 0, tzinfo=dt.timezone.utc)   # Mon, GMT
WEEK_END = dt.datetime(2025, 3, 9, 23, 59, 59, tzinfo=dt.timezone.utc)  # Sun
SEEDS_WRITTEN = dt.datetime(2025, 2, 28, 14, 5, 0, tzinfo=dt.timezone.utc)

DEPARTMENTS = [
    ("HMRC", 12), ("DWP", 14), ("MoJ", 10), ("Home Office", 8), ("DfE", 5), ("DHSC", 4),
    ("Cabinet Office", 6), ("DEFRA", 5), ("DfT", 4), ("MoD", 9), ("FCDO", 3), ("DESNZ", 3),
    ("DSIT", 3), ("DBT", 2), ("DCMS", 1.5), ("HM Treasury", 2), ("MHCLG", 3), ("ONS", 2.5),
    ("Other", 3),
]
GRADES = ["AA/AO", "EO", "HEO", "SEO", "G7", "G6", "SCS"]
GRADE_W = {0: [17, 25, 23, 17, 13, 4, 1], 1: [9, 15, 20, 20, 22, 9, 5]}
LINE_MANAGER_P = [0.03, 0.18, 0.38, 0.62, 0.75, 0.85, 0.92]
PROFESSIONS = [
    ("Operational Delivery", 30), ("Policy", 17), ("Digital, Data and Technology", 10),
    ("Finance", 5), ("Human Resources", 5), ("Project Delivery", 6), ("Analysis", 7),
    ("Commercial", 3), ("Communications", 3), ("Legal", 2), ("Science and Engineering", 3),
    ("Tax", 5), ("Security", 2), ("Other", 2),
]
REGIONS = [
    ("London", 20), ("South East", 6), ("South West", 6), ("East of England", 4),
    ("East Midlands", 5), ("West Midlands", 7), ("Yorkshire and the Humber", 9), ("North East", 8),
    ("North West", 14), ("Scotland", 9), ("Wales", 8), ("Northern Ireland", 2), ("Overseas", 0),
]
GENDERS = [("Woman", 54), ("Man", 42), ("Non-binary or other", 1), ("Prefer not to say", 3)]
ETHNICITIES = [
    ("White", 80), ("Asian or Asian British", 8), ("Black or Black British", 4),
    ("Mixed or multiple ethnic groups", 3), ("Other ethnic group", 1), ("Prefer not to say", 4),
]
DISABILITY = ["Yes", "No", "Prefer not to say"]
DISABILITY_W = {0: [17, 76, 7], 1: [10, 86, 4]}
PATTERNS = [("Hybrid", 82), ("Office or site based", 9), ("Home based", 9)]

# Workshops
SCENARIOS = {
    "A": "Scenario A: Fully remote by default",
    "B": "Scenario B: Regional hubs, not headquarters",
    "C": "Scenario C: AI-assisted civil service",
    "D": "Scenario D: Skills passports instead of grades",
    "E": "Scenario E: Four-day week, judged on outcomes",
}
SITES = {  # site: (workshop name, participants, tables, note-id prefix)
    "Manchester": ("Manchester co-design workshop, 25 March 2025", 28, 5, "MAN"),
    "Glasgow": ("Glasgow co-design workshop, 27 March 2025", 11, 2, "GLA"),
    "Cardiff": ("Cardiff co-design workshop, 1 April 2025", 22, 4, "CAR"),
}
COLOURS = {"keep": "green", "ditch": "pink", "add": "yellow"}
FACILITATOR_COLOUR = "blue"
TRANSCRIPT_DATE = {"manchester_table2": dt.datetime(2025, 3, 25, 16, 0, 0),
                   "glasgow_table1": dt.datetime(2025, 3, 27, 16, 0, 0),
                   "cardiff_table3": dt.datetime(2025, 4, 1, 16, 0, 0)}
FIXED_ZIP_TIME = (2025, 4, 2, 12, 0, 0)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

def weighted(rng, pairs_or_items, weights=None, size=None):
    if weights is None:
        items = [p[0] for p in pairs_or_items]
        weights = [p[1] for p in pairs_or_items]
    else:
        items = list(pairs_or_items)
    w = np.asarray(weights, dtype=float)
    idx = rng.choice(len(items), size=size, p=w / w.sum())
    if size is None:
        return items[int(idx)]
    return [items[int(i)] for i in idx]


def ms(t: dt.datetime) -> int:
    return int(round(t.timestamp() * 1000))


def polis_datetime(ms_value: int) -> str:
    t = dt.datetime.fromtimestamp(ms_value / 1000, tz=dt.timezone.utc)
    return t.strftime("%a %b %d %H:%M:%S GMT %Y")


def write_csv(path: Path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def normalise_zip(path: Path, core_dates: str | None = None):
    """Rewrite an Office zip with fixed timestamps (and fixed core.xml dates)."""
    with zipfile.ZipFile(path) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml" and core_dates:
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)",
                              lambda m: m.group(1) + core_dates + m.group(2), text)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              lambda m: m.group(1) + core_dates + m.group(2), text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------------------

def read_statements():
    with open(SOURCE / "statements.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_notes():
    with open(SOURCE / "notes.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_transcript(path: Path):
    header, turns = {}, []
    in_body = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if not in_body:
            if line == "---":
                in_body = True
                continue
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
            continue
        theme = ""
        m = re.match(r"^\[(\w+)\]\s+(.*)$", line)
        if m:
            theme, line = m.group(1), m.group(2)
        speaker, _, text = line.partition(": ")
        turns.append({"speaker": speaker, "text": text, "theme": theme})
    return header, turns


# --------------------------------------------------------------------------------------
# the debate
# --------------------------------------------------------------------------------------

def make_participants(rng):
    n = N_PARTICIPANTS
    n0 = int(round(n * GROUP_SHARE[0]))
    groups = np.array([0] * n0 + [1] * (n - n0))
    groups = groups[rng.permutation(n)]
    people = []
    for k in range(n):
        g = int(groups[k])
        pid = k + 1
        dept = weighted(rng, DEPARTMENTS)
        grade_i = int(rng.choice(len(GRADES), p=np.array(GRADE_W[g]) / sum(GRADE_W[g])))
        grade = GRADES[grade_i]
        prof_w = []
        for name, w in PROFESSIONS:
            if name == "Operational Delivery" and dept in ("HMRC", "DWP", "MoJ", "Home Office"):
                w *= 2.5
            if name == "Tax" and dept != "HMRC":
                w *= 0.1
            if name == "Tax" and dept == "HMRC":
                w *= 3
            if name == "Policy" and dept in ("Cabinet Office", "HM Treasury", "DfE", "DESNZ", "DSIT", "DBT",
                                             "DCMS", "MHCLG", "DHSC", "DEFRA"):
                w *= 2
            if name == "Analysis" and dept == "ONS":
                w *= 8
            prof_w.append(w)
        profession = weighted(rng, [p for p, _ in PROFESSIONS], prof_w)
        region_w = [w for _, w in REGIONS]
        if dept == "FCDO":
            region_w[-1] = 25
        if dept in ("HM Treasury", "Cabinet Office"):
            region_w[0] *= 2
        region = weighted(rng, [r for r, _ in REGIONS], region_w)
        lm = "yes" if rng.random() < LINE_MANAGER_P[grade_i] else "no"
        gender = weighted(rng, GENDERS)
        ethnicity = weighted(rng, ETHNICITIES)
        disability = weighted(rng, DISABILITY, DISABILITY_W[g])
        pattern = weighted(rng, PATTERNS)
        # a few skipped questions, as in any real form
        if rng.random() < 0.012:
            profession = ""
        if rng.random() < 0.010:
            region = ""
        people.append(dict(participant=pid, group=g, department=dept, grade=grade,
                           profession=profession, region=region, line_manager=lm, gender=gender,
                           ethnicity=ethnicity, disability=disability, working_pattern=pattern))
    return people


def session_times(rng, n_sessions):
    day_w = np.array([28, 20, 13, 18, 11, 4, 6], float)
    hour_w = np.array([0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 2, 4, 4.5, 4, 3, 3.5, 4, 3.5, 3, 2,
                       1.5, 1.5, 1.5, 1.2, 0.8, 0.4])
    day0 = WEEK_START.replace(hour=0)
    end = ms(WEEK_END) - 3 * 3600 * 1000
    while True:
        day = int(rng.choice(7, p=day_w / day_w.sum()))
        hw = hour_w.copy()
        if day == 0:
            hw[:9] = 0
        hour = int(rng.choice(24, p=hw / hw.sum()))
        t = day0 + dt.timedelta(days=day, hours=hour, seconds=int(rng.integers(0, 3600)))
        if ms(t) < end:
            break
    times = [ms(t)]
    for _ in range(n_sessions - 1):
        nxt = times[-1] + int(rng.exponential(1.4 * 86400 * 1000)) + 2 * 3600 * 1000
        if nxt < end:
            times.append(nxt)
    return times


def build_debate(rng, statements_src):
    people = make_participants(rng)
    n = len(people)
    # engagement: how many votes each participant means to cast, and when they visit
    targets = np.empty(n, int)
    for k in range(n):
        if rng.random() < 0.09:
            targets[k] = int(rng.integers(1, 7))
        else:
            targets[k] = int(np.clip(rng.lognormal(np.log(142), 0.5), 7, 400))
    sessions = []
    for k in range(n):
        ns = int(rng.choice([1, 2, 3], p=[0.35, 0.40, 0.25])) if targets[k] >= 7 else 1
        sessions.append(session_times(rng, ns))
    pass_mult = rng.lognormal(0.0, 0.45, n)
    pass_mult /= np.exp(0.45 ** 2 / 2)
    lean = rng.normal(0.0, 0.35, n)

    # statements: seeds by the organiser before launch; the rest by participants during visits
    seeds = [s for s in statements_src if s["seed"] == "1"]
    others = [s for s in statements_src if s["seed"] != "1"]
    order = rng.permutation(len(others))
    others = [others[i] for i in order]
    eligible_authors = np.array([k for k in range(n) if targets[k] >= 7])
    w = np.sqrt(targets[eligible_authors].astype(float))
    authors = rng.choice(eligible_authors, size=len(others), p=w / w.sum())
    drafts = []
    t = ms(SEEDS_WRITTEN)
    for s in seeds:
        drafts.append((t, ORGANISER, s))
        t += int(rng.integers(40_000, 200_000))
    for s, a in zip(others, authors):
        a = int(a)
        sess = sessions[a]
        st = sess[0] if rng.random() < 0.6 else sess[int(rng.integers(0, len(sess)))]
        t = st + int(rng.integers(60, 1500)) * 1000 + int(rng.integers(0, 1000))
        drafts.append((t, people[a]["participant"], s))
    drafts.sort(key=lambda d: d[0])

    comments = []
    for cid, (t, author, s) in enumerate(drafts):
        prof = s["profile"]
        a0, a1, p = PROFILES[prof]
        j0, j1, jp = rng.uniform(-0.04, 0.04), rng.uniform(-0.04, 0.04), rng.uniform(0.8, 1.25)
        if s["agree_a"]:
            a0, a1 = float(s["agree_a"]) / 100, float(s["agree_b"]) / 100
        else:
            a0, a1, p = a0 + j0, a1 + j1, p * jp
        pg = [min(p, 0.7 * (1 - a0)), min(p, 0.7 * (1 - a1))]
        moderated = int(s["moderated"])
        mod_time = None
        if moderated == -1:
            mod_time = t + int(rng.uniform(0.5, 5) * 3600 * 1000)
        comments.append(dict(cid=cid, t=t, author=author, text=s["text"], theme=s["theme"],
                             seed=s["seed"] == "1", meta=s["meta"] == "1", moderated=moderated,
                             mod_time=mod_time, profile=prof or "custom", agree=(a0, a1), pass_=pg))
    # the last two accepted participant statements had not been moderated when the export ran
    late = [c for c in comments if not c["seed"] and c["moderated"] == 1 and not c["meta"]][-2:]
    for c in late:
        c["moderated"] = 0

    nc = len(comments)
    c_time = np.array([c["t"] for c in comments])
    c_mod = np.array([c["mod_time"] if c["mod_time"] else 2 ** 62 for c in comments])
    c_author = np.array([c["author"] for c in comments])
    A = np.array([[c["agree"][0] for c in comments], [c["agree"][1] for c in comments]])
    P = np.array([[c["pass_"][0] for c in comments], [c["pass_"][1] for c in comments]])
    incl_neg = np.array([c["theme"] == "inclusion" and c["profile"] in ("neg", "negs", "niche")
                         for c in comments])

    votes = []  # (timestamp, cid, pid, vote)
    # authors agree with their own statement when they post it (as Pol.is records it)
    for c in comments:
        if c["author"] != ORGANISER:
            votes.append((c["t"] + int(rng.integers(2, 9)), c["cid"], c["author"], 1))
    for k, person in enumerate(people):
        pid = person["participant"]
        g = person["group"]
        voted = c_author == pid
        remaining = int(targets[k])
        sess = sessions[k]
        shares = rng.dirichlet(np.ones(len(sess)) * 2.0)
        for si, st in enumerate(sess):
            want = remaining if si == len(sess) - 1 else int(round(targets[k] * shares[si]))
            want = min(want, remaining)
            elig = np.flatnonzero((c_time < st) & (c_mod > st) & ~voted)
            if want <= 0 or len(elig) == 0:
                continue
            pick = elig[rng.permutation(len(elig))[:want]]
            kk = len(pick)
            gaps = (4 + rng.exponential(11.0, kk)) * 1000
            times = st + np.cumsum(gaps).astype(np.int64)
            p_i = np.clip(P[g, pick] * pass_mult[k], 0.005, 0.7)
            q = np.clip(A[g, pick] / (1 - P[g, pick]), 0.02, 0.98)
            logit = np.log(q / (1 - q)) + lean[k]
            if person["disability"] == "Yes":
                logit = logit + 0.9 * incl_neg[pick]
            q_i = 1 / (1 + np.exp(-logit))
            u1, u2 = rng.random(kk), rng.random(kk)
            vals = np.where(u1 < p_i, 0, np.where(u2 < q_i, 1, -1))
            for cid, tt, v in zip(pick, times, vals):
                if tt >= c_mod[cid]:
                    continue  # the statement was moderated out before this vote
                votes.append((int(tt), int(cid), pid, int(v)))
            voted[pick] = True
            remaining -= kk

    # a few participants change their mind later: the latest vote wins
    candidates = [i for i, v in enumerate(votes)
                  if comments[v[1]]["author"] != v[2] and comments[v[1]]["moderated"] != -1]
    revote_idx = rng.choice(candidates, size=180, replace=False)
    end = ms(WEEK_END)
    for i in sorted(int(x) for x in revote_idx):
        t, cid, pid, v = votes[i]
        nt = min(t + int(rng.uniform(0.3, 48) * 3600 * 1000), end - int(rng.integers(1, 3600)) * 1000)
        if nt <= t:
            continue
        r = rng.random()
        if v == 0:
            nv = 1 if r < 0.6 else -1
        else:
            nv = -v if r < 0.65 else 0
        votes.append((nt, cid, pid, nv))
    votes.sort(key=lambda v: (v[1], v[2], v[0]))
    return people, comments, votes


def write_debate(out: Path, people, comments, votes):
    d = out / "debate"
    latest = {}
    agrees, disagrees = {}, {}
    for t, cid, pid, v in votes:  # sorted by comment, voter, time
        latest[(cid, pid)] = v
        if v == 1:
            agrees[cid] = agrees.get(cid, 0) + 1
        elif v == -1:
            disagrees[cid] = disagrees.get(cid, 0) + 1
    write_csv(d / "comments.csv",
              ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
               "is-meta", "is-seed", "comment-body"],
              [[c["t"], polis_datetime(c["t"]), c["cid"], c["author"], agrees.get(c["cid"], 0),
                disagrees.get(c["cid"], 0), c["moderated"], str(c["meta"]).lower(),
                str(c["seed"]).lower(), c["text"]] for c in comments])
    write_csv(d / "votes.csv", ["timestamp", "datetime", "comment-id", "voter-id", "vote"],
              [[t, polis_datetime(t), cid, pid, v] for t, cid, pid, v in votes])

    nc = len(comments)
    by_pid = {}
    for (cid, pid), v in latest.items():
        by_pid.setdefault(pid, {})[cid] = v
    n_comments = {}
    for c in comments:
        n_comments[c["author"]] = n_comments.get(c["author"], 0) + 1
    group_of = {p["participant"]: p["group"] for p in people}
    rows = []
    in_conv = 0
    for pid in range(0, N_PARTICIPANTS + 1):
        pv = by_pid.get(pid, {})
        if not pv and pid not in n_comments:
            continue
        nv = len(pv)
        gid = ""
        if nv >= 7 and pid in group_of:
            gid = group_of[pid]
            in_conv += 1
        row = [pid, "", gid, n_comments.get(pid, 0), nv, sum(1 for v in pv.values() if v == 1),
               sum(1 for v in pv.values() if v == -1)]
        row += [pv.get(cid, "") for cid in range(nc)]
        rows.append(row)
    write_csv(d / "participants-votes.csv",
              ["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
              + [str(c) for c in range(nc)], rows)
    voters = len({pid for (_, pid) in latest})
    summary = [
        ("topic", TOPIC),
        ("url", f"https://pol.is/{CONVERSATION_ID}"),
        ("conversation-id", CONVERSATION_ID),
        ("views", int(round(voters * 1.64))),
        ("voters", voters),
        ("voters-in-conv", in_conv),
        ("commenters", len(n_comments)),
        ("comments", nc),
        ("groups", 2),
        ("conversation-description", DESCRIPTION),
    ]
    path = d / "summary.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(summary)

    write_csv(out / "participants.csv",
              ["participant", "department", "grade", "profession", "region", "line_manager", "gender",
               "ethnicity", "disability", "working_pattern"],
              [[p["participant"], p["department"], p["grade"], p["profession"], p["region"],
                p["line_manager"], p["gender"], p["ethnicity"], p["disability"], p["working_pattern"]]
               for p in people])

    # answer key: themes and the designed versus realised agreement per group
    ak = out / "answer_key"
    write_csv(ak / "statements.csv", ["comment-id", "theme"], [[c["cid"], c["theme"]] for c in comments])
    realised = {}
    for (cid, pid), v in latest.items():
        if pid not in group_of or len(by_pid[pid]) < 7:
            continue
        r = realised.setdefault((cid, group_of[pid]), [0, 0])
        r[0] += v == 1
        r[1] += 1
    design_rows = []
    for c in comments:
        row = [c["cid"], c["theme"], c["profile"], c["moderated"]]
        for g in (0, 1):
            a, n_ = realised.get((c["cid"], g), [0, 0])
            row += [round(100 * c["agree"][g]), round(100 * c["pass_"][g]), n_,
                    round(100 * a / n_) if n_ else ""]
        design_rows.append(row)
    write_csv(ak / "design.csv",
              ["comment-id", "theme", "profile", "moderated",
               "designed_agree_g0", "designed_pass_g0", "voters_g0", "realised_agree_g0",
               "designed_agree_g1", "designed_pass_g1", "voters_g1", "realised_agree_g1"],
              design_rows)


# --------------------------------------------------------------------------------------
# workshops
# --------------------------------------------------------------------------------------

def write_notes(out: Path, rng, notes_src):
    rows = []
    key = []
    for site, (workshop, _n, tables, prefix) in SITES.items():
        site_notes = [n for n in notes_src if n["site"] == site]
        # notes are typed up scenario by scenario, in no particular order within a scenario
        ordered = []
        for letter in SCENARIOS:
            block = [n for n in site_notes if n["scenario"] == letter]
            ordered += [block[i] for i in rng.permutation(len(block))]
        for i, n in enumerate(ordered, start=1):
            m = re.search(r"Tables? (\d)", n["text"])
            table = int(m.group(1)) if m else int(rng.integers(1, tables + 1))
            facil = n["author_role"] == "facilitator"
            colour = FACILITATOR_COLOUR if facil else COLOURS[n["activity"]]
            dots = 0 if facil else int(min(rng.poisson(1.1) + (rng.random() < 0.08) * rng.integers(2, 6), 9))
            note_id = f"{prefix}-{i:03d}"
            rows.append([note_id, site, workshop, table, n["activity"], SCENARIOS[n["scenario"]], colour,
                         dots, n["author_role"], n["text"]])
            key.append([note_id, n["theme"]])
    header = ["note_id", "site", "workshop", "table", "activity", "scenario", "colour", "dot_votes",
              "author_role", "text"]
    write_csv(out / "workshop_notes.csv", header, rows)
    write_csv(out / "answer_key" / "notes.csv", ["note_id", "theme"], key)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a project requirement
        print("openpyxl not installed: workshop_notes.xlsx not written", file=sys.stderr)
        return
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sticky notes"
    ws.append(header)
    for r in rows:
        ws.append(r)
    for col, width in zip("ABCDEFGHIJ", (10, 12, 44, 7, 9, 46, 9, 10, 12, 70)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    fixed = dt.datetime(2025, 4, 2, 12, 0, 0)
    wb.properties.creator = "Synth sample data"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.lastModifiedBy = "Synth sample data"
    path = out / "workshop_notes.xlsx"
    wb.save(path)
    normalise_zip(path, "2025-04-02T12:00:00Z")


def write_transcripts(out: Path):
    import docx
    from docx.shared import Pt
    tdir = out / "transcripts"
    tdir.mkdir(parents=True, exist_ok=True)
    key = []
    for src in sorted((SOURCE / "transcripts").glob("*.txt")):
        header, turns = read_transcript(src)
        doc = docx.Document()
        doc.add_heading(header["title"], level=1)
        doc.add_paragraph(f"Workshop: {header['workshop']}")
        doc.add_paragraph(f"Date: {header['date']}")
        doc.add_paragraph(f"Venue: {header['venue']}")
        p = doc.add_paragraph(header["recording"])
        p.runs[0].italic = True
        doc.add_heading("Transcript", level=2)
        first = len(doc.paragraphs)  # paragraph index of the first speaker turn
        for i, t in enumerate(turns):
            para = doc.add_paragraph()
            r = para.add_run(f"{t['speaker']}:")
            r.bold = True
            para.add_run(f" {t['text']}")
            para.paragraph_format.space_after = Pt(4)
            key.append([src.stem + ".docx", i, first + i, t["speaker"], t["theme"] or "none"])
        cp = doc.core_properties
        when = TRANSCRIPT_DATE[src.stem]
        cp.author = "Synth sample data"
        cp.last_modified_by = "Synth sample data"
        cp.title = header["title"]
        cp.created = when
        cp.modified = when
        cp.revision = 1
        path = tdir / (src.stem + ".docx")
        doc.save(path)
        normalise_zip(path, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    write_csv(out / "answer_key" / "passages.csv", ["file", "turn_index", "paragraph_index", "speaker", "theme"], key)


def write_themes(out: Path):
    data = {
        "description": "Answer key for the Synth sample study. The app must never read this folder.",
        "themes": [{"id": i, "name": n, "description": d} for i, n, d in THEMES],
        "non_substantive": [{"id": i, "name": n, "description": d} for i, n, d in NON_SUBSTANTIVE],
        "opinion_groups": [
            {"group-id": 0, "name": "Mostly negative experiences", "designed_share": GROUP_SHARE[0]},
            {"group-id": 1, "name": "Mostly positive experiences", "designed_share": GROUP_SHARE[1]},
        ],
    }
    path = out / "answer_key" / "themes.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def generate(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    people, comments, votes = build_debate(rng, read_statements())
    write_debate(out, people, comments, votes)
    write_notes(out, np.random.default_rng(SEED + 1), read_notes())
    write_transcripts(out)
    write_themes(out)
    return people, comments, votes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=HERE, help="output directory (default: sample_data/)")
    ap.add_argument("out_pos", nargs="?", type=Path, help="output directory (alternative to --out)")
    args = ap.parse_args(argv)
    out = args.out_pos or args.out
    people, comments, votes = generate(out)
    latest = {(cid, pid): v for _, cid, pid, v in votes}
    passes = sum(1 for v in latest.values() if v == 0)
    print(f"{len(people)} participants, {len(comments)} statements, {len(votes)} vote rows, "
          f"{len(latest)} final votes ({100 * passes / len(latest):.1f}% passes) -> {out}")


if __name__ == "__main__":
    main()
