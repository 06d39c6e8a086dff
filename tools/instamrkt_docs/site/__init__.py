"""Site stage: the MkDocs plugin, and building or serving the site safely."""
