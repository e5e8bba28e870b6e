"""Synthetic content in the guide's page format, for N pages over 20+ chapters.

Every page has the header of the README's authors' guide (title, slug, sort-order, meta and
"what's next" choices that point at pages that exist), prose with inline code and site links,
h2/h3 headings, ``python {illustrative}`` and ``nginx {illustrative context="server"}`` blocks.
A few blog posts (Markdown and reStructuredText), one image and the tree's ``guide.toml``
(chapter titles, the code-block rule) complete the site.

Page ``k`` has the same shape and words whatever N is; only the pages its links and choices
point to depend on N. Its words come from a generator seeded with ``k % BODY_PERIOD`` and its
shape from ``k % len(SHAPES)``, so the pages' texts repeat every ``BODY_PERIOD`` pages (their
slugs and link targets do not): every site of ``BODY_PERIOD`` pages or more has the same largest
body, to a few bytes. Were each page's words drawn afresh, a larger site would simply hold a
longer outlier (the longest of 100 bodies is shorter than the longest of 5,000). So if the
largest page grows with N, it is what the theme adds around the body.

Chapters: ``sort-order`` has two digits for the chapter and two for the position, so a site has
at most 99 chapters of 99 pages. By default a site of N pages has ``max(20, ceil(sqrt(N)))``
chapters of about equal size (100 pages: 20 of 5; 1,000: 32 of 31-32; 5,000: 71 of 70-71).
"""

from __future__ import annotations

import dataclasses
import math
import os
import random
import textwrap

MAX_CHAPTERS = MAX_POSITIONS = 99
MIN_CHAPTERS = 20
BODY_PERIOD = 100  #: page k's text is page (k % BODY_PERIOD)'s: the smallest site the benchmark builds

WORDS = """
websocket connection frame message server client proxy handshake upgrade header protocol
browser socket stream buffer queue event loop coroutine task handler route timeout ping pong
close code payload binary text compression extension subprotocol origin cookie token session
broadcast channel room subscriber publisher backend worker process thread request response
latency throughput heartbeat keepalive reconnect backoff retry error failure state transport
certificate encryption nginx upstream location listener port address network packet mask opcode
fragment continuation length reader writer limit memory pressure flow control window deadline
cancel shutdown graceful deployment container cluster balancer sticky affinity scale replica
metric trace log debug test fixture mock assertion example pattern idiom guide reader chapter
""".split()
VERBS = """
sends receives accepts rejects forwards buffers closes opens reads writes waits checks retries
drops keeps holds carries routes wraps parses encodes decodes limits measures logs cancels
""".split()
ICONS = ["fa-play fa-inverse", "fa-book", "fa-code", "fa-server", "fa-bolt", "fa-cogs", "fa-lock", "fa-terminal"]

#: (sections, paragraphs per section, sentences per paragraph, code blocks per section): the
#: shape of page k is SHAPES[k % len(SHAPES)], so page sizes repeat with a short period.
SHAPES = [
    (3, 2, 4, 1), (4, 3, 5, 1), (5, 2, 4, 2), (4, 2, 6, 1), (6, 3, 4, 1),
    (3, 3, 5, 2), (5, 3, 5, 1), (4, 2, 4, 2), (6, 2, 5, 2), (5, 4, 4, 1),
]  # fmt: skip

PYTHON_TEMPLATES = [
    '''
    import asyncio

    from websockets.asyncio.server import serve


    async def {name}(websocket):
        """Echo every message back, {count} at a time."""
        async for message in websocket:
            await websocket.send(message)


    async def main():
        async with serve({name}, "127.0.0.1", {port}) as server:
            await server.serve_forever()


    if __name__ == "__main__":
        asyncio.run(main())
    ''',
    """
    import asyncio
    import json

    from websockets.asyncio.client import connect


    async def {name}(uri="ws://127.0.0.1:{port}/"):
        async with connect(uri, ping_interval={count}) as websocket:
            await websocket.send(json.dumps({{"type": "subscribe", "room": "{word}"}}))
            while True:
                event = json.loads(await websocket.recv())
                if event.get("type") == "close":
                    break
                print(event["room"], event.get("text", ""))
    """,
    '''
    CLIENTS: set = set()


    async def {name}(websocket, message: str) -> int:
        """Send a message to every connected client; return how many got it."""
        sent = 0
        for client in list(CLIENTS):
            try:
                await client.send(message)
            except ConnectionError:
                CLIENTS.discard(client)
            else:
                sent += 1
        return sent  # at most {count} per call
    ''',
]

NGINX_TEMPLATE = """
location /{word}/ {{
    proxy_pass http://127.0.0.1:{port};
    proxy_http_version 1.1;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "upgrade";
    proxy_set_header Host $host;
    proxy_read_timeout {count}s;
    proxy_send_timeout {count}s;
}}
"""

DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">
<rect x="1" y="1" width="118" height="38" rx="4" fill="none" stroke="currentColor"/>
<text x="60" y="25" text-anchor="middle" font-size="12">client - proxy - server</text>
</svg>
"""


@dataclasses.dataclass(frozen=True)
class GeneratedPage:
    path: str  #: relative to the content folder
    slug: str
    sort_order: str
    chapter: int
    choice_urls: tuple[str, ...]  #: the site paths and https:// URLs of its choices
    link_urls: tuple[str, ...]  #: the site paths its body links to


@dataclasses.dataclass(frozen=True)
class GeneratedSite:
    content: str  #: the content folder
    pages: list[GeneratedPage]
    chapters: int
    posts: list[str]  #: the posts' paths, relative to the content folder

    def page_path(self, index: int) -> str:
        return os.path.join(self.content, self.pages[index].path)


def default_chapters(pages: int) -> int:
    return min(pages, max(MIN_CHAPTERS, math.ceil(math.sqrt(pages))))


def chapter_sizes(pages: int, chapters: int) -> list[int]:
    """Pages per chapter, as equal as possible; raises ValueError if the format cannot hold them."""
    if pages < 1 or chapters < 1:
        raise ValueError("a site needs at least one page and one chapter")
    if chapters > pages:
        raise ValueError(f"{chapters} chapters need at least {chapters} pages")
    if chapters > MAX_CHAPTERS or math.ceil(pages / chapters) > MAX_POSITIONS:
        raise ValueError(f"sort-order holds at most {MAX_CHAPTERS} chapters of {MAX_POSITIONS} pages")
    base, extra = divmod(pages, chapters)
    return [base + (1 if number < extra else 0) for number in range(chapters)]


def slug_for(index: int) -> str:
    """Page ``index`` (0-based) has the same slug whatever the size of the site."""
    rng = random.Random(f"slug:{index}")
    return f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{index + 1:05d}"


def generate(content: str, pages: int, chapters: int | None = None, posts: int = 3, seed: int = 0) -> GeneratedSite:
    """Write a site of ``pages`` guide pages and ``posts`` blog posts into ``content``."""
    chapters = chapters or default_chapters(pages)
    sizes = chapter_sizes(pages, chapters)
    slugs = [slug_for(index) for index in range(pages)]
    placed = []  # (index, chapter, position)
    for chapter, size in enumerate(sizes, start=1):
        placed.extend((len(placed), chapter, position) for position in range(1, size + 1))

    generated = []
    for index, chapter, position in placed:
        text, choices, links = _page(index, chapter, position, slugs, sizes, seed)
        relative = os.path.join("pages", f"{chapter:02d}-chapter", f"{position:02d}-{slugs[index]}.md")
        _write(content, relative, text)
        generated.append(GeneratedPage(relative, slugs[index], f"{chapter:02d}{position:02d}", chapter, choices, links))

    post_paths = [_post(content, number, slugs, seed) for number in range(posts)]
    _write(content, os.path.join("images", "diagram.svg"), DIAGRAM)
    _write(content, "guide.toml", _tree_settings(chapters))
    return GeneratedSite(content, generated, chapters, post_paths)


def _tree_settings(chapters: int) -> str:
    """The tree's guide.toml: the guide's code-block rule and a title for every chapter."""
    titles = "".join(f'{number:02d} = "Chapter {number}"\n' for number in range(1, chapters + 1))
    return f'tested_or_illustrative = ["python", "nginx"]\n\n[chapters]\n{titles}'


def edit_page(path: str, revision: int) -> None:
    """Change one page's text the way an author would: rewrite a sentence of its first paragraph."""
    with open(path, encoding="utf-8") as file:
        header, body = file.read().split("\n\n", 1)
    body = f"Revision {revision}: this sentence was edited while the preview was running.\n" + body
    with open(path, "w", encoding="utf-8") as file:
        file.write(f"{header}\n\n{body}")


