"""How Markdown and reStructuredText become HTML: the fenced code block grammar and its
Python-Markdown extension, the project's nginx lexer, and the safe reStructuredText reader.
"""
