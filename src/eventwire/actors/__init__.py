"""Actor knowledge base and resolution: who an actor mention refers to, as of a date."""
