"""The analyst's web interface: HTML pages over the JSON API, their templates and static files,
and the `serve` and `plot` commands (`eventwire.web.commands.register`)."""
