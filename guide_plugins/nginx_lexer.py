"""Nginx configuration lexer (placeholder until the project's own lexer lands)."""

from pygments.lexers.configs import NginxConfLexer


class NginxLexer(NginxConfLexer):
    name = "Nginx"
    aliases = ["nginx"]
