"""Panel papers: agendas and minutes as HTML, PDF and Word, and the actions list as CSV.

Pure rendering from plain frozen dataclasses, so the views, the command line and the tests
can all build the same papers without a database, and so nothing here can reach a model.
Every piece of text people typed is HTML-escaped (discussion notes are free text written
about real cases and must never become markup), stripped of control characters for Word,
and made formula-safe for spreadsheets.
"""

from __future__ import annotations

import csv
import html
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from saferhub.cells import csv_safe, without_controls

# WeasyPrint logs every CSS property it does not support; keep command output readable.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

KINDS = ("agenda", "minutes")
CSV_HEADER = ("agency", "owner", "action", "due_on", "status")


@dataclass(frozen=True)
class ActionLine:
    owner_agency: str
    owner: str
    description: str
    due_on: date
    status: str


@dataclass(frozen=True)
class Item:
    position: int
    case_ref: str
    title: str
    subject_label: str
    repeat: bool
    criteria: tuple[str, ...]
    discussion: str
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True)
class AttendanceLine:
    agency: str
    person: str
    present: bool
    apologies: bool


@dataclass(frozen=True)
class Paper:
    kind: str  # "agenda" | "minutes"
    panel_name: str
    panel_type_label: str
    held_on: date
    partnership: str
    marking: str  # e.g. "OFFICIAL-SENSITIVE"
    items: tuple[Item, ...]
    attendance: tuple[AttendanceLine, ...]
    minutes: str
    generated_at: datetime


def long_date(day: date) -> str:
    """'14 January 2027': the form people read aloud, with no leading zero and no locale."""
    return f"{day.day} {day:%B %Y}"


def _check(paper: Paper) -> None:
    """Refuse a paper that would print wrongly, naming the field, before any rendering."""
    if paper.kind not in KINDS:
        raise ValueError(f"Paper.kind must be 'agenda' or 'minutes', not {paper.kind!r}")
    if not paper.marking.strip():
        raise ValueError("Paper.marking is empty: every panel paper needs a protective marking")
    if not paper.panel_name.strip():
        raise ValueError("Paper.panel_name is empty")
    if not isinstance(paper.held_on, date):
        raise ValueError(f"Paper.held_on must be a date, not {paper.held_on!r}")
    for item in paper.items:
        for n, action in enumerate(item.actions, 1):
            if not isinstance(action.due_on, date):
                raise ValueError(
                    f"item {item.position} ({item.case_ref}) action {n}: due_on must be a "
                    f"date, not {action.due_on!r}"
                )


def title(paper: Paper) -> str:
    return f"{paper.panel_name} — {paper.kind}, {long_date(paper.held_on)}"


def confidentiality(paper: Paper) -> str:
    return (
        f"{'This agenda is' if paper.kind == 'agenda' else 'These minutes are'} shared under "
        f"the {paper.panel_name} information-sharing "
        "agreement for the purposes of the panel only. Do not forward, copy or "
        "share it outside the panel without the chair's agreement. Store it securely and "
        f"handle it as {paper.marking}."
    )


def attendance_status(line: AttendanceLine) -> str:
    if line.present:
        return "Present"
    return "Apologies" if line.apologies else "Absent"


def actions_by_agency(paper: Paper) -> dict[str, list[tuple[Item, ActionLine]]]:
    """Each agency's actions across the meeting, agencies in alphabetical order, so each
    partner can find its own list at the end of the minutes."""
    groups: dict[str, list[tuple[Item, ActionLine]]] = {}
    for item in paper.items:
        for action in item.actions:
            groups.setdefault(action.owner_agency, []).append((item, action))
    return {
        agency: sorted(groups[agency], key=lambda pair: (pair[1].due_on, pair[0].position))
        for agency in sorted(groups, key=str.casefold)
    }


# --- HTML (and, through WeasyPrint, PDF) -------------------------------------------------

