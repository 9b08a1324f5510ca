"""Small python-docx helpers the report needs and python-docx does not offer: fields (contents,
page numbers), alt text on pictures, a template emptied of its body, table shading, house style.
"""
from __future__ import annotations

import copy
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Cm

HEADING_COLOUR = RGBColor(0x0B, 0x3C, 0x5D)
MUTED = RGBColor(0x59, 0x59, 0x59)
FONT = "Arial"   # LibreOffice substitutes the metric-compatible Liberation Sans


def new_document(template: str | None):
    """A document from the researcher's template (its styles, headers and footers kept, its body
    emptied) or from python-docx's default with Synth's house style."""
    import docx
    if template:
        document = open_template(template)
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        ensure_styles(document)
        return document, False
    document = docx.Document()
    house_style(document)
    return document, True


_TEMPLATE_MAIN = b"wordprocessingml.template.main+xml"
_DOCUMENT_MAIN = b"wordprocessingml.document.main+xml"


def open_template(path: str):
    """A Word document (.docx) or template (.dotx) to build the report on. A template is the
    same package with another content type for its main part, which python-docx refuses: the
    type is read as a document's, in memory (the file is left as it is). Anything else is a
    ``UserError`` naming the file, not a traceback."""
    import io
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from synth.errors import UserError
    not_word = UserError(f"{path}: not a Word document or template (.docx or .dotx); choose "
                         "another template")
    try:
        with zipfile.ZipFile(path) as z:
            types = z.read("[Content_Types].xml")
            if _TEMPLATE_MAIN not in types:
                return docx.Document(path)
            patched = io.BytesIO()
            with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as out:
                for item in z.infolist():
                    data = z.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        data = data.replace(_TEMPLATE_MAIN, _DOCUMENT_MAIN)
                    out.writestr(item, data)
        patched.seek(0)
        return docx.Document(patched)
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise not_word from e
    except OSError as e:
        raise UserError(f"{path}: cannot be read as a template ({e.strerror or e})") from e


