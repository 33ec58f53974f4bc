//! Groups documents into stories, aligns sentences across versions, finds copy families and in-article defects.
