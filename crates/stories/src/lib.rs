//! Groups documents into stories ([`cluster`], [`StoryIndex`]), aligns sentences across the
//! versions of a story, finds copy families and in-article defects ([`structure`]).

mod features;
mod index;
mod structure;

pub use features::DocFeatures;
pub use index::{
    cluster, lead_text, StoryIndex, CENTROID_TERMS, JOIN_SCORE, MAX_DAY_GAP, PROFILE_TERMS,
};
pub use structure::{defects, structure, Structure};
