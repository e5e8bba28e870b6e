"""Turning a content tree into a site on disk: the runner behind `invoke build` and `invoke serve`,
the output folder it may replace, incremental rebuilds and the preview server, parallel reading,
the search index, the link check, the sitemap and the theme's generated assets.
"""
