"""A Word file is read as Word shows it (QA 19, 47): words typed with Track Changes on are in
and deleted ones out; the words of content controls, smart tags, fields and hyperlinks are
kept; a text box's paragraphs (a typed-up canvas or poster) are read once, as passages of their
own. python-docx's ``paragraph.text`` reads plain runs and hyperlinks only, so "About twelve"
became "About ,", a content control's whole turn was lost and a canvas's notes never arrived."""
from __future__ import annotations

import docx
from docx.oxml import parse_xml

from synth.importers.documents import import_document, read_document
from tests.test_import_transcripts_split import passages

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')


def _r(text: str, tag: str = "w:t") -> str:
    return f'<w:r><{tag} xml:space="preserve">{text}</{tag}></w:r>'


def _ins(text: str) -> str:
    return f'<w:ins w:id="1" w:author="Sam" w:date="2025-05-14T10:00:00Z">{_r(text)}</w:ins>'


def _del(text: str) -> str:
    return (f'<w:del w:id="2" w:author="Sam" w:date="2025-05-14T10:00:00Z">'
            f'{_r(text, "w:delText")}</w:del>')


def make(path, paragraphs: list[str]):
    """A .docx whose body holds these paragraphs' XML (inner content of a w:p, or a whole
    body-level element: a content control or a table)."""
    d = docx.Document()
    body = d.element.body
    for xml in paragraphs:
        tag = xml[1:xml.index(">")] if xml.startswith(("<w:sdt>", "<w:tbl>")) else ""
        el = parse_xml(xml.replace(f"<{tag}>", f"<{tag} {NS}>", 1) if tag
                       else f"<w:p {NS}>{xml}</w:p>")
        body.insert(len(body) - 1, el)          # before the section properties
    d.save(path)
    return path


def test_tracked_changes_read_as_accepted(project, tmp_path):
    f = make(tmp_path / "tracked.docx", [
        _r("Interviewer: How many young people came to the ") + _del("frist") + _ins("first")
        + _r(" panel?"),
        _r("P1: About ") + _del("twenty") + _ins("twelve")
        + _r(", and most never came back."),
        # a sentence moved: read where it now is, not where it was
        _r("Interviewer: Why?") + '<w:moveFrom w:id="3" w:author="Sam">'
        + _r(" Take your time.") + "</w:moveFrom>",
        _r("P1: It was at ") + _ins("2pm on a Tuesday, ") + _r("when they are at college.")
        + '<w:moveTo w:id="4" w:author="Sam">' + _r(" Take your time.") + "</w:moveTo>",
        # the paragraph mark deleted: the two paragraphs are one
        '<w:pPr><w:rPr><w:del w:id="5" w:author="Sam" w:date="2025-05-14T10:00:00Z"/>'
        '</w:rPr></w:pPr>' + _r("Interviewer: Thanks, that is"),
        _r(" all for today."),
        # a table row deleted with Track Changes on is gone
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr><w:tc><w:p>{_r('P2')}</w:p></w:tc><w:tc><w:p>{_r('Kept row.')}</w:p></w:tc></w:tr>"
        '<w:tr><w:trPr><w:del w:id="6" w:author="Sam" w:date="2025-05-14T10:00:00Z"/></w:trPr>'
        f"<w:tc><w:p>{_r('P3')}</w:p></w:tc><w:tc><w:p>{_r('Deleted row.')}</w:p></w:tc></w:tr>"
        "</w:tbl>",
    ])
    import_document(project, f)
    assert passages(project) == [
        ("Interviewer", "How many young people came to the first panel?"),
        ("P1", "About twelve, and most never came back."),
        ("Interviewer", "Why?"),
        ("P1", "It was at 2pm on a Tuesday, when they are at college. Take your time."),
        ("Interviewer", "Thanks, that is all for today."), ("P2", "Kept row.")]


def test_content_controls_smart_tags_fields_and_hyperlinks_keep_their_words(project,
                                                                            tmp_path):
    f = make(tmp_path / "links.docx", [
        _r("P2: Read our report at ") + f'<w:hyperlink>{_r("www.example.org")}</w:hyperlink>'
        + _r(" please."),
        _r("P3: ") + f'<w:sdt><w:sdtPr/><w:sdtContent>{_r("Typed in a content control.")}'
        "</w:sdtContent></w:sdt>",
        _r("P4: I was stopped ") + f'<w:smartTag w:element="date">{_r("on 3 March")}'
        "</w:smartTag>" + _r(" outside the station."),
        _r("P5: Page ") + '<w:fldSimple w:instr="PAGE">' + _r("4") + "</w:fldSimple>"
        + _r(" of the notes.") + _r(" HYPERLINK x ", "w:instrText"),
        # a content control around whole paragraphs, and one still showing its prompt
        f'<w:sdt><w:sdtPr/><w:sdtContent><w:p>{_r("P6: Inside a block control.")}</w:p>'
        "</w:sdtContent></w:sdt>",
        _r("P7: Fine. ") + '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
        + _r("Click or tap here to enter text.") + "</w:sdtContent></w:sdt>",
    ])
    import_document(project, f)
    assert passages(project) == [
        ("P2", "Read our report at www.example.org please."),
        ("P3", "Typed in a content control."),
        ("P4", "I was stopped on 3 March outside the station."),
        ("P5", "Page 4 of the notes."),
        ("P6", "Inside a block control."),
        ("P7", "Fine.")]


def _box(lines: list[str]) -> str:
    return "<w:txbxContent>" + "".join(f"<w:p>{_r(x)}</w:p>" for x in lines) + \
        "</w:txbxContent>"


def test_a_text_box_is_read_once_as_passages_of_no_ones_turn(project, tmp_path):
    canvas = ["KEEP: youth panels meeting the borough commander",
              "DITCH: stop and search quotas"]
    f = make(tmp_path / "canvas.docx", [
        _r("Facilitator: These are the notes from the canvas."),
        # Word writes a text box twice: the drawing, and a VML copy for older readers
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp>"
        f"<wps:txbx>{_box(canvas)}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{_box(canvas)}</v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>",
        _r("P1: And we added paying people for their time."),
        _r("Facilitator: A poster, too.")
        + f"<w:r><w:pict><v:shape><v:textbox>{_box(['ADD: a youth co-chair'])}</v:textbox>"
          "</v:shape></w:pict></w:r>",
        _r("which the group drew."),
        _r("P2: Yes."),
    ])
    import_document(project, f)
    assert passages(project) == [
        ("Facilitator", "These are the notes from the canvas."),
        ("", "KEEP: youth panels meeting the borough commander"),
        ("", "DITCH: stop and search quotas"),
        ("P1", "And we added paying people for their time."),
        ("Facilitator", "A poster, too."),
        ("", "ADD: a youth co-chair"),
        ("Facilitator", "which the group drew."),      # the turn goes on after the box
        ("P2", "Yes.")]
    doc = read_document(f)
    assert doc.text.count("DITCH") == 1
    assert doc.places[2:4] == ["paragraph 2, text box", "paragraph 2, text box"]
