//! Renders an [`Analysis`](crosscheck_model::Analysis) for people and programs:
//!
//! - [`terminal`]: a compact coloured summary per story;
//! - [`markdown`]: a summary to paste into a ticket or a newsroom chat;
//! - [`json`]: the full analysis in a versioned schema (`schema/report.schema.json`), with byte
//!   and character offsets into each document's text;
//! - [`html`]: one self-contained page (inline CSS and JS, nothing loaded from the network) with
//!   the versions side by side, every sentence coloured by what was found about it, and findings
//!   that highlight their evidence in every version; [`html_story`] and
//!   [`html_story_section`] render a single story for the web UI.
//!
//! Article text is untrusted: every renderer escapes it for its format ([`escape_html`],
//! [`safe_url`] for links).

mod documents;
mod html;
mod json;
mod markdown;
mod terminal;
mod view;

pub use documents::documents_table;
pub use html::{
    escape_html, html, html_story, html_story_section, safe_url, HTML_SCRIPT, HTML_STYLE,
};
pub use json::{json, SCHEMA_VERSION};
pub use markdown::markdown;
pub use terminal::terminal;
