"""The Word report: the document a policy team publishes, written from the project.

``write_report(project, path, options)`` builds it in the order readers expect (title page,
contents, introduction, opinion groups, themes overview, one chapter per theme, methodology,
annexes). Every number goes through a ``FigureRegistry`` and carries a small superscript
reference (F12) that leads to its line in the traceability annex: statement, counts, group and
section. The wording the researcher owns (title, authors, methodology, limitations, group
portraits) comes from the project setting ``report`` (a JSON object), and can be overridden by
``ReportOptions``.
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from synth.files import replacing
from synth.votes.group_names import GroupNames
from synth.votes.statement_figures import groups_in_use, statement_tallies
from synth.words import and_list, plural

from . import content as C
from .docx_util import (MUTED, keep_with_next, new_document, page_break, page_footer,
                        set_alt_text, table, toc_field, update_fields_on_open)
from .figures import FLAG, Figure, FigureRegistry, Tally

Progress = Callable[[int, int, str], None]

SECTIONS = ("title_page", "contents", "introduction", "opinion_groups", "segments",
            "themes_overview", "themes", "methodology", "characteristics", "traceability")

DEFAULT_LIMITATIONS = [   # for a study with a debate and workshops; default_limitations fits it
    "Self-selection. People chose to take part in the debate and the workshops; those with "
    "strong views, good or bad, are likely to be over-represented, and the figures describe the "
    "people who took part, not everyone the study is about.",
    "Who voted on what. Participants did not all vote on every statement, so each figure is a "
    "share of those who voted on that statement, and its n is printed beside it.",
    "Small numbers. Figures based on few votes are flagged (or left out, as the project is set); "
    "workshop groups were small and their notes are not statistics.",
    "Researcher judgement. Themes were refined and recommendations written by the research team; "
    "the evidence behind each one is listed so readers can judge it for themselves.",
]


def default_limitations(h: C.Headline, *, reviewed: bool = True,
                        recommendations: bool = True, themes: bool = True) -> list[str]:
    """DEFAULT_LIMITATIONS, said of what the study has: no votes, no word about votes; no
    workshops, no word about workshop groups; no one's "workforce" (QA 29, 31); themes the team
    has not reviewed, or no recommendations, are not said to be the team's work; no themes at
    all, no word of themes (QA: "The themes are candidates…" in a report without any)."""
    parts = (["the debate"] if h.has_debate else []) + (["the workshops"] if h.workshops else [])
    if h.interviews:
        parts.append("the interview" if h.interviews == 1 else "the interviews")
    judged = ("Researcher judgement. " + (
        "The themes are candidates found by clustering the texts; the research team has not "
        "yet reviewed them" if not reviewed else
        "Themes were refined " + ("and recommendations written " if recommendations else "")
        + "by the research team") + "; the evidence behind each one is listed so readers can "
        "judge it for themselves.")
    judged_list = [judged] if themes else []
    if parts == ["the debate", "the workshops"]:
        return DEFAULT_LIMITATIONS[:3] + judged_list
    out = [f"Self-selection. People chose to take part in {_and(parts) or 'this study'}; those "
           "with strong views, good or bad, are likely to be over-represented, and what they "
           "said describes the people who took part, not everyone the study is about."]
    if h.has_debate:
        out.append(DEFAULT_LIMITATIONS[1])
    small = (["figures based on few votes are flagged (or left out, as the project is set)"]
             if h.has_debate else [])
    if h.workshops:
        small.append("workshop groups were small and their notes are not statistics")
    elif h.notes or h.transcripts:
        small.append("what a few people wrote or said is not a statistic")
    if small:
        text = "; ".join(small) + "."
        out.append("Small numbers. " + text[:1].upper() + text[1:])
    return out + judged_list


@dataclass
class ReportOptions:
    """Which parts to write and the words the researcher owns. ``None`` means: take it from the
    project's ``report`` setting, else a sensible default."""
    title_page: bool = True
    contents: bool = True
    introduction: bool = True
    opinion_groups: bool = True
    segments: bool = True               # written only when the team defined segments
    themes_overview: bool = True
    themes: bool = True
    methodology: bool = True
    characteristics: bool = True
    traceability: bool = True
    charts: bool = True
    title: str | None = None
    subtitle: str | None = None
    authors: str | None = None
    date: str | None = None
    template: str | None = None
    chart_dpi: int = 300
    max_statements_per_theme: int = 5
    strip_personal_data: bool | None = None   # None: the project's setting (strip_requested)


@dataclass
class ReportResult:
    path: Path
    figures: list[Figure]
    headings: list[tuple[int, str]]
    charts: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def write_report(project: Any, path: str | Path, options: ReportOptions | None = None,
                 progress: Progress | None = None) -> ReportResult:
    started = time.perf_counter()
    options = options or ReportOptions()
    writer = _ReportWriter(project, options, progress)
    writer.build()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp:   # whole or not at all; a failed save keeps the old report
        writer.doc.save(str(temp))
    return ReportResult(path, writer.reg.figures, writer.headings, writer.n_charts,
                        time.perf_counter() - started, writer.warnings)


def agreement_caption(sections: list[str]) -> str:
    """The caption of the chart of the opinion groups' agreement: it names the sections whose
    statements it draws (``sections``), which stand above it."""
    listed = and_list([f"“{s}”" for s in sections])
    return (f"% agree in each opinion group, of those in the group who voted, for the "
            f"statements listed under {listed} (the figures are those in the text).")


def report_figures(project: Any, options: ReportOptions | None = None) -> list[Figure]:
    """The figures the report written with these ``options`` prints, F1 … as it numbers them
    and its traceability annex lists them (the parts it leaves out change the numbering):
    built as ``write_report`` builds them, with no chart drawn and nothing saved."""
    writer = _ReportWriter(project, replace(options or ReportOptions(), charts=False), None)
    writer.build()
    return writer.reg.figures


