//! Checks one text (a summary or rewrite) against its sources: unsupported and contradicted sentences.
