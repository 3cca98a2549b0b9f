"""Rendering: the Jinja environment, Markdown with sanitising, and charts."""