class _ReportWriter:
    def __init__(self, project: Any, options: ReportOptions, progress: Progress | None) -> None:
        self.project = project
        self.o = options
        self.progress = progress
        self.reg = FigureRegistry.for_project(project)
        self.settings: dict[str, Any] = project.setting("report", {}) or {}
        self.doc, self.house = new_document(options.template)
        self.headings: list[tuple[int, str]] = []
        self.n_charts = 0
        self.warnings: list[str] = []
        self._flagged_in_section = False
        self.statements = C.statements(project)
        in_use = groups_in_use(project)        # read once: the figures' groups are these
        figures = statement_tallies(project, in_use=in_use)
        self.tallies = C.tallies(project, figures)
        # the groups are named (Group A, B …) only in their own chapter: without it, a figure
        # "Group A 72%" or a method for finding groups would be about nothing the report says
        self.groups = C.opinion_groups(project, figures, in_use) \
            if options.opinion_groups else None
        # a group is named for its debate, and a Pol.is debate's name is its whole question:
        # the report prints the short names the window shows ("Group A (Debate 1)", QA 22)
        self.names = GroupNames.of(in_use)
        self.headline_figs: dict[str, Figure] = {}
        self.h = C.headline(project)
        self.strip = C.strip_requested(project) if options.strip_personal_data is None \
            else bool(options.strip_personal_data)
        self.redacted = C.confirmed_redactions(project)
        self.known = C.names_to_strip(project, self.strip)  # the names every export masks
        self._annexes = 0
        self._headline: list[tuple[Figure, str]] | None = None
        self._table_n = 0
        self._fresh_page = False
        self._chart_n = 0

    # ------------------------------------------------------------------ writing primitives
    def heading(self, text: str, level: int = 1) -> None:
        self._close_section_notes()
        self.reg.section = text
        p = self.doc.add_heading(text, level)
        keep_with_next(p)
        if level == 1:
            # chapters start on a new page, as in a printed report
            p.paragraph_format.page_break_before = not self._fresh_page
            self._fresh_page = False
        self.headings.append((level, text))

    def para(self, text: str = "", style: str | None = None):
        p = self.doc.add_paragraph(style=style)
        if text:
            p.add_run(text)
        return p

    def fig(self, p, f: Figure, *, bold: bool = True) -> None:
        """The figure as printed, then its superscript reference to the traceability annex."""
        if self.reg.section and self.reg.section not in f.section.split("; "):
            f.section += f"; {self.reg.section}"
        r = p.add_run(f.text)
        r.bold = bold
        if f.small_n and not f.suppressed:
            p.add_run(FLAG).bold = bold
            self._flagged_in_section = True
        if f.suppressed:
            self._flagged_in_section = True
        if not self.o.traceability:     # no annex for a reference to lead to
            return
        m = p.add_run(f.id)
        m.font.superscript = True
        m.font.size = Pt(7)
        m.font.color.rgb = MUTED

    def _close_section_notes(self) -> None:
        if self._flagged_in_section:
            action = ("are not shown (—)" if self.reg.small_n_action == "suppress"
                      else f"are marked {FLAG}; read them with care")
            p = self.para(f"Figures based on fewer than {self.reg.small_n} votes {action}.",
                          "Caption")
            p.paragraph_format.space_before = Pt(4)
        self._flagged_in_section = False

    def chart(self, chart: Any, caption: str, width_cm: float = 16.0) -> None:
        self._chart_n += 1
        self.n_charts += 1
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        keep_with_next(p)
        shape = p.add_run().add_picture(io.BytesIO(chart.png), width=Cm(width_cm))
        set_alt_text(shape, chart.alt, chart.title)
        self.para(f"Chart {self._chart_n}. {caption}", "Caption")

    def caption_table(self, caption: str) -> None:
        self._table_n += 1
        p = self.para(f"Table {self._table_n}. {caption}", "Caption")
        keep_with_next(p)

    def _tick(self, i: int, msg: str) -> None:
        if self.progress:
            self.progress(i, len(SECTIONS), msg)

    def setting(self, key: str, default: Any = None) -> Any:
        v = getattr(self.o, key, None)
        if v is not None:
            return v
        return self.settings.get(key, default)

    # ------------------------------------------------------------------ the document
    def build(self) -> None:
        title = self.setting("title") or self._default_title()
        if self.house:
            page_footer(self.doc, title)
        steps = [("title_page", self.title_page), ("contents", self.contents),
                 ("introduction", self.introduction), ("opinion_groups", self.opinion_groups),
                 ("segments", self.segments), ("themes_overview", self.themes_overview),
                 ("themes", self.theme_chapters),
                 ("methodology", self.methodology), ("characteristics", self.characteristics),
                 ("traceability", self.traceability)]
        listed = C.theme_contents(self.project, self.o.max_statements_per_theme,
                                  strip=self.strip) \
            if (self.o.themes or self.o.themes_overview) else []
        # a theme with nothing in it yet (a codebook's code before any card) is named in one
        # line under "Themes at a glance", not given a chapter that says it is empty
        self.themes = [t for t in listed if not t.empty]
        self.empty_themes = [t for t in listed if t.empty]
        for i, (name, step) in enumerate(steps):
            if getattr(self.o, name):
                self._tick(i, name.replace("_", " "))
                step()
        self._close_section_notes()
        if getattr(self, "_toc", None) is not None:
            toc_field(self._toc, [(lvl, t) for lvl, t in self.headings if lvl == 1])
        update_fields_on_open(self.doc)
        props = self.doc.core_properties
        props.title = title
        props.author = self.setting("authors") or ""
        props.subject = "Research synthesis report"

    def _default_title(self) -> str:
        study = self.project.setting("study_name")
        if study:
            return str(study)
        name = self.project.scalar("SELECT name FROM sources WHERE kind = 'debate' "
                                   "ORDER BY id LIMIT 1")
        return f"What we heard: {name}" if name else "What we heard"

    def title_page(self) -> None:
        for _ in range(5):
            self.para()
        self.para(self.setting("title") or self._default_title(), "Title")
        parts = C.study_parts(self.h)
        sub = self.setting("subtitle") or "Findings and recommendations" + (
            f" from {_and(parts)}" if parts else "")
        self.para(sub, "Subtitle")
        for _ in range(6):
            self.para()
        authors = self.setting("authors")
        if authors:
            p = self.para(authors)
            p.runs[0].font.size = Pt(12)
        when = self.setting("date") or date.today().strftime("%-d %B %Y")
        p = self.para(when)
        p.runs[0].font.color.rgb = MUTED
        organisation = self.setting("organisation")
        if organisation:
            self.para(organisation).runs[0].font.color.rgb = MUTED
        page_break(self.doc)
        self._fresh_page = True

    def contents(self) -> None:
        p = self.para("Contents")
        p.runs[0].font.size = Pt(18)
        p.runs[0].bold = True
        p.runs[0].font.color.rgb = RGBColor(0x0B, 0x3C, 0x5D)
        p = self.doc.add_paragraph()
        self._toc = p
        page_break(self.doc)
        self._fresh_page = True

    # ------------------------------------------------------------------ introduction
    def introduction(self) -> None:
        h = self.h
        self.heading("Introduction")
        intro = self.settings.get("introduction")
        if intro:
            for block in str(intro).split("\n\n"):
                self.para(block.strip())
        rows = self._headline_rows()
        parts = C.study_parts(h)
        p = self.para("This report brings together what people told us in ")
        p.add_run(_and(parts) if parts else "this study")
        covers = []
        if self._has_groups():
            covers.append("the opinion groups found in the debate")
        # "everything" and "our recommendations" only when true of the board (QA 7)
        outside = self._cards_outside()[1] if self.themes else 1
        covers.append("the themes that emerged from "
                      + ("everything" if not outside else "what") + " participants shared")
        if self.project.scalar("SELECT 1 FROM recommendations LIMIT 1"):
            covers.append("our recommendations")
        p.add_run(f". It sets out {_and(covers)}." + (
            " Every figure carries a small reference (such as F1) to the annex that shows "
            "where it comes from." if self.o.traceability else ""))
        if not rows:
            return
        self.para("Headline figures", "Heading 3")
        t = self.doc.add_table(rows=0, cols=2)
        for f, label in rows:
            cells = t.add_row().cells
            cp = cells[0].paragraphs[0]
            cp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.fig(cp, f)
            for r in cp.runs[:1]:
                r.font.size = Pt(16)
                r.font.color.rgb = RGBColor(0x0B, 0x3C, 0x5D)
            cells[1].paragraphs[0].add_run(label)
            cells[1].paragraphs[0].paragraph_format.space_before = Pt(5)
        for row in t.rows:
            row.cells[0].width = Cm(3.2)
            row.cells[1].width = Cm(12.5)
        self.para()

    def _headline_rows(self) -> list[tuple[Figure, str]]:
        """The headline figures with their printed labels, registered once, in the order the
        introduction prints them (F1, F2, F3 …); the methodology cites the same figures."""
        if self._headline is not None:
            return self._headline
        h = self.h
        reg = self.reg
        figs = self.headline_figs
        rows: list[tuple[Figure, str]] = []

        def headline(key: str, label: str, value: int, origin: str, printed: str) -> None:
            # registered in the order printed, so the table reads F1, F2, F3 …
            figs[key] = reg.count(label, value, origin=origin)
            rows.append((figs[key], printed))
        left_out = (f"; {h.votes_left_out:,} votes on moderated-out and meta statements are "
                    "not counted") if h.votes_left_out else ""
        if h.debate_participants:
            headline("participants", "participants who voted on the online debate's statements",
                     h.debate_participants,
                     "SELECT count(DISTINCT participant_id) FROM votes WHERE statement_id IN "
                     "(listed statements)" if not h.tallies_only else
                     "participants of the debate as imported (tallies only)",
                     "people took part in the online debate")
            headline("statements", "statements voted on (moderated-out and meta statements "
                     "left out)", h.statements,
                     "SELECT count(*) FROM statements WHERE moderation >= 0 AND is_meta = 0",
                     "statements were voted on")
            if h.seed_statements:
                headline("seed", "seed statements written by the research team",
                         h.seed_statements, "listed statements with is_seed = 1",
                         "seed statements were written by the research team")
                headline("added", "statements added by participants",
                         h.statements - h.seed_statements, "listed statements with is_seed = 0",
                         "statements were added by participants")
            headline("votes", "agree, disagree and pass votes on those statements", h.votes,
                     ("SELECT count(*) FROM votes WHERE statement_id IN (listed statements)"
                      if not h.tallies_only else "sum of the listed statements' imported "
                      "tallies") + left_out,
                     "agree, disagree or pass votes were cast on these statements")
        if h.workshops:
            headline("workshops", "co-design workshops", len(h.workshops),
                     "distinct workshops of notes and transcripts",
                     "co-design workshops were held" if len(h.workshops) != 1 else
                     "co-design workshop was held")
        # counted from transcripts, they are people who speak in them: an interview is no
        # workshop table (QA 29)
        who = ("people took part in the workshop in {}" if "transcripts" not in
               h.per_city_origin else "participants speak in the transcripts from {}")
        for city, n in h.per_city.items():
            label = ("participants speaking in the transcripts from " if "transcripts" in
                     h.per_city_origin else "workshop participants in ") + city
            rows.append((reg.count(label, n, population=city, origin=h.per_city_origin),
                         who.format(city)))
        self._headline = rows
        return rows

    def _has_groups(self) -> bool:
        return self.groups is not None and any(
            len(d.group_ids) >= 2 for _name, d in self.groups.per_debate())

    # ------------------------------------------------------------------ opinion groups
    def opinion_groups(self) -> None:
        g = self.groups
        if not self.h.has_debate and g is None:
            return      # no debate in this study: nothing to say about its groups
        self.heading("Opinion groups")
        debates = g.per_debate() if g is not None else []
        if not any(len(d.group_ids) >= 2 for _name, d in debates):
            # said of what happened: no analysis is no finding (QA 31)
            if self.h.tallies_only:
                self.para("Only each statement's vote totals were available, not each "
                          "person's votes, so opinion groups could not be computed.")
            elif not debates:
                self.para("No opinion-group analysis has been run on the debate's votes yet, "
                          "so this report does not describe opinion groups.")
            else:
                self.para("The opinion-group analysis found a single group: the debate's "
                          "votes do not divide participants into distinct opinion groups.")
            if len(debates) > 1 and self.names.shortened:   # the themes may name the groups
                self.para(self._debates_named())
            return
        if len(debates) == 1:
            self._debate_groups(debates[0][1], 2)
            return
        # two debates are two clusterings: each debate's groups are portrayed, sized,
        # compared and mapped among themselves, never added to another debate's
        self.para(f"The study ran {len(debates)} debates. Each debate's participants were "
                  "placed into opinion groups by their own votes on its statements, so every "
                  "group belongs to one debate and is named with it; its share is of that "
                  "debate's grouped participants." + (
                      f" {self._debates_named()}" if self.names.shortened else ""))
        for name, d in debates:
            short = self.names.short_debate(name)
            self.heading(f"{short} — {name}" if short != name else name, 2)
            self.reg.section = short    # the annex's narrow "Section" column: "Debate 2"
            if len(d.group_ids) < 2:
                self.para("The votes of this debate do not divide its participants into "
                          "distinct opinion groups (its analysis found a single group).")
                continue
            self._debate_groups(d, 3, short)

    def _debates_named(self) -> str:
        """The sentence saying which debate each short name stands for (its whole name)."""
        return ("In this report each group is named with its debate's number: " +
                _and([f"{short} is “{full}”" for full, short in self.names.stands_for()]) + ".")

    def _labels(self, g: C.OpinionGroups) -> dict[int, str]:
        """group number -> the name the report prints: "Group A (Debate 1)" when the debates'
        names are long (``GroupNames``), else as the engine names it."""
        return {n: self.names.short(name) for n, name in g.labels.items()}

    def _debate_groups(self, g: C.OpinionGroups, level: int, debate: str = "") -> None:
        """One debate's groups (the whole study's, when it has one debate): who is in them,
        the map, where they differ and where they agree. ``level``: the sub-headings' level."""
        total = len(g.members)
        p = self.para("People who voted alike form opinion groups. The votes divide the ")
        self.fig(p, self.reg.count("participants placed in an opinion group", total,
                                   population=f"participants of {debate}" if debate
                                   else "all participants",
                                   origin=f"group membership, {g.origin}"), bold=False)
        p.add_run(f" participants who voted enough to be placed into {len(g.group_ids)} groups:")
        portraits = self.settings.get("group_descriptions", {}) or {}
        labels = self._labels(g)
        for gid in g.group_ids:
            name = labels[gid]
            size = g.size(gid)
            p = self.doc.add_paragraph(style="List Bullet")
            p.add_run(f"{name}: ").bold = True
            self.fig(p, self.reg.share(f"share of grouped participants in {name}", size, total,
                                       population=name, origin=f"group membership, {g.origin}"))
            p.add_run(" of participants (")
            self.fig(p, self.reg.count(f"participants in {name}", size, population=name,
                                       origin=f"group membership, {g.origin}"), bold=False)
            p.add_run(" people)")
            desc = (portraits.get(name) or portraits.get(g.labels[gid])     # short or whole
                    or portraits.get(str(gid)))
            p.add_run(f", {desc}." if desc else ".")
        if self.o.charts:
            pids, xy = C.group_map(self.project, g)
            from .charts import opinion_map
            self.chart(opinion_map(xy, [g.members[p] for p in pids], labels,
                                   dpi=self.o.chart_dpi),
                       ("Opinion map: each dot is a participant; people who voted alike sit "
                        "close together.") if not debate else
                       (f"Opinion map of {debate}: each dot is one of its participants; people "
                        f"who voted alike sit close together."), 14.5)
        differ, agree = C.compare_groups(g, self.reg.small_n, listed=self.statements.keys(),
                                         small_groups=self.reg.small_n_action != "suppress")
        thin = self._thin_groups(g)
        noted = False
        bars: list = []
        drawn: list[str] = []       # the sections whose statements the bars draw
        for title, rows, intro in (
                ("Where the groups differ", differ,
                 "The statements on which the groups' agreement differs most:"),
                ("Where the groups agree", agree,
                 "Statements most of every group agreed with:")):
            if rows is agree and not agree and bars:
                # the chart goes under the statements it draws, not after a section that
                # lists none ("for the statements above" then read as its)
                self._agreement_chart(bars, drawn, debate)
                bars = []
            self.heading(title if not debate else f"{title}: {debate}", level)
            if not rows and rows is agree and (thin or any(c.small for c in differ)):
                self.para(self._no_agreement(g, thin))
                continue
            if not rows:
                self.para(self._no_comparison(g, thin, compared=bool(differ)))
                continue
            if any(c.small for c in rows) and not noted:
                self.para(self._small_group_note(g, thin))
                noted = True
            self.para(intro)
            for c in rows:
                s = self.statements.get(c.statement_id)
                if s is None:
                    continue
                p = self.doc.add_paragraph(style="List Bullet")
                p.add_run(f"“{self.words(s.text, 'statement', s.id)}” ")
                values = []
                for k, gid in enumerate(c.groups):
                    f = self.reg.agreement(g.tallies[gid][c.statement_id], statement_id=s.id,
                                           statement_ref=s.ref, population=labels[gid],
                                           origin=f"votes of {labels[gid]} "
                                                  f"({g.origin_of(gid)})")
                    p.add_run(("; " if k else "— ") + f"{labels[gid]} ")
                    self.fig(p, f)
                    p.add_run(f" agree (n = {f.denominator})")
                    values.append((labels[gid], f.value,    # the bar says what the text does
                                   f.text + (FLAG if f.small_n and not f.suppressed else "")))
                p.add_run(".")
                bars.append((self.words(s.text, "statement", s.id), values))
                if title not in drawn:
                    drawn.append(title)
        if bars:
            self._agreement_chart(bars, drawn, debate)

    def _agreement_chart(self, bars: list, sections: list[str], debate: str) -> None:
        """The bars of the statements listed under ``sections``, captioned with their
        names."""
        if not self.o.charts:
            return
        from .charts import agreement_bars
        title = "Agreement by opinion group" + (f": {debate}" if debate else "")
        self.chart(agreement_bars(bars, title=title, dpi=self.o.chart_dpi),
                   agreement_caption(sections))

    def _thin_groups(self, g: C.OpinionGroups) -> list[int]:
        """Groups that reach the small-n threshold on no listed statement."""
        need = max(self.reg.small_n, 1)
        return [gid for gid in g.group_ids
                if not any(t.n >= need for sid, t in g.tallies.get(gid, {}).items()
                           if sid in self.statements)]

    def _who(self, g: C.OpinionGroups, gids: list[int]) -> str:
        labels = self._labels(g)
        return _and([f"{labels[x]} ({g.size(x)} {'person' if g.size(x) == 1 else 'people'})"
                     for x in gids])

    def _small_group_note(self, g: C.OpinionGroups, thin: list[int]) -> str:
        n = self.reg.small_n
        why = (f"{self._who(g, thin)} {'has' if len(thin) == 1 else 'have'} fewer than {n} "
               f"votes on every statement" if thin else
               f"Not every group has {n} votes on enough statements")
        return (f"{why}. Rather than leave the comparison out, a statement is compared here when "
                f"each group has at least {n} votes on it or, if that is fewer, votes from at "
                "least half its members; " + (f"such figures are marked {FLAG} (fewer than {n} "
                                           "votes): read them with care." if
                                           self.reg.small_n_action == "flag" else
                                           f"such figures rest on fewer than {n} votes."))

    def _no_agreement(self, g: C.OpinionGroups, thin: list[int]) -> str:
        """Why no statement is said to be agreed by every group: a group's share on a handful
        of votes is no finding about it (``C.compare_groups`` claims agreement only on
        ``small_n`` votes in each group; QA: "Group B 100 %" on 3 votes of 5 people)."""
        n = self.reg.small_n
        why = (f"{self._who(g, thin)} {'has' if len(thin) == 1 else 'have'} fewer than {n} "
               "votes on every statement" if thin else
               f"No statement has {n} votes in every group")
        return (f"{why}, so this report does not say which statements every group agrees "
                f"with: a share of fewer than {n} votes is no finding about a group.")

    def _no_comparison(self, g: C.OpinionGroups, thin: list[int], compared: bool) -> str:
        n = self.reg.small_n
        if compared:
            return "On none of the statements compared did most of every group agree."
        if thin and self.reg.small_n_action == "suppress":
            return (f"{self._who(g, thin)} {'has' if len(thin) == 1 else 'have'} fewer than "
                    f"{n} votes on every statement, and figures from fewer than {n} votes are "
                    "left out of this report, so the groups cannot be compared here.")
        return (f"No statement was voted on by {n} people in every group (or by half of a "
                "smaller group), so the groups cannot be compared here.")

    # ------------------------------------------------------------------ segments
    def segments(self) -> None:
        """Where each segment the team defined differs from everyone else (nothing without
        segments): ``exports.segments_section``, through this writer's headings and figures."""
        from .segments_section import add_segments_section
        add_segments_section(self.doc, self.project, self.reg, heading=self.heading,
                             fig=self.fig, words=self.words)

    # ------------------------------------------------------------------ themes
    def _cards_outside(self) -> tuple[int, int]:
        """(cards on the board, those in none of the themes the report lists)."""
        from synth.board import card_count
        total = card_count(self.project)
        return total, max(0, total - sum(sum(t.sizes.values()) for t in self.themes))

    def _sorted_into(self, n: int) -> str:
        """What the themes hold, true of the board: "everything" only when no card is left
        outside them (QA 7: '… sorted into two themes' while 12 of 76 cards were unsorted)."""
        themes = f"{_words(n)} theme{'s' if n != 1 else ''}"
        total, outside = self._cards_outside()
        if not outside:
            return f"Everything participants shared was sorted into {themes}:"
        return (f"The {themes} below hold {total - outside:,} of the {total:,} statements, "
                f"notes and passages on the board; {outside:,} "
                f"{'is' if outside == 1 else 'are'} not in any of them yet:")

    def themes_overview(self) -> None:
        self.heading("Themes at a glance")
        if not self.themes and not self.empty_themes:
            self.para("No themes have been accepted on the board yet.")
            return
        if self.themes:
            if any(t.candidate for t in self.themes):
                self.para("These are candidate themes found by clustering the texts; the "
                          "research team has not yet reviewed them on the board.", "Caption")
            self.para(self._sorted_into(len(self.themes)))
            self._themes_table()
        if self.empty_themes:
            self.para(self._empty_line())
        if self.o.charts and any(t.sizes for t in self.themes):
            from .charts import theme_sizes
            self.chart(theme_sizes([(t.name, t.sizes) for t in self.themes],
                                   dpi=self.o.chart_dpi),
                       "How many statements, workshop notes and transcript passages each theme "
                       "holds.")
        self.dot_priorities()

    def _themes_table(self) -> None:
        """Each theme with the line the team wrote for it (its description, else its summary's
        first sentence) and, for candidate themes, the keywords the clustering found, each
        column only when some theme has one: no column of dashes, and no words the team did not
        write under a heading that reads as theirs (QA: "In one line" was "—" throughout)."""
        columns = [("In one line", lambda t: t.summary)] if any(
            t.summary for t in self.themes) else []
        if any(t.keywords for t in self.themes):
            columns.append(("Keywords found by clustering", lambda t: ", ".join(t.keywords)))
        if not columns:
            for t in self.themes:
                self.para(f"{t.number}. {t.name}", "List Bullet")
            self.para()
            return
        rows = [[f"{t.number}. {t.name}"] + [said(t) or "—" for _h, said in columns]
                for t in self.themes]
        self.caption_table("The themes")
        widths = [5.0, 11.4] if len(columns) == 1 else [4.6, 6.6, 5.2]
        table(self.doc, ["Theme"] + [h for h, _said in columns], rows, widths_cm=widths,
              font_pt=9.5, numeric_from=99)
        self.para()

    def _empty_line(self) -> str:
        """The themes that hold nothing yet, named in one line instead of a chapter each."""
        names = _and([f"“{t.name}”" for t in self.empty_themes])
        n = len(self.empty_themes)
        # the team's codes beside the clustering's candidates, which have the chapters
        teams = any(t.candidate for t in self.themes) and not any(
            t.candidate for t in self.empty_themes)
        if n == 1:
            said = (f"The team's theme {names} holds no statements, notes or passages yet and "
                    "has no chapter." if teams else
                    f"One theme holds no statements, notes or passages yet and has no chapter: "
                    f"{names}.")
        else:
            many = f"The team's {_words(n)}" if teams else _words(n).capitalize()
            said = (f"{many} themes hold no statements, notes or passages yet and have no "
                    f"chapter: {names}.")
        for t in self.empty_themes:     # what the clustering put under it is not its yet
            if t.unreviewed:
                cards = sum(k for _name, k in t.unreviewed)
                said += (f" Under “{t.name}” the clustering placed the candidate sub-theme"
                         f"{'s' if len(t.unreviewed) != 1 else ''} "
                         f"{_and([f'“{name}”' for name, _k in t.unreviewed])} ("
                         f"{plural(cards, 'card')}), not reviewed yet.")
        return said

    def dot_priorities(self) -> None:
        """The themes ranked by the dots the workshop gave them, if the team dot-voted
        (Analysis → Dot vote results…): how many dots and how many people, never who. Only
        the report's themes, by their chapters' numbers and names (an accepted sub-theme's dots
        count for its theme); dots on themes the report leaves out are said, not ranked."""
        from synth.board import dot_results, dot_totals
        if not self.themes:
            return
        into = {sub: t.id for t in self.themes for sub in t.theme_ids}
        results = dot_results(self.project, into)
        given = self.project.scalar("SELECT coalesce(sum(dots), 0) FROM dot_votes") or 0
        if not given:
            return
        if not results:
            self.para(f"In the synthesis session the team gave {given:,} dots in dot voting, "
                      "all to themes this report does not include: candidate themes not yet "
                      "accepted, or themes since deleted.")
            return
        chapters = {t.id: f"{t.number}. {t.name}" for t in self.themes}
        dots, people = dot_totals(results)
        p = self.para("In the synthesis session the team prioritised the themes by dot voting: ")
        self.fig(p, self.reg.count("dots given in dot voting", dots,
                                   population="people who voted with dots",
                                   origin="dot votes recorded in the project"))
        p.add_run(" dots from ")
        self.fig(p, self.reg.count("people who gave dots", people,
                                   population="people who voted with dots",
                                   origin="dot votes recorded in the project"))
        p.add_run(f" {'person' if people == 1 else 'people'} on {len(results)} of the report's "
                  "themes (a sub-theme's dots count for its theme).")
        if given > dots:
            p.add_run(f" {given - dots:,} more went to themes this report does not include: "
                      "candidate themes not yet accepted, or themes since deleted.")
        rows = [[str(r.rank), chapters[r.theme_id], str(r.dots), str(len(r.voters))]
                for r in results]
        self.caption_table("Priorities by dot voting")
        table(self.doc, ["Rank", "Theme", "Dots", "People"], rows, widths_cm=[1.4, 10.0, 2.0, 2.0],
              font_pt=9.5, numeric_from=2)
        self.para()

    def theme_chapters(self) -> None:
        for t in self.themes:
            self.theme_chapter(t)

    def theme_chapter(self, t: C.ThemeContent) -> None:
        self.heading(f"{t.number}. {t.name}")
        if t.summary and t.summary != t.summary_shared:
            p = self.para(t.summary)
            p.runs[0].italic = True
        if t.keywords:
            self.para(f"Keywords found by clustering: {', '.join(t.keywords)}.", "Caption")
        if t.subthemes:
            one = len(t.subthemes) == 1
            self.para(f"Sub-theme{'' if one else 's'}: {_and(t.subthemes)}; "
                      f"{'its' if one else 'their'} cards are part of this theme's evidence "
                      "below.")
        if t.unreviewed:
            cards = sum(n for _name, n in t.unreviewed)
            names = _and([f"“{name}”" for name, _n in t.unreviewed])
            one = len(t.unreviewed) == 1
            self.para(f"Not included: the candidate sub-theme{'' if one else 's'} {names}, "
                      "which the clustering placed under this theme and the research "
                      f"team has not reviewed yet ({plural(cards, 'card')}).",
                      "Caption")
        self.heading("What participants shared", 2)
        if t.summary_shared:
            self.para(t.summary_shared)
        shown = 0
        for sid in t.shared:
            s = self.statements.get(sid)
            if s is None or sid not in self.tallies or shown >= self.o.max_statements_per_theme:
                continue
            shown += 1
            self.statement_bullet(s)
        self.item_bullets(t.shared_notes)
        if not shown and not t.shared_notes and not t.summary_shared:
            self.para("No statements with votes have been placed in this theme."
                      if self.h.has_debate else "No notes or passages have been linked to this theme as the current "
                           "situation yet.")
        self.heading("What participants want to see", 2)
        if t.summary_want:
            self.para(t.summary_want)
        others = []
        for kind, item in t.want:
            if kind == "statement" and item in self.statements and item in self.tallies:
                self.statement_bullet(self.statements[item])
            else:
                others.append((kind, item))
        self.item_bullets(others)
        if not t.want and not t.summary_want:
            self.para("No proposals have been linked to this theme yet.")
        if t.quotes:
            self.heading("In participants' words", 2)
            if t.automatic_quotes:
                self.para("Not yet chosen by the research team: statements from the online "
                          "debate, which every participant could read"
                          + (" (see Methodology)." if self.o.methodology else "."), "Caption")
            for q in t.quotes:
                text, cut = C.shortened(q.text)
                p = self.para(f"“{text}”", "Quote")
                if cut:
                    self._whole_at(p, len(q.text), "quote" if q.id is not None else q.item_kind,
                                   q.id if q.id is not None else q.item_id)
                p.paragraph_format.keep_with_next = True
                a = self.para(f"— {q.attribution}", "Quote")
                a.runs[0].font.size = Pt(9)
                a.runs[0].font.color.rgb = MUTED
                a.paragraph_format.space_before = Pt(2)
                a.paragraph_format.space_after = Pt(8)
        self.heading("Recommendations", 2)
        if not t.recommendations:
            self.para("No recommendations have been written for this theme yet.")
        for r in t.recommendations:
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(1.0)
            p.paragraph_format.first_line_indent = Cm(-1.0)
            keep_with_next(p)
            p.add_run(f"{r.number}\t").bold = True
            p.add_run(r.title).bold = True
            if r.text:
                q = self.para(r.text)
                q.paragraph_format.left_indent = Cm(1.0)
            if r.evidence:
                self.recommendation_evidence(r)
            else:
                q = self.para("No evidence has been linked to this recommendation yet.")
                q.paragraph_format.left_indent = Cm(1.0)
                q.runs[0].italic = True
                q.runs[0].font.size = Pt(9)
                q.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
                self.warnings.append(f"recommendation {r.number} has no evidence linked")

    def statement_bullet(self, s: C.Statement) -> None:
        tally = self.tallies[s.id]
        p = self.doc.add_paragraph(style="List Bullet")
        text, cut = C.shortened(self.words(s.text, "statement", s.id))
        p.add_run(f"“{text}” ")
        if cut:
            self._whole_at(p, len(s.text), "statement", s.id)
            p.add_run(" ")
        f = self.reg.agreement(tally, statement_id=s.id, statement_ref=s.ref)
        p.add_run("— ")
        self.fig(p, f)
        p.add_run(f" of those who voted agreed (n = {f.denominator})")
        if self.groups and len(self.groups.group_ids) > 1:
            parts = [(gid, self.groups.tallies.get(gid, {}).get(s.id))
                     for gid in self.groups.group_ids]
            parts = [(gid, tl) for gid, tl in parts if tl is not None and tl.n]
            labels = self._labels(self.groups)
            for gid, tl in parts:
                name = labels[gid]
                p.add_run(f"; {name} ")
                gf = self.reg.agreement(tl, statement_id=s.id, statement_ref=s.ref,
                                        population=name,
                                        origin=f"votes of {name} "
                                               f"({self.groups.origin_of(gid)})")
                self.fig(p, gf, bold=False)
                p.add_run(f" (n = {gf.denominator})")
        p.add_run(".")

    def words(self, text: str, kind: str | None = None, item: int | None = None) -> str:
        """Participants' words as the report prints them: the redactions the researcher
        confirmed in any quote of the item (``text`` being its whole text), e-mail addresses
        and phone numbers masked, and names too when stripping personal data was asked for."""
        return C.item_words(self.project, kind, item, text, self.strip, self.redacted,
                            self.known)

    def item_bullets(self, items: list[tuple[str, int]]) -> None:
        """Notes and passages as bullets, each text once: the same words on several notes (a
        sticky note copied, a file imported twice) are printed once and counted."""
        seen: dict[str, tuple[str, list[tuple[str, int]]]] = {}
        for kind, item in items:
            text = self.words(C.item_text(self.project, kind, item), kind, item).strip()
            if text:
                seen.setdefault(" ".join(text.split()), (text, []))[1].append((kind, item))
        for full, same in seen.values():
            self.item_bullet(full, same)

    def item_bullet(self, full: str, same: list[tuple[str, int]]) -> None:
        """``full``: the first item's words as printed (``words``, read once by item_bullets)."""
        kind, item = same[0]
        text, cut = C.shortened(full)
        p = self.doc.add_paragraph(style="List Bullet")
        p.add_run(f"“{text}”")
        if cut:
            p.add_run(" ")
            self._whole_at(p, len(full), kind, item)
        who = list(dict.fromkeys(C.attribution(self.project, k, i) for k, i in same))
        times = f"; the same words on {len(same)} {kind}s" if len(same) > 1 else ""
        r = p.add_run(f" ({'; '.join(who)}{times})")
        r.font.color.rgb = MUTED

    def _whole_at(self, p, length: int, kind: str, item: int) -> None:
        """After a shortened text: how long it is and where the whole is."""
        where = C.where_whole(self.project, kind, item, self.strip, self.known)
        r = p.add_run(f"[shortened from {length:,} characters; the whole text is {where} in "
                      f"the project]")
        r.font.color.rgb = MUTED
        r.font.size = Pt(8.5)

    def recommendation_evidence(self, r: C.Recommendation) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(1.0)
        lead = p.add_run("Evidence: ")
        lead.italic = True
        printed, withheld = 0, 0
        for kind, item in r.evidence:
            quote = C.published_quote(self.project, item, self.strip, self.redacted,
                                      self.known) \
                if kind == "quote" else None
            if kind == "quote" and quote is None:
                withheld += 1       # consent withdrawn: not a word of it leaves the project
                continue
            if printed:
                p.add_run("; ")
            printed += 1
            if kind == "statement" and item in self.statements and item in self.tallies:
                s = self.statements[item]
                self._evidence_words(p, self.words(s.text, "statement", s.id), "statement",
                                     s.id)
                p.add_run(" (")
                f = self.reg.agreement(self.tallies[item], statement_id=s.id,
                                       statement_ref=s.ref)
                self.fig(p, f, bold=False)
                p.add_run(f" agreed, n = {f.denominator})")
            elif quote is not None:
                p.add_run(f"{quote.attribution}: ")
                self._evidence_words(p, quote.text, "quote", item)
            else:
                text = C.item_text(self.project, kind, item)
                p.add_run(f"{C.attribution(self.project, kind, item)}: ")
                self._evidence_words(p, self.words(text, kind, item), kind, item)
        if withheld:
            said = "a quote" if withheld == 1 else f"{_words(withheld)} quotes"
            p.add_run(f"{'; ' if printed else ''}{said} withheld (consent withdrawn)")
            self.warnings.append(f"recommendation {r.number}: {said} withheld from its "
                                 "evidence (consent withdrawn)")
        for run in p.runs:
            if run.font.size is None:
                run.font.size = Pt(9)
            if not run.font.superscript:
                run.font.color.rgb = MUTED

    def _evidence_words(self, p, words: str, kind: str, item: int) -> None:
        """Participants' words in a recommendation's evidence, whole: a statement is a
        sentence or two, and cutting it at 90 characters with "…" changed what it said (QA);
        only a text past ``C.QUOTED_LIMIT`` is shortened, saying where the whole is."""
        text, cut = C.shortened(words)
        p.add_run(f"“{text}”")
        if cut:
            p.add_run(" ")
            self._whole_at(p, len(words), kind, item)

    # ------------------------------------------------------------------ methodology
    def methodology(self) -> None:
        self.heading("Methodology")
        self._headline_rows()
        figs = self.headline_figs
        h = self.h
        if "participants" in figs:
            self.heading("The online debate", 2)
            p = self.para("The debate ran on a Pol.is-style platform. Participants voted agree, "
                          "disagree or pass on statements, and could add their own. ")
            self.fig(p, figs["participants"], bold=False)
            p.add_run(" people cast ")
            self.fig(p, figs["votes"], bold=False)
            p.add_run(" votes on ")
            self.fig(p, figs["statements"], bold=False)
            p.add_run(" statements" + (" (moderated-out and meta statements, and the votes on "
                                     "them, are not counted)" if h.votes_left_out else "")
                      + ". Throughout this report “% agree” means the share of those "
                      "who voted on a statement who agreed (agree ÷ (agree + disagree + pass)); "
                      "the number of people who voted, n, is printed beside it.")
            if self.groups:
                self.para(self._groups_method())
        if h.workshops:
            self.heading("The workshops", 2)
            p = self.para("")
            self.fig(p, figs["workshops"], bold=False)
            held = "co-design workshop was" if len(h.workshops) == 1 else \
                "co-design workshops were"
            # a name may hold commas ("Cardiff co-design workshop, 1 April 2025"): then
            # semicolons part the names, so each reads whole (QA)
            names = "; ".join(h.workshops) if any("," in w for w in h.workshops) \
                else ", ".join(h.workshops)
            p.add_run(f" {held} held ({names}). " + self._workshops_did())
        self.heading("Analysis", 2)
        items = (["statement"] if h.has_debate else []) + \
            (["workshop note"] if h.notes else []) + \
            (["participant turn in the transcripts"] if h.transcripts else [])
        self.para(self._analysis_done(items)
                  + (" Quotes are those the team chose, with consent. For a theme it has not "
                     "chosen quotes for yet, the quotes are statements participants wrote for "
                     "the online debate, which every participant could read; transcripts and "
                     "workshop notes are never quoted before the team has chosen a passage."
                     if any(t.automatic_quotes for t in self.themes) else ""))
        own = self.settings.get("methodology")
        if own:
            for block in str(own).split("\n\n"):
                if block.strip():
                    self.para(block.strip())
        self.heading("Strengths and limitations", 2)
        lim = self.settings.get("limitations")
        blocks = [b.strip() for b in str(lim).split("\n\n")] if lim else \
            default_limitations(h, reviewed=not all(t.candidate for t in
                                                    self.themes or self.empty_themes),
                                recommendations=bool(self.project.scalar(
                                    "SELECT 1 FROM recommendations LIMIT 1")),
                                themes=bool(self.themes or self.empty_themes))
        for b in blocks:
            if not b:
                continue
            p = self.doc.add_paragraph(style="List Bullet")
            head, sep, rest = b.partition(". ")
            if sep and len(head) < 40:
                p.add_run(head + ". ").bold = True
                p.add_run(rest)
            else:
                p.add_run(b)

    def _workshops_did(self) -> str:
        """What the workshops' material is, from the project: notes (on scenarios, on what to
        keep, ditch and add, when the notes say so) and the workshop transcripts, with no claim
        about anonymising that the speakers' names contradict (QA 7, 29)."""
        from coding.redaction import known_names
        h, said = self.h, []
        if h.notes:
            acts = {r[0] for r in self.project.query(
                "SELECT DISTINCT lower(trim(activity)) FROM notes")}
            scenarios = self.project.scalar("SELECT count(DISTINCT scenario) FROM notes "
                                            "WHERE scenario != ''") or 0
            said.append("Participants wrote sticky notes"
                        + (" on future scenarios" if scenarios else "")
                        + ((" and" if scenarios else "") + " on what to keep, ditch and add"
                           if {"keep", "ditch", "add"} & acts else ""))
        talks = self.project.scalar("SELECT count(*) FROM documents d JOIN sources s ON "
                                    "s.id = d.source_id WHERE s.kind = 'workshop'") or 0
        if talks:
            said.append(f"{_words(talks)} workshop discussion{'s were' if talks != 1 else ' was'}"
                        " recorded and transcribed"
                        + ("; speakers are named by role or number in the transcripts"
                           if not known_names(self.project) else ""))
        if not said:
            return ""
        text = "; ".join(said) + "."
        return text[:1].upper() + text[1:]

    def _analysis_done(self, items: list[str]) -> str:
        """How the themes came about, true of the board: sorted by the team only when it has
        accepted themes; from clustering only when an analysis made them; everything only when
        no card is left out; recommendations only when there are some (QA 7)."""
        what = _or(items) if items else "text"
        total, outside = self._cards_outside()
        clustered = bool(self.project.scalar("SELECT 1 FROM themes WHERE run_id IS NOT NULL "
                                             "LIMIT 1"))
        if not self.themes:
            return f"Every {what} was placed on a shared board; " + (
                "none of the team's themes holds any yet." if self.empty_themes else
                "no themes have been made yet.")
        if all(t.candidate for t in self.themes):
            text = (f"Every {what} was placed on a shared board and grouped into candidate "
                    "themes by clustering the texts; the research team has not yet reviewed "
                    "them.")
        else:
            text = (f"Every {what} was placed on a shared board and sorted into themes by the "
                    "research team" + (", starting from candidate themes found by clustering "
                                       "the texts" if clustered else "") + ".")
        if outside and self.themes:
            text += (f" {outside:,} of the {total:,} cards {'is' if outside == 1 else 'are'} not in "
                     "any of the themes reported yet.")
        if self.project.scalar("SELECT 1 FROM recommendations LIMIT 1"):
            text += " Recommendations were written per theme and linked to their evidence."
        return text

    def _groups_method(self) -> str:
        """Which opinion groups the report uses, per debate: Pol.is's own, or recomputed here
        with Pol.is's method, and then how far they are from the groups of Pol.is's report."""
        how = ("Pol.is's method: a principal component analysis of the vote matrix and k-means "
               "clustering of participants who voted enough")
        methods = C.groups_methods(self.project, self.groups)
        one = len(methods) == 1
        out = [] if one else [f"Each debate's participants were grouped separately, on their "
                              f"own votes, with {how}."]
        for m in methods:
            debate = self.names.short_debate(m.debate)     # as the groups' chapter numbers it
            run = f" (analysis run {m.run_id})" if m.run_id is not None else ""
            if m.chosen == "polis" and m.recomputed_said:
                # the sentence the command line printed of the run (recomputed_difference)
                said = ("The opinion groups are " if one else f"{debate}: the groups are ") + \
                    m.recomputed_said + "." + (
                        f" Pol.is finds its groups with {how.split(': ', 1)[1]}; the groups' "
                        f"figures here are read from analysis run {m.run_id}." if one else
                        f" The groups' figures are read from analysis run {m.run_id}.")
            elif m.chosen == "polis":
                said = ("The opinion groups are" if one else f"{debate}: the groups are") + \
                    (f" Pol.is's own, as exported with the debate{run}: the groups of the "
                     "Pol.is report participants saw" + (f", found with {how}." if one else "."))
            else:
                said = ("The opinion groups were" if one else f"{debate}: the groups were") + \
                    (" recomputed here from the final votes" + (f" with {how}" if one else "")
                     + f"{run}.")
            cmp = m.polis_export
            if cmp and cmp.get("groups") and m.chosen == "recompute":
                if cmp.get("adjusted_rand") is None:      # too few placed by both
                    said += (" Too few participants are in a group both here and in Pol.is's "
                             "own report to compare the two.")
                elif cmp["groups"] == m.groups and cmp["adjusted_rand"] >= 0.99:
                    said += (f" They are the same {_words(m.groups)} groups as in Pol.is's "
                             "own report.")
                else:
                    n = cmp["groups"]
                    said += (f" Pol.is's own report placed participants in {_words(n)} "
                             f"group{'s' if n != 1 else ''}; the groups here agree with "
                             f"Pol.is's at an adjusted Rand index of "
                             f"{cmp['adjusted_rand']:.2f} (1 means the same groups), over the "
                             f"{cmp['participants_compared']:,} participants both placed.")
            out.append(said)
        return " ".join(out)

    # ------------------------------------------------------------------ annexes
    def characteristics(self) -> None:
        annex = C.characteristics_annex(self.project)
        tables = annex.tables
        if not tables:
            return
        self._new_page()
        self.heading(f"{self._annex()}: Participants' characteristics")
        left_out = C.characterised_non_voters(self.project, tables)
        self.para("Count and share of participants in each category, for the online debate and "
                  "the workshops side by side. Shares are of everyone in that part of the study, "
                  f"including those who did not answer (“{C.NO_ANSWER}”). The online debate's "
                  "participants are the people who voted"
                  + (", as in the headline figures" if self.o.introduction else "")
                  + (f"; {left_out:,} "
                     f"{'person' if left_out == 1 else 'people'} with characteristics who did "
                     "not vote and attended no workshop "
                     f"{'is' if left_out == 1 else 'are'} not counted." if left_out else ".")
                  + f" So that no one can be picked out, a category with fewer than "
                  f"{C.SMALL_CELL} people in a column is counted under “{C.OTHER}”, and numbers "
                  "such as ages are shown in bands.")
        if annex.left_out:
            self.para(f"Left out: {_and(annex.left_out)}, which "
                      f"{'has' if len(annex.left_out) == 1 else 'have'} too many different "
                      "values to show as categories; such values (postcodes, names, ids) could "
                      "identify people.")
        labels = {"debate": "Online debate", "workshops": "Workshops"}
        for t in tables:
            strands = [s for s in ("debate", "workshops") if t.answered.get(s)]
            header = [t.name.replace("_", " ").capitalize()]
            for s in strands:
                header += [f"{labels[s]} (n)", f"{labels[s]} (%)"]
            rows = []
            for cat in t.categories:
                row = [cat]
                for s in strands:
                    n = t.counts.get(s, {}).get(cat, 0)
                    tot = t.totals.get(s, 0)
                    row += [str(n), f"{(200 * n + tot) // (2 * tot)}%" if tot else "—"]
                rows.append(row)
            total = ["Total"]
            for s in strands:
                tot = t.totals.get(s, 0)
                f = self.reg.count(f"participants counted in the table of {t.name}", tot,
                                   population=labels[s],
                                   origin="participants with characteristics")
                total += [f"{tot}", "100%" if tot else "—"]
                f.section = self.reg.section
            rows.append(total)
            self.caption_table(f"{header[0]}")
            table(self.doc, header, rows, font_pt=9, bold_last=True)
            if t.merged:
                row = C.OTHER_OR_NO_ANSWER if C.OTHER_OR_NO_ANSWER in t.categories else C.OTHER
                self.para(f"“{row}”: {t.merged_words()}"
                          + (", with those who did not answer, so that no one can be told "
                             "apart" if row == C.OTHER_OR_NO_ANSWER else "") + ".", "Caption")
            self.para()

    def traceability(self) -> None:
        self._close_section_notes()
        self._new_page(landscape=True)
        self.heading(f"{self._annex()}: Where every figure comes from")
        self.para("Each figure printed in this report, by its reference." + (
            " Agreement is the share of those who voted on the statement (agree ÷ (agree + "
            "disagree + pass)). A statement is given by its number in the project (S12), its "
            "id where it came from (a Pol.is comment id) and its first words; the exported "
            "statements table gives its whole text."
            if self.h.has_debate else "") + (
            f" {self._debates_named()}" if self.groups and self.names.shortened else ""))
        rows = []
        for f in self.reg.figures:
            stmt = self._annex_statement(f)
            rows.append([f.id, f.text + (FLAG if f.small_n and not f.suppressed else ""),
                         f.label, stmt, f.counts, f.population, f.section,
                         f.origin])
        self.caption_table("Every figure, its counts and where it appears")
        table(self.doc, ["Ref", "Figure", "What it is", "Statement", "Counts", "Group or segment",
                         "Section", "Computed from"], rows, font_pt=7.5,
              widths_cm=[1.1, 1.4, 4.0, 4.6, 3.6, 2.4, 3.6, 4.2], numeric_from=99)

    def _annex_statement(self, f: Figure) -> str:
        """A figure's statement as the annex gives it: "S360, Pol.is comment 12: “BG of 2050
        is a vibrant, art-rich city …”", so a reader can trace the figure without the
        statements table (QA: "S360" alone)."""
        if f.statement_id is None:
            return ""
        said = f"S{f.statement_id}"
        s = self.statements.get(f.statement_id)
        if s is None:
            return said
        if s.where_from:
            said += f", {s.where_from}"
        return said + f": “{C.first_words(self.words(s.text, 'statement', s.id))}”"

    def _annex(self) -> str:
        """"Annex A", "Annex B" … in the order the annexes are written."""
        self._annexes += 1
        return f"Annex {chr(64 + self._annexes)}"

    def _new_page(self, landscape: bool = False) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        self._fresh_page = True
        w, h = section.page_width, section.page_height
        if landscape and w < h:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = h, w
        elif not landscape and w > h:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = h, w


_words = C._count_words


def _or(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


_and = and_list      # "a", "a and b", "a, b and c"


__all__ = ["ReportOptions", "ReportResult", "write_report", "SECTIONS", "Tally"]
