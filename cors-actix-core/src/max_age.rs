//! `Access-Control-Max-Age`: how long a browser may cache a preflight answer.

use crate::ValueError;

/// The largest accepted max-age, in seconds. Firefox caps the preflight cache
/// at 24 hours and Chromium at 2 hours; a larger value is never honoured.
const MAX_AGE_LIMIT_SECS: u64 = 86_400;

/// Checks a configured max-age in seconds.
///
/// ```
/// use cors_actix_core::validate_max_age;
/// assert_eq!(validate_max_age(600).unwrap(), 600);
/// assert!(validate_max_age(100_000).is_err());
/// ```
pub fn validate_max_age(secs: u64) -> Result<u32, ValueError> {
    if secs > MAX_AGE_LIMIT_SECS {
        return Err(ValueError::new(format!(
            "max_age of {secs} s is out of range: browsers cap the preflight cache (Chromium at 7200 s, \
             Firefox at 86400 s); use a value from 0 (no caching) to {MAX_AGE_LIMIT_SECS}"
        )));
    }
    Ok(secs as u32)
}
