//! Groups documents into stories, aligns sentences across versions, finds copy families and
//! in-article defects.

mod features;
mod index;

pub use features::DocFeatures;
pub use index::{
    cluster, lead_text, StoryIndex, CENTROID_TERMS, JOIN_SCORE, MAX_DAY_GAP, PROFILE_TERMS,
};
