"""The code that turns the guide's Markdown into a published site. One subpackage per job:

- :mod:`guide.plugin`: Pelican's entry point (``PLUGINS = ["guide.plugin"]``): signal handlers only.
- :mod:`guide.content`: what authors write and its rules: front matter, validation, the content's
  own settings (guide.toml), chapters, choices, dates, the outline and the site's index of pages.
- :mod:`guide.markdown`: how Markdown and reStructuredText become HTML: code blocks, lexers, the
  safe reStructuredText reader.
- :mod:`guide.build`: turning a content tree into a site on disk: the runner behind `invoke build`,
  the output folder swap, `invoke serve`'s rebuilds and server, the search index, the link check.
- :mod:`guide.site_tools`: looking at a built site: serving it, Lighthouse, screenshots.
- :mod:`guide.problems`: one-line problems (file, field, what to do), used by every part.

ARCHITECTURE.md follows a page from its Markdown file to the deployed site.
"""
