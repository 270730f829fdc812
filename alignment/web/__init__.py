"""The pages and their htmx fragments: thin function views over the services, each serving its full page or,
for an htmx request, only the fragment that changed."""
