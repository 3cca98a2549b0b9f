"""Load and validate content sources: one module per kind of content, sharing one reader
for files (``textfile``), YAML with line numbers (``yamldoc``) and typed fields (``fields``)."""
