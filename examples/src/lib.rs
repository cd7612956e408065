//! The demo of cors-actix: an API on one origin and a page on another whose
//! script fires every kind of cross-origin request and shows, in a table,
//! what the browser allowed. The browser suite in `tests/e2e` runs the same
//! two apps.

pub mod api;
pub mod page;

/// Reads `--name value` from the command line, then the environment
/// variable, then the default.
pub fn setting(flag: &str, env: &str, default: &str) -> String {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == flag {
            if let Some(value) = args.next() {
                return value;
            }
        } else if let Some(value) = arg.strip_prefix(&format!("{flag}=")) {
            return value.to_owned();
        }
    }
    std::env::var(env).unwrap_or_else(|_| default.to_owned())
}