_CSS = """
@page {
  size: A4; margin: 22mm 18mm 22mm 18mm;
  @top-center { content: "%(marking)s"; font: bold 9pt "DejaVu Sans", sans-serif;
                color: #d4351c; }
  @bottom-center { content: "%(marking)s"; font: bold 9pt "DejaVu Sans", sans-serif;
                   color: #d4351c; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
                  font: 8pt "DejaVu Sans", sans-serif; color: #505a5f; }
}
html { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #0b0c0c;
       line-height: 1.4; }
body { margin: 0; }
.marking { font-weight: bold; color: #d4351c; text-align: center; letter-spacing: 0.05em; }
@media print { .marking { display: none; } }
.partnership { font-weight: bold; margin: 0; }
h1 { font-size: 18pt; margin: 0.3rem 0 0.2rem; line-height: 1.2; }
.meta { color: #505a5f; margin: 0 0 0.8rem; }
.confidential { border-left: 5px solid #d4351c; background: #f3f2f1; padding: 0.5rem 0.8rem;
                margin: 0.8rem 0 1.2rem; }
h2 { font-size: 13pt; border-top: 4px solid #1d70b8; padding-top: 0.4rem; margin-top: 1.4rem; }
h3 { font-size: 11pt; margin: 1rem 0 0.3rem; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; font-size: 9pt; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.2rem; }
th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.4rem; text-align: left;
         vertical-align: top; }
th { background: #f3f2f1; }
tr { page-break-inside: avoid; }
ol.items { padding-left: 1.4rem; }
ol.items li { margin-bottom: 0.6rem; }
.repeat { display: inline-block; background: #d4351c; color: #fff; font-size: 8pt;
          font-weight: bold; padding: 0 0.3rem; margin-left: 0.3rem; }
.ref { font-family: "DejaVu Sans Mono", monospace; }
.discussion { white-space: pre-wrap; }
.none { color: #505a5f; font-style: italic; }
.footer { color: #505a5f; font-size: 8pt; margin-top: 1.5rem; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _css_string(text: str) -> str:
    """The marking inside a CSS string in a <style> element: no quote, backslash or "</style"
    can end it early (CSS escapes, since HTML entities are not decoded inside <style>)."""
    text = text.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
    return text.replace(">", "\\3e ").replace("\n", " ").replace("\r", " ")


def _item_heading(item: Item) -> str:
    repeat = ' <span class="repeat">Repeat referral</span>' if item.repeat else ""
    return (
        f'{item.position}. <span class="ref">{_e(item.case_ref)}</span> — {_e(item.title)}{repeat}'
    )


def _criteria(item: Item) -> str:
    if not item.criteria:
        return '<p class="none">Criteria met: none recorded</p>'
    return "<p>Criteria met: " + "; ".join(_e(c) for c in item.criteria) + "</p>"


def _actions_table(actions: Iterable[ActionLine], caption: str) -> str:
    rows = [
        "<tr>"
        f"<td>{_e(a.owner_agency)}</td><td>{_e(a.owner)}</td>"
        f"<td>{_e(a.description)}</td><td>{_e(long_date(a.due_on))}</td>"
        f"<td>{_e(a.status)}</td>"
        "</tr>"
        for a in actions
    ]
    if not rows:
        return '<p class="none">No actions agreed.</p>'
    return (
        f"<table><caption>{_e(caption)}</caption><thead><tr><th>Agency</th><th>Owner</th>"
        "<th>Action</th><th>Due</th><th>Status</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _agenda_body(paper: Paper) -> list[str]:
    out = ["<h2>Agenda items</h2>"]
    if not paper.items:
        return [*out, '<p class="none">No cases are listed for this meeting.</p>']
    out.append('<ol class="items">')
    for item in paper.items:
        out.append(
            f'<li value="{item.position}"><h3>{_item_heading(item)}</h3>'
            f"<p>Subject: {_e(item.subject_label)}</p>{_criteria(item)}</li>"
        )
    out.append("</ol>")
    return out


def _minutes_body(paper: Paper) -> list[str]:
    out = ["<h2>Attendance</h2>"]
    if paper.attendance:
        out.append(
            "<table><thead><tr><th>Agency</th><th>Name</th><th>Attendance</th></tr></thead><tbody>"
        )
        for line in paper.attendance:
            out.append(
                f"<tr><td>{_e(line.agency)}</td><td>{_e(line.person)}</td>"
                f"<td>{attendance_status(line)}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="none">No attendance recorded.</p>')
    if paper.minutes.strip():
        out += ["<h2>General notes</h2>", f'<p class="discussion">{_e(paper.minutes)}</p>']
    out.append("<h2>Cases discussed</h2>")
    if not paper.items:
        out.append('<p class="none">No cases were discussed.</p>')
    for item in paper.items:
        out.append(f'<section class="item"><h3>{_item_heading(item)}</h3>')
        out.append(f"<p>Subject: {_e(item.subject_label)}</p>{_criteria(item)}")
        out.append("<h4>Discussion</h4>")
        if item.discussion.strip():
            out.append(f'<p class="discussion">{_e(item.discussion)}</p>')
        else:
            out.append('<p class="none">No discussion recorded.</p>')
        out.append(_actions_table(item.actions, f"Actions: {item.case_ref}"))
        out.append("</section>")
    out.append("<h2>Actions by agency</h2>")
    groups = actions_by_agency(paper)
    if not groups:
        out.append('<p class="none">No actions were agreed at this meeting.</p>')
    for agency, pairs in groups.items():
        rows = "".join(
            f'<tr><td class="ref">{_e(item.case_ref)}</td><td>{_e(a.owner)}</td>'
            f"<td>{_e(a.description)}</td><td>{_e(long_date(a.due_on))}</td>"
            f"<td>{_e(a.status)}</td></tr>"
            for item, a in pairs
        )
        out.append(
            f"<h3>{_e(agency)}</h3><table><thead><tr><th>Case</th><th>Owner</th>"
            f"<th>Action</th><th>Due</th><th>Status</th></tr></thead><tbody>{rows}</tbody>"
            "</table>"
        )
    return out


def render_html(paper: Paper) -> str:
    """The paper as one self-contained printable HTML page (styles inline, no remote
    resources). The marking shows at the top and bottom of the screen page, and in the
    @page margin boxes of every printed page."""
    _check(paper)
    marking = _e(paper.marking)
    body = _agenda_body(paper) if paper.kind == "agenda" else _minutes_body(paper)
    css = _CSS.replace("%(marking)s", _css_string(paper.marking))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB"><head><meta charset="utf-8">',
            f"<title>{_e(title(paper))}</title>",
            f"<style>{css}</style></head><body>",
            f'<p class="marking">{marking}</p>',
            f'<p class="partnership">{_e(paper.partnership)}</p>',
            f"<h1>{_e(title(paper))}</h1>",
            f'<p class="meta">{_e(paper.panel_type_label)} · {len(paper.items)} '
            f"case{'s' if len(paper.items) != 1 else ''}</p>",
            f'<p class="confidential"><strong>Confidential.</strong> {_e(confidentiality(paper))}'
            "</p>",
            *body,
            f'<p class="footer">Produced by Safer Hub on '
            f"{_e(long_date(paper.generated_at.date()))} at {paper.generated_at:%H:%M}.</p>",
            f'<p class="marking">{marking}</p>',
            "</body></html>",
        ]
    )


def render_pdf(paper: Paper) -> bytes:
    """The HTML printed by WeasyPrint. Its fetcher allows only data: URLs, so nothing typed
    into a paper can make the server fetch a remote or local file while rendering."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=render_html(paper), base_url=None, url_fetcher=fetcher).write_pdf()