def _write(content: str, relative: str, text: str) -> None:
    path = os.path.join(content, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def _page(index: int, chapter: int, position: int, slugs: list[str], sizes: list[int], seed: int):
    variant = index % BODY_PERIOD  # the text of the page: see BODY_PERIOD
    rng = random.Random(f"{seed}:page:{variant}")
    pages = len(slugs)
    sections, paragraphs, sentences, blocks = SHAPES[variant % len(SHAPES)]
    title = _words(rng, 3, 6).capitalize()

    def page_url(offset: int) -> str:
        return f"/{slugs[(index + offset) % pages]}.html"

    choices = [
        (
            "/table-of-contents.html" if index + 1 == pages else page_url(1),
            "fa-play fa-inverse",
            f"What comes after {_words(rng, 2, 3)}?",
        ),
        (page_url(max(sizes) + 7), rng.choice(ICONS), f"How does {_words(rng, 2, 4)} work?"),
        ("", "", ""),  # an empty choice means "no choice"
    ]
    if variant % 3 == 0:
        choices.append(("https://datatracker.ietf.org/doc/html/rfc6455", "fa-link", "Where is the RFC?"))
    elif variant % 3 == 1:
        choices.append(("/index.html", "fa-book", "Where did the guide start?"))
    header = [
        f"title: {title}",
        f"slug: {slugs[index]}",
        f"sort-order: {chapter:02d}{position:02d}",
        f"meta: {_words(rng, 10, 16).capitalize()}.",
    ]
    for number, (url, icon, text) in enumerate(choices, start=1):
        header += [
            f"choice{number}url: {url}".rstrip(),
            f"choice{number}icon: {icon}".rstrip(),
            f"choice{number}text: {text}".rstrip(),
        ]

    links = []
    body = [_paragraph(rng, sentences, page_url(-1), links), _paragraph(rng, sentences, page_url(3), links)]
    if variant % 5 == 0:
        body.append(f"![a diagram of {_words(rng, 2, 3)}](/images/diagram.svg)")
    for section in range(sections):
        body.append(f"## {_words(rng, 2, 5).capitalize()} {section + 1}")
        for number in range(paragraphs):
            body.append(_paragraph(rng, sentences, page_url(rng.randint(-40, 40)) if number == 0 else None, links))
        if section % 2 == 1:
            body.append(f"### {_words(rng, 2, 4).capitalize()}")
            body.append(_paragraph(rng, sentences, None, links))
            body.append(_list(rng))
        for block in range(blocks):
            body.append(_python_block(rng) if (section + block) % 2 == 0 else _nginx_block(rng))
    choice_urls = tuple(url for url, _, _ in choices if url)
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n", choice_urls, tuple(links)


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    words.insert(rng.randint(2, len(words) - 1), rng.choice(VERBS))
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"`{rng.choice(WORDS)}_{rng.choice(WORDS)}()`"
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = f"*{rng.choice(WORDS)}*"
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int, link: str | None, links: list) -> str:
    text = " ".join(_sentence(rng) for _ in range(sentences))
    if link:
        text += f" See [{_words(rng, 2, 4)}]({link}) for more."
        links.append(link)
    return textwrap.fill(text, width=96, break_on_hyphens=False, break_long_words=False)


def _list(rng: random.Random) -> str:
    return "\n".join(f"- {_words(rng, 4, 9).capitalize()}." for _ in range(rng.randint(3, 5)))


def _fields(rng: random.Random) -> dict:
    return {
        "name": f"{rng.choice(WORDS)}_{rng.choice(WORDS)}",
        "port": rng.randint(8000, 8999),
        "count": rng.randint(5, 120),
        "word": rng.choice(WORDS),
    }


def _python_block(rng: random.Random) -> str:
    code = textwrap.dedent(rng.choice(PYTHON_TEMPLATES)).strip("\n").format(**_fields(rng))
    return f"```python {{illustrative}}\n{code}\n```"


def _nginx_block(rng: random.Random) -> str:
    code = NGINX_TEMPLATE.strip("\n").format(**_fields(rng))
    return f'```nginx {{illustrative context="server"}}\n{code}\n```'


def _post(content: str, number: int, slugs: list[str], seed: int) -> str:
    rng = random.Random(f"{seed}:post:{number}")
    title = _words(rng, 3, 5).capitalize()
    slug = f"post-{number + 1:02d}"
    date = f"2026-01-{number + 1:02d}"
    link = f"/{slugs[number % len(slugs)]}.html"
    markdown = number % 2 == 0
    paragraphs = [_paragraph(rng, 5, link if markdown and n == 0 else None, []) for n in range(4)]
    if markdown:
        relative = os.path.join("blog", f"{date}-{slug}.md")
        text = f"title: {title}\nslug: {slug}\ncategory: post\ndate: {date}\nmeta: {_words(rng, 8, 12).capitalize()}.\n\n"
        text += f"## {_words(rng, 2, 4).capitalize()}\n\n" + "\n\n".join(paragraphs) + "\n\n" + _python_block(rng) + "\n"
    else:
        relative = os.path.join("blog", f"{date}-{slug}.rst")
        rst = [p.replace("`", "``") for p in paragraphs]
        text = f"{title}\n{'#' * len(title)}\n\n:slug: {slug}\n:category: post\n:date: {date}\n:summary: {_words(rng, 8, 12).capitalize()}.\n\n"
        text += "\n\n".join(rst) + "\n"
    _write(content, relative, text)
    return relative
