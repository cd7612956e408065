//! Compile-time behaviour of `#[cors]`: what must compile (`ui/pass`) and the
//! errors, with their spans and wording, for what must not (`ui/fail`).
//! Regenerate the expected errors with `TRYBUILD=overwrite cargo test -p
//! cors-macros --test ui`, then read every `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
