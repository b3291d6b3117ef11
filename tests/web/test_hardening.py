"""Issue 20's reader and hostile-input items on the HTTP side (browser ones: test_browser_forms)."""

from __future__ import annotations

import re

from webtools import TestClient

STORY = (
    b"Title: The Gown\n\n"
    b"You smoothed your gown and stepped into the hall, Y/N. Kylo looked up at you.\n\n"
    b'"You came," he said. You nodded and smiled at him.\n'
)


def _import_text(client: TestClient, csrf: str, text: bytes, name: str = "story.txt") -> int:
    response = client.post("/import", data={"csrf": csrf}, files={"file": (name, text)})
    assert response.status_code == 200, response.text
    return int(re.search(r"/works/(\d+)", str(response.url)).group(1))


def test_library_form_with_empty_word_boxes_searches(signup) -> None:
    """Item 1: the form always sends ``min_words=`` and ``max_words=``; empty means no bound."""
    client, csrf = signup("mara")
    _import_text(client, csrf, STORY)
    form = {"q": "gown", "min_words": "", "max_words": "", "status": "", "sort": "added"}
    page = client.get("/", params=form)
    assert page.status_code == 200, page.text
    assert "The Gown" in page.text and ">seed<" not in page.text
    bounded = client.get("/", params={**form, "q": "", "min_words": "1", "max_words": "60"})
    assert "The Gown" in bounded.text and ">seed<" not in bounded.text
    wrong = client.get("/", params={**form, "min_words": "²"})
    assert wrong.status_code == 422 and "min_words" in wrong.text


def test_work_page_reader_row_quotes_the_cue_not_a_dict(signup) -> None:
    """Item 3: the reader-gender cue is shown as its quoted text."""
    client, csrf = signup("mara")
    work = _import_text(client, csrf, STORY)
    page = client.get(f"/works/{work}").text
    row = re.search(r'<dd class="gn-check">(.*?)</dd>', page, re.S)
    assert row, page
    assert "female" in row.group(1) and "gown" in row.group(1)
    assert "{" not in row.group(1) and "&#39;rule&#39;" not in row.group(1)
