"""What an email says: its words in each language, its context, the sandbox shop templates run
in."""
