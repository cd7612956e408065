//! The values a CORS policy is made of (origins, origin patterns, methods,
//! header names, max-age) and the rules that decide whether they are valid.
//!
//! This crate has no knowledge of actix-web. It exists so that the runtime
//! builder in `cors-actix` and the compile-time checks in `cors-macros` apply
//! the *same* rules and produce the *same* error messages: a configuration
//! that `Cors::builder().build()` refuses is refused by `#[cors(...)]` too.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod header_name;
pub mod max_age;
pub mod method;
pub mod origin;
pub mod pattern;
pub mod policy_rules;

pub use error::ValueError;
pub use origin::{canonicalize_origin, RequestOrigin};
pub use pattern::{HostPattern, OriginPattern, PortPattern};
