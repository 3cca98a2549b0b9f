"""The disclosure site builder: a static-site generator for a civil-affairs bureau's
政府信息公开 site. The pipeline is load → validate → model → render → write."""

__version__ = "0.1.0"
