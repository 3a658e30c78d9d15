"""A letter task printed: the studio's letterhead, the date, the client's name and address,
and the letter's words (a trigger's rendered template, kept in the task's notes).

The words are the studio's, rendered when the trigger fired, so printing never reads a
template again: what was reviewed is what is printed.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from darkroom.formats import format_date, formats_of
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import Task

STYLES = {
    "studio": ParagraphStyle("studio", fontName="Helvetica-Bold", fontSize=14, leading=18),
    "small": ParagraphStyle("small", fontName="Helvetica", fontSize=9, leading=12),
    "body": ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15),
    "subject": ParagraphStyle("subject", fontName="Helvetica-Bold", fontSize=11, leading=15),
}


def _lines(text: str, style: str) -> Paragraph:
    """Typed text as printed: escaped, its line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def letter_pdf(task: Task) -> bytes:
    """The letter of a task of kind "letter" as a one-or-more-page PDF."""
    studio = studio_preferences()
    story = [_lines(studio.name, "studio")]
    contact = " · ".join(part for part in (studio.address.replace("\n", ", "), studio.phone,
                                            studio.email) if part)  # fmt: skip
    if contact:
        story.append(_lines(contact, "small"))
    story.append(Spacer(1, 12 * mm))
    today = format_date(studio.today(), style="long", formats=formats_of(studio))
    story.append(_lines(today, "body"))
    story.append(Spacer(1, 6 * mm))
    client = task.client
    if client is not None:
        story.append(_lines("\n".join(x for x in (client.name, client.address) if x), "body"))
        story.append(Spacer(1, 8 * mm))
    story.append(_lines(task.subject, "subject"))
    story.append(Spacer(1, 4 * mm))
    for paragraph in (task.notes or "").split("\n\n"):
        story.append(_lines(paragraph, "body"))
        story.append(Spacer(1, 3 * mm))
    buffer = io.BytesIO()
    sheet = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=task.subject,
        author=studio.name,
    )
    sheet.build(story)
    return buffer.getvalue()
