//! Benchmarks with their published metrics: extraction, story clustering, fact checking.

pub mod extraction;
pub mod factcheck;
pub mod stories;
