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

impl CorsConfig {
    /// A configuration from the process's environment variables that start
    /// with `prefix`, for twelve-factor apps: `{prefix}ALLOW_ORIGINS`,
    /// `{prefix}ALLOW_CREDENTIALS`, `{prefix}MAX_AGE` and so on, each field
    /// of [`CorsConfig`] in upper case. Lists are comma separated
    /// (`https://a.example,https://b.example`; spaces around entries are
    /// ignored), except `ALLOW_ORIGIN_REGEX`, which holds one regex (commas
    /// are regex syntax). Booleans are `true`/`false` or `1`/`0`.
    ///
    /// The rule for other variables with the prefix: they are not read, and
    /// each is named in a `warn` log line (a misspelt `CORS_ALLOW_ORIGIN`
    /// would otherwise go unnoticed), so unrelated `CORS_*` variables of
    /// other software do no harm. An error names the variable and says
    /// what is wrong with its value.
    ///
    /// ```
    /// use cors_actix::{Cors, CorsConfig};
    ///
    /// let vars = [
    ///     ("APP_CORS_ALLOW_ORIGINS", "https://app.example.com, https://*.example.com"),
    ///     ("APP_CORS_ALLOW_CREDENTIALS", "true"),
    ///     ("APP_CORS_MAX_AGE", "600"),
    /// ];
    /// let config = CorsConfig::from_vars("APP_CORS_", vars)?;
    /// assert_eq!(config.allow_origins, ["https://app.example.com", "https://*.example.com"]);
    /// let cors = Cors::try_from(config)?;
    ///
    /// let err = CorsConfig::from_vars("APP_CORS_", [("APP_CORS_MAX_AGE", "ten minutes")]).unwrap_err();
    /// assert!(err.to_string().contains("APP_CORS_MAX_AGE"));
    /// # drop(cors);
    /// # Ok::<(), cors_actix::CorsConfigError>(())
    /// ```
    pub fn from_env(prefix: &str) -> Result<Self, CorsConfigError> {
        let mut vars = Vec::new();
        for (name, value) in std::env::vars_os() {
            let Some(name) = name.to_str().filter(|n| n.starts_with(prefix)) else {
                continue;
            };
            let value = value.into_string().map_err(|_| {
                CorsConfigError::Environment(format!("{name}: the value is not valid UTF-8"))
            })?;
            vars.push((name.to_owned(), value));
        }
        Self::from_vars(prefix, vars)
    }

    /// [`from_env`](Self::from_env) from the given variables instead of the
    /// process's (for tests, or another source of name/value pairs).
    pub fn from_vars<I, K, V>(prefix: &str, vars: I) -> Result<Self, CorsConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut config = Self::default();
        for (name, value) in vars {
            let (name, value) = (name.as_ref(), value.as_ref());
            let Some(key) = name.strip_prefix(prefix) else {
                continue;
            };
            let error =
                |what: &str| CorsConfigError::Environment(format!("{name}: {value:?} {what}"));
            let flag = || match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(error("is not a boolean; write true or false")),
            };
            let list = || -> Vec<String> {
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|entry| !entry.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            match key {
                "ALLOW_ORIGINS" => {
                    let origins = list();
                    for origin in &origins {
                        cors_actix_core::OriginPattern::parse(origin)
                            .map_err(|e| error(&format!("holds an invalid origin: {e}")))?;
                    }
                    config.allow_origins = origins;
                }
                "ALLOW_ANY_ORIGIN" => config.allow_any_origin = flag()?,
                "ALLOW_ORIGIN_REGEX" => config.allow_origin_regex = vec![value.trim().to_owned()],
                "ALLOW_METHODS" => {
                    let methods = list();
                    for method in &methods {
                        cors_actix_core::validate_method(method)
                            .map_err(|e| error(&format!("holds an invalid method: {e}")))?;
                    }
                    config.allow_methods = Some(methods);
                }
                "ALLOW_ANY_METHOD" => config.allow_any_method = flag()?,
                "ALLOW_HEADERS" | "EXPOSE_HEADERS" => {
                    let names = list();
                    for header in &names {
                        cors_actix_core::validate_header_name(header)
                            .map_err(|e| error(&format!("holds an invalid header name: {e}")))?;
                    }
                    if key == "ALLOW_HEADERS" {
                        config.allow_headers = names;
                    } else {
                        config.expose_headers = names;
                    }
                }
                "ALLOW_ANY_HEADER" => config.allow_any_header = flag()?,
                "EXPOSE_ANY_HEADER" => config.expose_any_header = flag()?,
                "ALLOW_CREDENTIALS" => config.allow_credentials = flag()?,
                "MAX_AGE" => {
                    config.max_age =
                        Some(value.trim().parse().map_err(|_| {
                            error("is not a number of seconds (0 to 86400), e.g. 600")
                        })?);
                }
                "ALLOW_PRIVATE_NETWORK" => config.allow_private_network = flag()?,
                "PREFLIGHT_STATUS" => {
                    config.preflight_status = Some(
                        value
                            .trim()
                            .parse()
                            .map_err(|_| error("is not a status code; use 204 or 200"))?,
                    );
                }
                "PREFLIGHT_PASSTHROUGH" => config.preflight_passthrough = flag()?,
                "BLOCK_DISALLOWED" => config.block_disallowed = flag()?,
                "DIAGNOSTIC_PREFLIGHTS" => config.diagnostic_preflights = Some(flag()?),
                "TRUST_FORWARDED_HEADERS" => config.trust_forwarded_headers = flag()?,
                _ => log::warn!(
                    "environment variable {name} is not a CORS setting and is not read; the \
                     settings are {prefix}ALLOW_ORIGINS, {prefix}ALLOW_METHODS, \
                     {prefix}ALLOW_HEADERS, {prefix}EXPOSE_HEADERS, {prefix}ALLOW_CREDENTIALS, \
                     {prefix}MAX_AGE and the other fields of CorsConfig in upper case"
                ),
            }
        }
        Ok(config)
    }

    /// A builder holding this configuration, for what only code can add
    /// (a reloadable [`OriginList`](crate::OriginList), an origin function):
    /// `CorsConfig::from_env("CORS_")?.into_builder()?.allow_origin_list(&tenants).build()`.
    pub fn into_builder(self) -> Result<CorsBuilder, CorsConfigError> {
        self.builder()
    }
}

impl TryFrom<CorsConfig> for Cors {
    type Error = CorsConfigError;

    fn try_from(config: CorsConfig) -> Result<Self, Self::Error> {
        config.builder()?.build()
    }
}

impl CorsConfig {
    fn builder(self) -> Result<CorsBuilder, CorsConfigError> {
        let config = self;
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
        Ok(builder)
    }
}
