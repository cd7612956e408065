//! The integration tests of cors-actix, as one test binary: each test binary
//! links actix-web and the crate anew, which on a small machine cost more
//! than running the tests, so the former files are modules of this one.
//!
//! One module's tests: `cargo test -p cors-actix --test it routing_oracle::`.
//!
//! All tests share one process, and with it the crate's process-wide state:
//! the table of registered `#[cors]` policies (and the switch that turns on
//! route lookups once anything is registered), the count of plain
//! middleware policies, and the `log` logger. A plain-middleware test may run
//! before or after the first `#[cors]` registration of the process, so it
//! must pass either way: checked by running each module alone (a filter as
//! above), and all of them after a throw-away first test that registers a
//! `#[cors]` route and a `Cors::scope` (`--test-threads=1`). The logger is
//! [`support::logs`], the only one this binary installs.

mod support;

mod actual;
mod attacks;
mod attacks_routes;
mod config_errors;
mod errors;
mod hostile_requests;
mod limits;
mod logging;
mod mounting;
mod origin_lookup;
mod origins;
mod passthrough;
mod preflight;
mod private_network;
mod properties;
mod regex;
mod route_equivalence;
mod route_keys;
mod route_paths;
mod route_precedence;
mod route_resolution;
mod routing_oracle;
mod serde_config;
mod vary;
