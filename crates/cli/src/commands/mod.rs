pub mod analyze;
pub mod eval;
pub mod ingest;
pub mod model;
pub mod serve;
pub mod verify;
