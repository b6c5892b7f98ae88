//! Pages: they read the shared state and lay out components.

pub mod csv;
pub mod diagnosis;
