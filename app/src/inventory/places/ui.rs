//! The category tree and storage location screens.
