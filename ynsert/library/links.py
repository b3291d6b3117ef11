"""Import by link: an AO3 work's address → the work's HTML download, ready to import.

AO3 offers every public work as an HTML download (the format ``ynsert.formats.ao3`` reads,
with the whole header: tags, warnings, summary). A link is checked and made canonical here;
the fetching runs in a job (``import_url``), never in a web request. Locked works (for
registered users only), deleted or missing works and restricted downloads end the job with
a one-line reason.

>>> work_url("https://archiveofourown.org/works/123456/chapters/789?view_adult=true")
'https://archiveofourown.org/works/123456'
>>> work_url("https://example.com/works/1")
Traceback (most recent call last):
...
ynsert.library.errors.Invalid: url: not an AO3 work address (https://archiveofourown.org/works/…)
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request

from ynsert.library.errors import Invalid
from ynsert.library.service import MAX_UPLOAD_BYTES

#: Where AO3 is (tests point this at a server on 127.0.0.1 serving saved pages).
BASE_ENV = "YNSERT_AO3_BASE"
AO3 = "https://archiveofourown.org"
_WORK = re.compile(r"^https?://(?:www\.)?archiveofourown\.org/works/(\d{1,12})(?:[/?#].*)?$")
TIMEOUT = 30.0
AGENT = "ynsert-reading-room (reader's own import by link)"


class LinkError(Invalid):
    """The work behind the link cannot be fetched (locked, deleted, restricted …)."""


def work_url(url: str) -> str:
    """The canonical address of the AO3 work ``url`` points into; ``Invalid`` otherwise."""
    match = _WORK.match((url or "").strip())
    if match is None:
        raise Invalid("url: not an AO3 work address (https://archiveofourown.org/works/…)")
    return f"{AO3}/works/{match.group(1)}"


def fetch_work(url: str) -> tuple[bytes, str]:
    """(HTML download bytes, file name) of the work at ``url`` (an address ``work_url`` made)."""
    work_id = work_url(url).rsplit("/", 1)[1]
    base = (os.environ.get(BASE_ENV) or AO3).rstrip("/")
    page = _get(f"{base}/works/{work_id}?view_adult=true", work_id)
    if _locked(page):
        raise LinkError(f"work {work_id} is only for logged-in AO3 users; download it there")
    data = _get(f"{base}/downloads/{work_id}/work.html", work_id)
    if b"<html" not in data[:2000].lower():
        raise LinkError(f"work {work_id}: AO3 did not send the work's download")
    return data, f"ao3-{work_id}.html"


def _locked(page: bytes) -> bool:
    text = page.decode("utf-8", "replace")
    return "only available to registered users" in text or 'id="loginform"' in text


def _get(url: str, work_id: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            if "/users/login" in response.geturl():
                raise LinkError(f"work {work_id} is only for logged-in AO3 users")
            data: bytes = response.read(MAX_UPLOAD_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            raise LinkError(f"work {work_id} does not exist on AO3 (deleted?)") from None
        if error.code in (401, 403):
            raise LinkError(f"work {work_id} is restricted; AO3 refused the download") from None
        if error.code == 429:
            raise LinkError("AO3 asks to slow down (429); try again in a few minutes") from None
        raise LinkError(f"work {work_id}: AO3 answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise LinkError(f"could not reach AO3 ({reason})") from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise LinkError(f"work {work_id} is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    return data