def ensure_styles(document) -> None:
    """A template may lack some of the styles the report uses: add plain ones."""
    styles = document.styles
    names = {s.name for s in styles}
    for name, base, kind in (("Title", "Normal", WD_STYLE_TYPE.PARAGRAPH),
                             ("Subtitle", "Normal", WD_STYLE_TYPE.PARAGRAPH),
                             ("Quote", "Normal", WD_STYLE_TYPE.PARAGRAPH),
                             ("Caption", "Normal", WD_STYLE_TYPE.PARAGRAPH),
                             ("List Bullet", "Normal", WD_STYLE_TYPE.PARAGRAPH),
                             ("List Number", "Normal", WD_STYLE_TYPE.PARAGRAPH),
                             ("Table Grid", None, WD_STYLE_TYPE.TABLE)):
        if name not in names:
            s = styles.add_style(name, kind)
            if base:
                s.base_style = styles[base]
    for level in (1, 2, 3):
        if f"Heading {level}" not in names:
            s = styles.add_style(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
            s.base_style = styles["Normal"]
            s.font.bold = True
            s.font.size = Pt({1: 16, 2: 13, 3: 11}[level])
            _outline_level(s, level - 1)


def _outline_level(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.append(el)


def house_style(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before, after in (("Heading 1", 18, 18, 8), ("Heading 2", 13.5, 14, 4),
                                      ("Heading 3", 11.5, 10, 3)):
        s = styles[name]
        s.font.name = FONT
        s.font.size = Pt(size)
        s.font.bold = True
        s.font.color.rgb = HEADING_COLOUR
        rfonts = s.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        s.paragraph_format.space_before = Pt(before)
        s.paragraph_format.space_after = Pt(after)
    title = styles["Title"]
    title.font.name = FONT
    title.font.size = Pt(30)
    title.font.color.rgb = HEADING_COLOUR
    title.font.bold = True
    _drop_border(title)
    sub = styles["Subtitle"]
    sub.font.name = FONT
    sub.font.size = Pt(15)
    sub.font.italic = False
    sub.font.color.rgb = MUTED
    quote = styles["Quote"]
    quote.font.name = FONT
    quote.font.italic = False
    quote.font.size = Pt(11)
    quote.font.color.rgb = RGBColor(0x26, 0x26, 0x26)
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0.8)
    quote.paragraph_format.space_before = Pt(6)
    quote.paragraph_format.space_after = Pt(0)
    _left_bar(quote, "1F5F8B")
    cap = styles["Caption"]
    cap.font.name = FONT
    cap.font.size = Pt(8.5)
    cap.font.bold = False
    cap.font.italic = False
    cap.font.color.rgb = MUTED
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2.3)
        section.top_margin = Cm(2.2)
        section.bottom_margin = Cm(2.0)


def _drop_border(style) -> None:
    ppr = style.element.pPr
    if ppr is not None:
        for b in ppr.findall(qn("w:pBdr")):
            ppr.remove(b)


def _left_bar(style, colour: str) -> None:
    ppr = style.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", colour)):
        left.set(qn(k), v)
    bdr.append(left)
    ppr.append(bdr)


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (TOC, PAGE …). Word fills it on open (updateFields), LibreOffice on load."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    if placeholder:
        paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def update_fields_on_open(document) -> None:
    settings = document.settings.element
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        settings.append(el)
    el.set(qn("w:val"), "true")


def page_footer(document, text: str) -> None:
    """Footer: the report's title on the left, the page number on the right."""
    for section in document.sections:
        footer = section.footer
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.text = ""
        r = p.add_run(text + "\t\t")
        r.font.size = Pt(8)
        r.font.color.rgb = MUTED
        add_field(p, "PAGE", "1")
        for run in p.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = MUTED
        section.different_first_page_header_footer = True


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def set_alt_text(inline_shape, alt: str, title: str = "") -> None:
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", alt)
    if title:
        doc_pr.set("title", title)


def shade(cell, hex_fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tcpr.append(shd)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def table(document, header: list[str], rows: list[list[str]], *, widths_cm: list[float] | None
          = None, font_pt: float = 9, numeric_from: int = 1, bold_last: bool = False):
    """A plain, readable table: shaded header row repeated on every page, numbers right-aligned."""
    t = document.add_table(rows=1, cols=len(header))
    try:
        t.style = document.styles["Table Grid"]
    except KeyError:
        pass
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(header):
        cell = t.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        run.font.size = Pt(font_pt)
        shade(cell, "DCE6EE")
        if i >= numeric_from:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    repeat_header(t.rows[0])
    # python-docx recomputes a row's cells on every .cells: take them once per row
    widths = [Cm(w) for w in widths_cm] if widths_cm else None
    if widths:
        t.autofit = False
        for i, w in enumerate(widths):
            t.columns[i].width = w
        for i, cell in enumerate(t.rows[0].cells):
            cell.width = widths[i]
    for r_i, values in enumerate(rows):
        cells = t.add_row().cells
        for i, v in enumerate(values):
            cell = cells[i]
            if widths:
                cell.width = widths[i]
            p = cell.paragraphs[0]
            run = p.add_run(str(v))
            run.font.size = Pt(font_pt)
            if bold_last and r_i == len(rows) - 1:
                run.bold = True
            if i >= numeric_from:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.space_after = Pt(0)
    return t


def copy_element(el: Any) -> Any:
    return copy.deepcopy(el)


def toc_field(paragraph, entries: list[tuple[int, str]]) -> None:
    """A contents field whose shown result already lists the headings (so a PDF made without
    updating fields still has contents); Word refreshes it, with page numbers, on open."""
    from docx.shared import Cm as _Cm
    add_field(paragraph, 'TOC \\o "1-1" \\h \\z \\u')
    # the result runs go between "separate" and "end": rebuild as one paragraph per entry
    runs = paragraph._p.findall(qn("w:r"))
    end_run = runs[-1]
    paragraph._p.remove(end_run)
    last = paragraph
    for k, (level, text) in enumerate(entries):
        if k == 0:
            p = paragraph
        else:
            new = OxmlElement("w:p")
            last._p.addnext(new)
            from docx.text.paragraph import Paragraph
            p = Paragraph(new, paragraph._parent)
        p.paragraph_format.left_indent = _Cm(0.6 * (level - 1))
        p.paragraph_format.space_after = Pt(3 if level == 2 else 5)
        r = p.add_run(text)
        if level == 1:
            r.bold = True
        last = p
    last._p.append(end_run)
