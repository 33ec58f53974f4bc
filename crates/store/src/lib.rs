//! SQLite library of articles, stories and findings.
