//! Renders an analysis: terminal summary, Markdown, versioned JSON, self-contained HTML.
