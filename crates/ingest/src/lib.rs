//! Reads news from files: plain text, Markdown, HTML, RSS/Atom, WARC, JSON Lines; extracts main text and metadata.
