//! Rules about combinations of settings, shared by the builder and the macro.

use crate::ValueError;

/// Refuses a setting that lets in every origin (`*`, `https://*`) together
/// with credentials or private network access. `what` names the setting as
/// the user wrote it.
pub fn check_every_origin(
    what: &str,
    credentials: bool,
    private_network: bool,
) -> Result<(), ValueError> {
    if credentials {
        return Err(ValueError::new(format!(
            "{what} allows every origin, which cannot be combined with credentials: browsers reject `*` \
             with credentials, and granting every origin credentials lets any website read your users' \
             data; list the origins that need credentials instead"
        )));
    }
    if private_network {
        return Err(ValueError::new(format!(
            "{what} allows every origin, which cannot be combined with private network access: it would \
             let any website on the internet reach this private-network server; list the origins that \
             need it instead"
        )));
    }
    Ok(())
}

/// The error for a policy that allows no origin at all.
pub fn no_origin_error(how: &str) -> ValueError {
    ValueError::new(format!(
        "no origin is allowed, so every CORS request would be refused; {how}"
    ))
}

/// Checks the status code of allowed preflights.
pub fn check_preflight_status(status: u16) -> Result<(), ValueError> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(ValueError::new(format!(
            "{status} is not a 2xx status, and browsers fail a preflight answered with any other; \
             use 204 (the default) or 200"
        )))
    }
}
