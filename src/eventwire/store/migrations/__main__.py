"""`python -m eventwire.store.migrations revision -m MESSAGE`: write the next migration script."""

from eventwire.store.migrate import main

main()
