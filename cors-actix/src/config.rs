//! `CorsConfig`: a policy as data, for operators who keep allowed origins in
//! configuration files or the environment rather than in code.

use std::time::Duration;

use actix_web::http::StatusCode;
use serde::Deserialize;

use crate::{Cors, CorsBuilder, CorsConfigError};

/// A CORS policy as plain data, deserialisable from any serde format, with
/// the builder's names as keys. Unknown keys are an error, so a misspelt
/// setting cannot be silently ignored. Turned into a [`Cors`] by
/// `Cors::try_from(config)`, through the same validation as the builder.
///
/// ```
/// use cors_actix::{Cors, CorsConfig};
///
/// let config: CorsConfig = serde_json::from_str(r#"{
///     "allow_origins": ["https://app.example.com", "https://*.example.com"],
///     "allow_methods": ["GET", "POST"],
///     "allow_credentials": true,
///     "max_age": 600
/// }"#).unwrap();
/// let cors = Cors::try_from(config)?;
/// # drop(cors);
/// # Ok::<(), cors_actix::CorsConfigError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsConfig {
    /// Origins and origin patterns, as for `allow_origins`.
    pub allow_origins: Vec<String>,
    /// As `allow_any_origin()`.
    pub allow_any_origin: bool,
    /// Whole-origin regular expressions (needs the `regex` feature).
    pub allow_origin_regex: Vec<String>,
    /// As `allow_methods`; absent means GET, HEAD and POST.
    pub allow_methods: Option<Vec<String>>,
    /// As `allow_any_method()`.
    pub allow_any_method: bool,
    /// As `allow_headers`.
    pub allow_headers: Vec<String>,
    /// As `allow_any_header()`.
    pub allow_any_header: bool,
    /// As `expose_headers`.
    pub expose_headers: Vec<String>,
    /// As `expose_any_header()`.
    pub expose_any_header: bool,
    /// As `allow_credentials`.
    pub allow_credentials: bool,
    /// Preflight cache lifetime in seconds.
    pub max_age: Option<u64>,
    /// As `allow_private_network`.
    pub allow_private_network: bool,
    /// Status code of allowed preflights (default 204).
    pub preflight_status: Option<u16>,
    /// As `preflight_passthrough`.
    pub preflight_passthrough: bool,
    /// As `block_disallowed`.
    pub block_disallowed: bool,
    /// As `diagnostic_preflights`; absent means on.
    pub diagnostic_preflights: Option<bool>,
    /// As `trust_forwarded_headers`.
    pub trust_forwarded_headers: bool,
}

impl TryFrom<CorsConfig> for Cors {
    type Error = CorsConfigError;

    fn try_from(config: CorsConfig) -> Result<Self, Self::Error> {
        let mut builder: CorsBuilder = Cors::builder()
            .allow_origins(&config.allow_origins)
            .allow_headers(&config.allow_headers)
            .expose_headers(&config.expose_headers)
            .allow_credentials(config.allow_credentials)
            .allow_private_network(config.allow_private_network)
            .preflight_passthrough(config.preflight_passthrough)
            .block_disallowed(config.block_disallowed)
            .trust_forwarded_headers(config.trust_forwarded_headers);
        if config.allow_any_origin {
            builder = builder.allow_any_origin();
        }
        if !config.allow_origin_regex.is_empty() {
            #[cfg(feature = "regex")]
            for regex in &config.allow_origin_regex {
                builder = builder.allow_origin_regex(regex);
            }
            #[cfg(not(feature = "regex"))]
            return Err(CorsConfigError::Regex(
                "allow_origin_regex needs the `regex` feature of cors-actix".into(),
            ));
        }
        if let Some(methods) = &config.allow_methods {
            builder = builder.allow_methods(methods);
        }
        if config.allow_any_method {
            builder = builder.allow_any_method();
        }
        if config.allow_any_header {
            builder = builder.allow_any_header();
        }
        if config.expose_any_header {
            builder = builder.expose_any_header();
        }
        if let Some(diagnostic) = config.diagnostic_preflights {
            builder = builder.diagnostic_preflights(diagnostic);
        }
        if let Some(secs) = config.max_age {
            builder = builder.max_age(Duration::from_secs(secs));
        }
        if let Some(status) = config.preflight_status {
            let status = StatusCode::from_u16(status).map_err(|_| {
                CorsConfigError::PreflightStatus(format!(
                    "{status} is not an HTTP status code; use 204 or 200"
                ))
            })?;
            builder = builder.preflight_status(status);
        }
        builder.build()
    }
}
