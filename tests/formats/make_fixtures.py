"""Builders for the format fixtures: AO3-style HTML and EPUB, FanFicFare-style EPUB, and
hostile files (zip bomb, path traversal, entity bomb, truncation).

Binary fixtures are built here rather than committed, so each test states what it feeds in.
The story text is invented (or the bundled seed, ``tests/data/seed``).  Run as a script to
write samples into ``fixtures/generated/`` for opening in an e-reader by hand:

    .venv/bin/python tests/formats/make_fixtures.py
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

FIXTURES = Path(__file__).parent / "fixtures"

CHAPTER_ONE = [
    "You pull your coat tighter as the train slows, and the platform lights slide past.",
    "<em>He said he would be here,</em> you remind yourself. Your hands are shaking.",
    "Ben is waiting by the ticket office, and when he sees you he smiles.",
]
CHAPTER_TWO = [
    "The café is warm. You order two coffees, and he insists on paying for yours.",
    '"You look tired," he says. You laugh, because <strong>you are</strong>.',
    "* * *",
    "Outside, the snow keeps falling on the two of you.",
]


@dataclass
class Ao3Work:
    """What goes into an AO3-style download."""

    title: str = "The Last Train"
    author: str = "quietfox"
    work_id: str = "4242"
    rating: str = "Teen And Up Audiences"
    warnings: list[str] = field(default_factory=lambda: ["No Archive Warnings Apply"])
    categories: list[str] = field(default_factory=lambda: ["F/M"])
    fandoms: list[str] = field(default_factory=lambda: ["Star Wars - All Media Types"])
    relationships: list[str] = field(default_factory=lambda: ["Ben Solo/Reader"])
    characters: list[str] = field(default_factory=lambda: ["Ben Solo", "Reader"])
    tags: list[str] = field(default_factory=lambda: ["Reader-Insert", "Second Person", "Fluff"])
    summary: str = "A train, a station, a man who waited."
    words: int = 1234
    chapters: list[tuple[str, list[str]]] = field(
        default_factory=lambda: [
            ("Chapter 1: Arrival", CHAPTER_ONE),
            ("Chapter 2: Snow", CHAPTER_TWO),
        ]
    )
    plural_labels: bool = False
    extra_story_html: str = ""  # appended inside the first chapter (hostile markup goes here)

    def tag_url(self, tag: str) -> str:
        escaped = tag.replace("/", "*s*").replace("&", "*a*").replace(".", "*d*")
        return f"https://archiveofourown.org/tags/{quote(escaped, safe='*')}/works"


def _dd(work: Ao3Work, values: list[str]) -> str:
    return ", ".join(f'<a class="tag" href="{work.tag_url(v)}">{escape(v)}</a>' for v in values)


def ao3_preface(work: Ao3Work) -> str:
    plural = work.plural_labels
    rows = [
        ("Rating:", [work.rating]),
        ("Archive Warnings:" if plural else "Archive Warning:", work.warnings),
        ("Category:", work.categories),
        ("Fandom:", work.fandoms),
        ("Relationships:" if plural else "Relationship:", work.relationships),
        ("Characters:" if plural else "Character:", work.characters),
        ("Additional Tags:", work.tags),
    ]
    tags = "".join(f"<dt>{label}</dt><dd>{_dd(work, values)}</dd>" for label, values in rows)
    if plural:
        tags += "<dt>Language:</dt><dd>English</dd>"
    count = len(work.chapters)
    tags += (
        f"<dt>Stats:</dt><dd>Published: 2021-03-04 Updated: 2021-04-05 "
        f"Words: {work.words:,} Chapters: {count}/{count}</dd>"
    )
    url = f"https://archiveofourown.org/works/{work.work_id}"
    return (
        '<div id="preface">\n'
        f'<p class="message"><b>{escape(work.title)}</b><br/>Posted originally on the '
        f'<a href="https://archiveofourown.org/">Archive of Our Own</a> at '
        f'<a href="{url}">{url}</a>.</p>\n'
        f'<div class="meta">\n<dl class="tags">{tags}</dl>\n'
        f"<h1>{escape(work.title)}</h1>\n"
        f'<div class="byline">by <a rel="author" href="https://archiveofourown.org/users/'
        f'{work.author}/pseuds/{work.author}">{work.author}</a></div>\n'
        f'<p>Summary</p>\n<blockquote class="userstuff"><p>{escape(work.summary)}</p>'
        "</blockquote>\n"
        '<p>Notes</p>\n<blockquote class="userstuff"><p>Thank you for reading you '
        "lovely people!</p></blockquote>\n</div>\n</div>\n"
    )


def ao3_chapter(title: str, paragraphs: list[str], number: int, extra: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs) + extra
    return (
        f'<div class="meta group">\n<h2 class="heading">{escape(title)}</h2>\n'
        f'<p>Chapter Summary</p>\n<blockquote class="userstuff"><p>In which you '
        f"arrive.</p></blockquote>\n</div>\n"
        f'<!--chapter content-->\n<div class="userstuff">\n{body}\n</div>\n'
        f"<!--/chapter content-->\n"
        f'<div class="meta" id="endnotes{number}"><p>Chapter End Notes</p>'
        '<blockquote class="userstuff"><p>See you next time!</p></blockquote></div>\n'
    )


def ao3_chapters_div(work: Ao3Work) -> str:
    if len(work.chapters) == 1:
        title, paragraphs = work.chapters[0]
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs) + work.extra_story_html
        return (
            f'<div id="chapters" class="userstuff">\n<h2 class="toc-heading">'
            f'{escape(work.title)}</h2>\n<div class="userstuff">\n{body}\n</div>\n</div>\n'
        )
    parts = [
        ao3_chapter(t, p, i, work.extra_story_html if i == 1 else "")
        for i, (t, p) in enumerate(work.chapters, start=1)
    ]
    return '<div id="chapters" class="userstuff">\n' + "".join(parts) + "</div>\n"


AFTERWORD = (
    '<div id="afterword">\n<div class="meta"><p>End Notes</p><blockquote class="userstuff">'
    "<p>Comments feed me.</p></blockquote></div>\n"
    '<p class="message">Please <a href="https://archiveofourown.org/works/4242/comments/new">'
    "drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p>"
    "\n</div>\n"
)


def ao3_html(work: Ao3Work | None = None, head_extra: str = "", body_attrs: str = "") -> bytes:
    """An AO3 "Download → HTML" file."""
    work = work or Ao3Work()
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="UTF-8"/>\n'
        f"<title>{escape(work.title)} - {work.author} - Star Wars</title>\n"
        '<style type="text/css">body { font-family: Georgia, serif; }</style>\n'
        f"{head_extra}</head>\n<body{body_attrs}>\n"
        + ao3_preface(work)
        + ao3_chapters_div(work)
        + AFTERWORD
        + "</body>\n</html>\n"
    ).encode("utf-8")


# --- EPUB ----------------------------------------------------------------------------


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def zip_members(members: list[tuple[str, bytes]], *, stored_mimetype: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_mimetype:
            archive.writestr("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def xhtml(title: str, body: str, epub3: bool = False) -> bytes:
    doctype = (
        "<!DOCTYPE html>"
        if epub3
        else '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
        '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'
    )
    ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if epub3 else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{ns}>\n<head>\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="stylesheet.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    ).encode()


def ao3_epub(work: Ao3Work | None = None) -> bytes:
    """An AO3-style EPUB 2 (as calibre makes them): preface, chapters and afterword split
    over XHTML files, tags as ``dc:subject``, an NCX, a stylesheet and an image."""
    work = work or Ao3Work()
    files = [("split_000.xhtml", "Preface", ao3_preface(work))]
    for i, (title, paragraphs) in enumerate(work.chapters, start=1):
        extra = work.extra_story_html if i == 1 else ""
        body = ao3_chapter(title, paragraphs, i, extra)
        # calibre keeps the #chapters wrapper only in the first split file
        wrapper = '<div id="chapters" class="userstuff">' if i == 1 else '<div class="userstuff">'
        files.append((f"split_{i:03d}.xhtml", title, f"{wrapper}\n{body}</div>"))
    files.append((f"split_{len(files):03d}.xhtml", "Afterword", AFTERWORD))
    subjects = [
        work.rating,
        *work.warnings,
        *work.categories,
        *work.fandoms,
        *work.relationships,
        *work.characters,
        *work.tags,
    ]
    metadata = (
        f"<dc:title>{escape(work.title)}</dc:title>"
        f'<dc:creator opf:role="aut">{work.author}</dc:creator>'
        '<dc:identifier id="uuid_id" opf:scheme="uuid">'
        "urn:uuid:5c0f9a4e-6b0e-4f4e-9d1a-1a2b3c4d5e6f</dc:identifier>"
        f'<dc:identifier opf:scheme="URL">https://archiveofourown.org/works/{work.work_id}'
        "</dc:identifier>"
        "<dc:language>en</dc:language><dc:publisher>Archive of Our Own</dc:publisher>"
        "<dc:date>2021-03-04</dc:date>"
        + "".join(f"<dc:subject>{escape(s)}</dc:subject>" for s in subjects)
        + f"<dc:description>&lt;p&gt;{escape(work.summary)}&lt;/p&gt;</dc:description>"
    )
    return epub2(files, metadata, "urn:uuid:5c0f9a4e-6b0e-4f4e-9d1a-1a2b3c4d5e6f", "uuid_id")


def fanficfare_epub() -> bytes:
    """A FanFicFare-style EPUB 2: title_page.xhtml with ``<b>Label:</b> value`` lines and
    one ``fileNNNN.xhtml`` per chapter headed by its title."""
    entries = [
        ("Category", "Star Wars - All Media Types"),
        ("Genre", "Reader-Insert, Angst"),
        ("Language", "English"),
        ("Characters", "Kylo Ren, Reader"),
        ("Relationships", "Kylo Ren/Reader"),
        ("Status", "Completed"),
        ("Published", "2019-12-20"),
        ("Rating", "Mature"),
        ("Warnings", "Major Character Death"),
        ("Chapters", "2"),
        ("Words", "2,345"),
        ("Summary", "You run, he follows."),
    ]
    lines = "".join(f"<b>{k}:</b> {escape(v)}<br />\n" for k, v in entries)
    title_page = (
        '<h3><a href="https://archiveofourown.org/works/9999">Starkiller</a> by '
        '<a class="authorlink" href="https://archiveofourown.org/users/kyloswife">kyloswife</a>'
        f"</h3>\n<div>\n{lines}</div>"
    )
    chapters = [
        ("Running", CHAPTER_ONE),
        ("Falling", CHAPTER_TWO),
    ]
    contents = (
        "<h3>Table of Contents</h3>\n<div>"
        + "".join(
            f'<a href="file{i:04d}.xhtml">{title}</a><br />\n'
            for i, (title, _) in enumerate(chapters, start=1)
        )
        + "</div>"
    )
    files = [
        ("title_page.xhtml", "Title Page", title_page),
        ("toc_page.xhtml", "Contents", contents),
    ]
    for i, (title, paragraphs) in enumerate(chapters, start=1):
        body = f"<h3>{title}</h3>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs)
        files.append((f"file{i:04d}.xhtml", title, f'<div class="fff_chapter">\n{body}\n</div>'))
    metadata = (
        "<dc:title>Starkiller</dc:title>"
        '<dc:creator opf:role="aut">kyloswife</dc:creator>'
        '<dc:identifier id="fanficdownloader-uuid">'
        "fanficdownloader-uuid:archiveofourown.org-u1-s9999</dc:identifier>"
        "<dc:language>en</dc:language>"
        "<dc:source>https://archiveofourown.org/works/9999</dc:source>"
        "<dc:subject>Star Wars - All Media Types</dc:subject><dc:subject>Angst</dc:subject>"
        "<dc:description>&lt;p&gt;You run, he follows.&lt;/p&gt;</dc:description>"
    )
    uid = "fanficdownloader-uuid:archiveofourown.org-u1-s9999"
    return epub2(files, metadata, uid, "fanficdownloader-uuid")


def epub2(files: list[tuple[str, str, str]], metadata: str, uid: str, uid_id: str) -> bytes:
    """An EPUB 2 package around ``(name, toc label, body markup)`` XHTML files."""
    manifest = "".join(
        f'<item id="x{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, (name, _, _) in enumerate(files)
    )
    manifest += (
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="css" href="stylesheet.css" media-type="text/css"/>'
        '<item id="img" href="images/star.png" media-type="image/png"/>'
    )
    spine = "".join(f'<itemref idref="x{i}"/>' for i in range(len(files)))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="{uid_id}">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:opf="http://www.idpf.org/2007/opf">{metadata}</metadata>'
        f'<manifest>{manifest}</manifest><spine toc="ncx">{spine}</spine></package>\n'
    )
    points = "".join(
        f'<navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>{escape(label)}</text>'
        f'</navLabel><content src="{name}"/></navPoint>'
        for i, (name, label, _) in enumerate(files)
    )
    ncx = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head>'
        f'<meta name="dtb:uid" content="{uid}"/><meta name="dtb:depth" content="1"/>'
        '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" '
        'content="0"/></head><docTitle><text>Book</text></docTitle>'
        f"<navMap>{points}</navMap></ncx>\n"
    )
    members = [("META-INF/container.xml", CONTAINER.format(opf="OEBPS/content.opf").encode())]
    members += [("OEBPS/content.opf", opf.encode()), ("OEBPS/toc.ncx", ncx.encode())]
    members += [
        ("OEBPS/stylesheet.css", b"p { text-indent: 1em; }\n.userstuff { margin: 0 1em; }\n"),
        ("OEBPS/images/star.png", PNG),
    ]
    members += [(f"OEBPS/{name}", xhtml(label, body)) for name, label, body in files]
    return zip_members(members)


def epub3(files: list[tuple[str, str, str, str]], title: str = "Nights") -> bytes:
    """An EPUB 3 with a nav document around ``(name, nav label, properties, body)`` files."""
    links = "".join(f'<li><a href="{n}">{escape(label)}</a></li>' for n, label, _, _ in files)
    nav = xhtml("Contents", f'<nav epub:type="toc" id="toc"><ol>{links}</ol></nav>', epub3=True)
    manifest = (
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="css" href="stylesheet.css" media-type="text/css"/>'
    )
    for i, (name, _, properties, _) in enumerate(files):
        props = f' properties="{properties}"' if properties else ""
        manifest += f'<item id="x{i}" href="{name}" media-type="application/xhtml+xml"{props}/>'
    spine = "".join(f'<itemref idref="x{i}"/>' for i in range(len(files)))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:0e5d1f55-3c4b-4c8e-9d43-7a4c3e2b1a00</dc:identifier>'
        f"<dc:title>{escape(title)}</dc:title><dc:language>en</dc:language>"
        "<dc:creator>quietfox</dc:creator><dc:subject>Reader-Insert</dc:subject>"
        '<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata>'
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>\n"
    )
    members = [("META-INF/container.xml", CONTAINER.format(opf="EPUB/package.opf").encode())]
    members += [("EPUB/package.opf", opf.encode()), ("EPUB/nav.xhtml", nav)]
    members += [("EPUB/stylesheet.css", b"p { margin: 0; }\n")]
    members += [(f"EPUB/{n}", xhtml(label, body, epub3=True)) for n, label, _, body in files]
    return zip_members(members)


def seed_text() -> str:
    from data import SEED  # tests/data, on the path under pytest

    return SEED.read_text(encoding="utf-8")


def seed_ao3(seed: str) -> Ao3Work:
    return Ao3Work(title="Seed", chapters=[("Chapter 1", [escape(seed, quote=False)])])


# --- hostile -------------------------------------------------------------------------


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    """A valid-looking EPUB with one member that inflates to ``size`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(opf="content.opf"))
        with archive.open("OEBPS/bomb.xhtml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def traversal_epub() -> bytes:
    """An otherwise valid EPUB with a ``../`` member name."""
    good = zipfile.ZipFile(io.BytesIO(fanficfare_epub()))
    members = [(i.filename, good.read(i)) for i in good.infolist() if i.filename != "mimetype"]
    return zip_members([*members, ("../../etc/evil.sh", b"#!/bin/sh\necho pwned\n")])


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE html [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">\n' for i in range(1, 10)
    )
    + ']>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head>'
    "<body><p>&lol9;</p></body></html>\n"
)


def billion_laughs_epub() -> bytes:
    """A FanFicFare-style EPUB whose first chapter is a billion-laughs XHTML document."""
    good = zipfile.ZipFile(io.BytesIO(fanficfare_epub()))
    members = []
    for info in good.infolist():
        data = good.read(info)
        if info.filename == "OEBPS/file0001.xhtml":
            data = BILLION_LAUGHS.encode()
        if info.filename != "mimetype":
            members.append((info.filename, data))
    return zip_members(members)


def truncated_epub() -> bytes:
    data = fanficfare_epub()
    return data[: len(data) * 2 // 3]


if __name__ == "__main__":
    out = FIXTURES / "generated"
    out.mkdir(exist_ok=True)
    (out / "ao3.html").write_bytes(ao3_html())
    (out / "ao3.epub").write_bytes(ao3_epub())
    (out / "fanficfare.epub").write_bytes(fanficfare_epub())
    print(f"wrote samples to {out}")
