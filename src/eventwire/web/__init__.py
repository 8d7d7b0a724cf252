"""The analyst's web pages: each view's data (`eventwire.views`) rendered with its template
(`pages`, `render`), the templates and the static files. The application that serves them is
assembled in `eventwire.api`; nothing here imports it."""
