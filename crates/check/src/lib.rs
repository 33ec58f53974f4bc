//! Cross-checks claims across the versions of a story: corroboration by independent families, contradictions, single-source claims.
