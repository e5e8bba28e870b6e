"""Images in Chromium: every image of every page of both sites takes its place before its file
arrives (the build gave it width and height), fits the column on a phone and keeps its ratio."""

from __future__ import annotations

from guide.site_tools.chromium import VIEWPORTS

#: Each <img> of the page: its attributes, its box, its column's width.
IMAGES = """() => [...document.querySelectorAll('main img, article img')].map(img => ({
  src: img.getAttribute('src'), width: img.getAttribute('width'), height: img.getAttribute('height'),
  box: [img.getBoundingClientRect().width, img.getBoundingClientRect().height],
  column: img.parentElement.getBoundingClientRect().width,
}))"""


def test_images_have_their_size_fit_a_phone_and_keep_their_ratio(site, new_context):
    """Twice: while the image files are still on their way (held back here), then once loaded."""
    problems, seen = [], 0
    for state in ("loading", "loaded"):
        context, _ = new_context(viewport=VIEWPORTS["mobile"])
        page = context.new_page()
        if state == "loading":
            page.route(f"{site.base}/images/**", lambda route: None)  # never answered: still loading
            page.route(f"{site.base}/pages/**", lambda route: None)
        for name in site.pages():
            page.goto(site.url(name), wait_until="domcontentloaded" if state == "loading" else "load")
            for image in page.evaluate(IMAGES):
                seen += 1
                problems += image_problems(f"{name} ({state}): {image['src']}", image)
        context.close()
    assert seen, f"{site.name}: no image on any page"
    assert not problems, "\n".join(problems)
    print(f"{site.name}: {seen // 2} images placed at their size, loading and loaded")


def image_problems(where: str, image: dict) -> list[str]:
    if not (image["width"] and image["height"]):
        return [f"{where}: no width and height"]
    (width, height), ratio = image["box"], int(image["width"]) / int(image["height"])
    problems = []
    if width > image["column"] + 0.5:
        problems.append(f"{where}: {width:.0f}px wide in a {image['column']:.0f}px column")
    if not height or abs(width / height - ratio) > 0.02:
        problems.append(f"{where}: drawn {width:.0f} x {height:.0f}, not at its ratio {ratio:.3f}")
    return problems
