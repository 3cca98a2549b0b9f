"""Browser tests (Playwright + /usr/bin/chromium); a package so that its conftest.py does not shadow tests/conftest.py."""
