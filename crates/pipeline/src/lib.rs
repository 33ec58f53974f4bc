//! Runs the stages in order: documents → stories → alignments → claims → findings.
