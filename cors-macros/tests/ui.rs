//! Compile-time behaviour of `#[cors]`: what must compile (`ui/pass`, and the
//! examples of the README's "Per-route policies" section) and the errors, with
//! their spans and wording, for what must not (`ui/fail`). Regenerate the
//! expected errors with `TRYBUILD=overwrite cargo test -p cors-macros --test
//! ui`, then read every `.stderr`.

use std::path::PathBuf;

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    for example in readme_examples() {
        t.pass(example);
    }
    t.compile_fail("tests/ui/fail/*.rs");
}

/// Writes each Rust example of the README's `#[cors]` section to a file.
/// Their `main` is renamed, so that trybuild, which runs what it compiles,
/// does not start their servers.
fn readme_examples() -> Vec<PathBuf> {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("\n## Per-route policies: `#[cors]`")
        .expect("the README has a per-route policies section");
    let section = &readme[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readme-cors-examples");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    // Blocks open with ```rust or ```rust,no_run (and so on).
    for (i, block) in section.split("```rust").skip(1).enumerate() {
        let block = &block[block.find('\n').expect("a code block line") + 1..];
        let code = &block[..block.find("```").expect("a closed code block")];
        assert!(code.contains("fn main()"), "README example {i} has a main");
        let code = code.replace("fn main()", "fn readme_main()");
        let path = dir.join(format!("example_{i}.rs"));
        std::fs::write(
            &path,
            format!("{code}\n#[allow(dead_code)]\nfn main() {{}}\n"),
        )
        .unwrap();
        files.push(path);
    }
    assert!(
        files.len() >= 3,
        "the README's #[cors] examples were not found"
    );
    files
}