# --- Word ----------------------------------------------------------------------------------


def _w(text: object) -> str:
    """Text Word will accept: the Office XML formats refuse C0 control characters."""
    return without_controls(str(text))


def _docx_table(doc, headers: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = _w(text)
    doc.add_paragraph()
    return table


def _marking_paragraph(paragraph, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import RGBColor

    paragraph.text = ""
    run = paragraph.add_run(_w(marking))
    run.bold = True
    run.font.color.rgb = RGBColor(0xD4, 0x35, 0x1C)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _docx_item_heading(item: Item) -> str:
    repeat = " (Repeat referral)" if item.repeat else ""
    return _w(f"{item.position}. {item.case_ref} — {item.title}{repeat}")


def render_docx(paper: Paper) -> bytes:
    """The same paper as an editable Word document: real headings and tables, the marking
    in the header and footer of every page."""
    from docx import Document
    from docx.shared import Pt

    _check(paper)
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = _w(title(paper))
    section = doc.sections[0]
    _marking_paragraph(section.header.paragraphs[0], paper.marking)
    _marking_paragraph(section.footer.paragraphs[0], paper.marking)

    doc.add_paragraph(_w(paper.partnership)).runs[0].bold = True
    doc.add_heading(_w(title(paper)), level=0)
    doc.add_paragraph(_w(f"{paper.panel_type_label} · {len(paper.items)} cases"))
    confidential = doc.add_paragraph()
    confidential.add_run("Confidential. ").bold = True
    confidential.add_run(_w(confidentiality(paper)))

    def criteria(item: Item) -> str:
        return "Criteria met: " + ("; ".join(item.criteria) or "none recorded")

    if paper.kind == "agenda":
        doc.add_heading("Agenda items", level=1)
        if not paper.items:
            doc.add_paragraph("No cases are listed for this meeting.")
        for item in paper.items:
            doc.add_heading(_docx_item_heading(item), level=2)
            doc.add_paragraph(_w(f"Subject: {item.subject_label}"))
            doc.add_paragraph(_w(criteria(item)))
    else:
        doc.add_heading("Attendance", level=1)
        if paper.attendance:
            _docx_table(
                doc,
                ["Agency", "Name", "Attendance"],
                [[a.agency, a.person, attendance_status(a)] for a in paper.attendance],
            )
        else:
            doc.add_paragraph("No attendance recorded.")
        if paper.minutes.strip():
            doc.add_heading("General notes", level=1)
            doc.add_paragraph(_w(paper.minutes))
        doc.add_heading("Cases discussed", level=1)
        for item in paper.items:
            doc.add_heading(_docx_item_heading(item), level=2)
            doc.add_paragraph(_w(f"Subject: {item.subject_label}"))
            doc.add_paragraph(_w(criteria(item)))
            doc.add_heading("Discussion", level=3)
            doc.add_paragraph(_w(item.discussion.strip() or "No discussion recorded."))
            doc.add_heading("Actions", level=3)
            if item.actions:
                _docx_table(
                    doc,
                    ["Agency", "Owner", "Action", "Due", "Status"],
                    [
                        [a.owner_agency, a.owner, a.description, long_date(a.due_on), a.status]
                        for a in item.actions
                    ],
                )
            else:
                doc.add_paragraph("No actions agreed.")
        doc.add_heading("Actions by agency", level=1)
        groups = actions_by_agency(paper)
        if not groups:
            doc.add_paragraph("No actions were agreed at this meeting.")
        for agency, pairs in groups.items():
            doc.add_heading(_w(agency), level=2)
            _docx_table(
                doc,
                ["Case", "Owner", "Action", "Due", "Status"],
                [
                    [i.case_ref, a.owner, a.description, long_date(a.due_on), a.status]
                    for i, a in pairs
                ],
            )
    doc.add_paragraph(
        f"Produced by Safer Hub on {long_date(paper.generated_at.date())} "
        f"at {paper.generated_at:%H:%M}."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- CSV -------------------------------------------------------------------------------------


def actions_csv(rows: Iterable[ActionLine], *, agency: str | None = None) -> str:
    """The actions as CSV for a partner's own tracker; with `agency`, only that agency's
    rows (matched exactly, so one partner never receives another's list). Every cell goes
    through `csv_safe`, so a typed "=HYPERLINK(...)" stays text in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for n, row in enumerate(rows, 1):
        if not isinstance(row, ActionLine):
            raise TypeError(f"actions_csv row {n}: expected an ActionLine, not {row!r}")
        if not isinstance(row.due_on, date):
            raise ValueError(f"actions_csv row {n}: due_on must be a date, not {row.due_on!r}")
        if agency is not None and row.owner_agency != agency:
            continue
        writer.writerow(
            [
                csv_safe(row.owner_agency),
                csv_safe(row.owner),
                csv_safe(row.description),
                row.due_on.isoformat(),
                csv_safe(row.status),
            ]
        )
    return out.getvalue()
