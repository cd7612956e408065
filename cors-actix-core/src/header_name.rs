//! Header names in a CORS policy (`Access-Control-Allow-Headers`,
//! `Access-Control-Expose-Headers`).

use crate::method::is_tchar;
use crate::ValueError;

/// Longest header name accepted in configuration and in
/// `Access-Control-Request-Headers`.
pub const MAX_HEADER_NAME_LEN: usize = 256;

/// Checks a configured header name and returns it lower-cased, the form in
/// which browsers list names in `Access-Control-Request-Headers`.
///
/// ```
/// use cors_actix_core::validate_header_name;
/// assert_eq!(validate_header_name("X-Custom-Header").unwrap(), "x-custom-header");
/// assert!(validate_header_name("x custom").is_err());
/// ```
pub fn validate_header_name(name: &str) -> Result<String, ValueError> {
    if name == "*" {
        return Err(ValueError::new(
            "\"*\" is not a header name; use `allow_any_header()` / `expose_any_header()` \
             (or headers = \"*\" / expose = \"*\" in #[cors])",
        ));
    }
    if name.is_empty() || name.len() > MAX_HEADER_NAME_LEN || !name.bytes().all(is_tchar) {
        return Err(ValueError::new(format!(
            "{name:?} is not a valid header name; a header name is a token such as \"content-type\" \
             (letters, digits and !#$%&'*+-.^_`|~, at most {MAX_HEADER_NAME_LEN} bytes)"
        )));
    }
    Ok(name.to_ascii_lowercase())
}
