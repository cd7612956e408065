use std::fmt;

/// A configuration value that cannot be part of a CORS policy.
///
/// The `Display` text names the bad input and says how to fix it; the builder
/// returns it from `build()` and the `#[cors]` macro turns it into a compile
/// error on the offending token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    message: String,
}

impl ValueError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The human-readable explanation, also available through `Display`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}
