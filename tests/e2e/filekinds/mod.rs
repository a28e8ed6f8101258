//! File kinds the scanner reads in their own way: notebooks (JSON with code
//! inside), lockfiles (checksums are not secrets), minified bundles, and docs
//! and test files (stand-ins are expected there).

mod lockfiles;
mod minified;
mod notebooks;
mod places;
mod translations;
