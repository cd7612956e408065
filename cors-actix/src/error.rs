//! Configuration errors.

use derive_more::{Display, Error};

/// Why a CORS policy could not be built. The message names the bad input and
/// how to fix it; `build()` returns it before any server starts.
///
/// ```
/// use cors_actix::{Cors, CorsConfigError};
///
/// let err = Cors::builder().allow_any_origin().allow_credentials(true).build().unwrap_err();
/// assert!(matches!(err, CorsConfigError::Conflict(_)));
/// assert!(err.to_string().contains("credentials"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Display, Error)]
#[non_exhaustive]
pub enum CorsConfigError {
    /// An allowed origin or origin pattern is malformed.
    #[display("invalid allowed origin: {_0}")]
    Origin(#[error(not(source))] String),
    /// An origin regular expression is malformed or unsafe.
    #[display("invalid origin regex: {_0}")]
    Regex(#[error(not(source))] String),
    /// An allowed method is malformed or forbidden.
    #[display("invalid allowed method: {_0}")]
    Method(#[error(not(source))] String),
    /// An allowed or exposed header name is malformed.
    #[display("invalid header name: {_0}")]
    Header(#[error(not(source))] String),
    /// `max_age` is out of range.
    #[display("invalid max_age: {_0}")]
    MaxAge(#[error(not(source))] String),
    /// `preflight_status` is not a success status.
    #[display("invalid preflight_status: {_0}")]
    PreflightStatus(#[error(not(source))] String),
    /// Settings that are each valid but unsafe or meaningless together.
    #[display("conflicting CORS settings: {_0}")]
    Conflict(#[error(not(source))] String),
    /// An environment variable read by `CorsConfig::from_env` holds a value
    /// that is not a setting; the message names the variable.
    #[display("invalid CORS environment variable {_0}")]
    Environment(#[error(not(source))] String),
}
