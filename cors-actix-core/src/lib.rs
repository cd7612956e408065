//! The values a CORS policy is made of (origins, origin patterns, methods,
//! header names, max-age) and the rules that decide whether they are valid.
//!
//! **Internal to cors-actix**: depend on `cors-actix`, never on this crate,
//! whose items may change in any release. It has no knowledge of actix-web
//! and exists so that the runtime builder in `cors-actix` and the
//! compile-time checks in `cors-macros` apply the *same* rules and produce
//! the *same* error messages: a configuration that
//! `Cors::builder().build()` refuses is refused by `#[cors(...)]` too.
//!
//! Every value type is opaque and built only by its parser, so nothing the
//! two crates hold has skipped a check: [`OriginPattern`] (read through the
//! borrowed [`PatternKind`]) and [`RequestOrigin`]. Each item below has a
//! user in one of the two crates.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod header_name;
mod max_age;
mod method;
mod origin;
mod pattern;
mod policy_rules;

pub use error::ValueError;
pub use header_name::{validate_header_name, MAX_HEADER_NAME_LEN};
pub use max_age::validate_max_age;
pub use method::{
    is_forbidden, is_requested_method, is_tchar, is_token, validate_method, MAX_METHOD_LEN,
};
pub use origin::{default_port, split_authority, RequestOrigin, MAX_ORIGIN_LEN};
pub use pattern::{HostPattern, OriginPattern, PatternKind, PortPattern};
pub use policy_rules::{
    check_every_origin, check_preflight_status, never_readable_response_header,
    never_sent_request_header, no_origin_error, risky_with_credentials,
};
