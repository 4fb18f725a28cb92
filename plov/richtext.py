"""Rich text pasted from Word: a table becomes one paragraph per row.

plov's rich text has paragraphs, lists, emphasis and links only (`plov.backoffice.forms`), so a
table's tags are dropped when it is cleaned. Dropped as they were, the cells of a row ran into
one another and into the text before the table ("Parbolig9.800 kr."). Each row is kept as a
paragraph instead, its cells separated by " – ", so the text reads as the table did.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

CELL_SEPARATOR = " – "


def tables_as_paragraphs(value: str) -> str:
    if "<table" not in value.lower():
        return value
    soup = BeautifulSoup(value, "html.parser")
    for table in soup.find_all("table"):
        paragraphs = []
        for row in table.find_all("tr"):
            cells = [
                " ".join(cell.get_text(" ", strip=True).split())
                for cell in row.find_all(["td", "th"])
            ]
            text = CELL_SEPARATOR.join(cell for cell in cells if cell)
            if text:
                paragraph = soup.new_tag("p")
                paragraph.string = text
                paragraphs.append(paragraph)
        if not paragraphs:  # a table without rows: keep its text, in one paragraph
            text = " ".join(table.get_text(" ", strip=True).split())
            if text:
                paragraph = soup.new_tag("p")
                paragraph.string = text
                paragraphs.append(paragraph)
        table.replace_with(*paragraphs)
    return str(soup)
