"""What authors write and its rules: the front matter of pages and posts, the content's own settings
(guide.toml), the checks that run before anything is written, and what is computed from the
content once per build (chapters, choices, outlines, "last updated" dates, the index of pages).
"""
