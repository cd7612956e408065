//! The mistakes found so far, so that one run of the macro reports them all
//! (serde_derive's `Ctxt`): each step records an error and goes on with the
//! next value instead of returning.

/// Every error recorded.
#[derive(Default)]
pub(crate) struct Errors(Vec<syn::Error>);

impl Errors {
    /// Records an error; one combined from several stays together.
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.0.push(error);
    }

    /// The value of `result`, or `None` with its error recorded.
    pub(crate) fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// `Err` with every error recorded, if there is one, in the order of the
    /// source: parsing and validation find them in different orders.
    pub(crate) fn finish(mut self) -> syn::Result<()> {
        self.0.sort_by_key(|error| {
            let start = error.span().start();
            (start.line, start.column)
        });
        let mut errors = self.0.into_iter();
        let Some(mut first) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            first.combine(error);
        }
        Err(first)
    }
}
