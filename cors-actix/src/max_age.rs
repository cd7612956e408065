//! `Access-Control-Max-Age`: how long browsers may cache a preflight answer.

use std::fmt;
use std::time::Duration;

use actix_web::http::header::{HeaderMap, HeaderValue};
use cors_actix_core::validate_max_age;

use crate::headers::{write_absent, ACCESS_CONTROL_MAX_AGE};
use crate::CorsConfigError;

/// The value allowed preflights are answered with, if any; built only by
/// [`from_config`](Self::from_config), so it is always in range.
pub(crate) struct MaxAge(Option<HeaderValue>);

impl MaxAge {
    /// Checks the duration given to `max_age` (`None`: never called, and
    /// the header is not sent).
    pub(crate) fn from_config(max_age: Option<Duration>) -> Result<Self, CorsConfigError> {
        let value = match max_age {
            None => None,
            Some(duration) => {
                let secs = validate_max_age(duration.as_secs())
                    .map_err(|e| CorsConfigError::MaxAge(e.to_string()))?;
                Some(HeaderValue::from(secs))
            }
        };
        Ok(Self(value))
    }

    /// Sets `Access-Control-Max-Age` on an allowed preflight's answer.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        if let Some(value) = &self.0 {
            write_absent(headers, ACCESS_CONTROL_MAX_AGE, value.clone());
        }
    }
}

impl fmt::Debug for MaxAge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
