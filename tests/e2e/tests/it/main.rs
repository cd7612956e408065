//! The browser suite as one test binary: each test binary links actix-web,
//! cors-actix and the WebDriver client anew and launches browsers of its
//! own, so the former files are modules of this one, and their tests take
//! turns on one browser per engine (see `Browser::launch`). Every scenario is
//! a test per engine: `policy::<scenario>::chromium` and `...::firefox`.
//!
//! One module's tests: `CI=true cargo test -p cors-e2e --test it policy::`.
//!
//! The routes module registers `#[cors]` routes, which turns on cors-actix's
//! process-wide route lookups for every app of the process; the other
//! modules' apps pass either way (checked by running each module alone, and
//! all of them after a throw-away `#[cors]` registration).

mod support;

mod demo;
mod harness;
mod policy;
mod routes;
