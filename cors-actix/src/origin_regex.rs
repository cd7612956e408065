//! Origins allowed by a regular expression (`allow_origin_regex`), matched
//! as a whole.

use crate::CorsConfigError;

/// An origin regex: the user's source, and the whole-match automaton built
/// from its syntax tree; built only by [`compile`](Self::compile).
pub(crate) struct OriginRegex {
    source: Box<str>,
    regex: regex_automata::meta::Regex,
}

impl OriginRegex {
    /// Compiles an origin regex to match whole origins only.
    ///
    /// The user's pattern is parsed on its own (so `a)|(b` cannot close a
    /// wrapper of ours and escape it), its syntax tree is searched for an
    /// unescaped `.` (the parser knows verbose mode, classes and escapes), and
    /// the anchors are added to the tree, not to the text, before the
    /// automaton is built.
    pub(crate) fn compile(input: &str) -> Result<Self, CorsConfigError> {
        use regex_syntax::hir::{Hir, Look};

        let error = |what: String| CorsConfigError::Regex(format!("{input:?} {what}"));
        let ast = regex_syntax::ast::parse::Parser::new()
            .parse(input)
            .map_err(|e| {
                error(format!(
                    "does not parse as a regular expression on its own: {e}"
                ))
            })?;
        if let Some(position) = unescaped_dot(&ast) {
            return Err(error(format!(
                "has an unescaped '.' at byte {position}, which matches any character, so a \
                 lookalike host would match too; write \\. for a literal dot (or [^.] / \
                 [a-z0-9-] if you really mean a character class)"
            )));
        }
        let hir = regex_syntax::hir::translate::Translator::new()
            .translate(input, &ast)
            .map_err(|e| error(format!("does not compile: {e}")))?;
        let whole = Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)]);
        let regex = regex_automata::meta::Builder::new()
            .configure(
                regex_automata::meta::Config::new()
                    .nfa_size_limit(Some(1 << 20))
                    .hybrid_cache_capacity(1 << 20),
            )
            .build_from_hir(&whole)
            .map_err(|e| error(format!("does not compile: {e}")))?;
        Ok(Self {
            source: input.into(),
            regex,
        })
    }

    /// The source, as the user wrote it.
    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// Whether the regex matches the whole of `origin`.
    pub(crate) fn is_match(&self, origin: &str) -> bool {
        self.regex.is_match(origin)
    }
}

/// The byte offset of the first `.` of a regex that is not escaped and not
/// in a class: an `Ast::Dot`.
fn unescaped_dot(ast: &regex_syntax::ast::Ast) -> Option<usize> {
    use regex_syntax::ast::{visit, Ast, Visitor};

    struct FirstDot;
    impl Visitor for FirstDot {
        type Output = ();
        type Err = usize;
        fn finish(self) -> Result<(), usize> {
            Ok(())
        }
        fn visit_pre(&mut self, ast: &Ast) -> Result<(), usize> {
            match ast {
                Ast::Dot(span) => Err(span.start.offset),
                _ => Ok(()),
            }
        }
    }
    visit(ast, FirstDot).err()
}
