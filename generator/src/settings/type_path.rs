//! What a type override may say: a type, written as a path, and nothing that runs.
//!
//! `syn` parses any Rust type, and a type can hold code: an array length is an expression
//! (`[u8; { compile_error!("x"); 1 }]`), a const generic argument is a block, a type may be a
//! macro call. An override is emitted as code, so it is walked and only these are kept: paths
//! (`rust_decimal::Decimal`, `Vec<my::Id>`, `std::borrow::Cow<'static, str>`) whose generic
//! arguments are types, lifetimes or integer literals; references; tuples; slices; and
//! arrays whose length is an integer literal. Qualified paths (`<T as Trait>::X`), trait
//! objects, `impl Trait`, function pointers, raw pointers, `_`, `!` and macros are refused:
//! none names a type a field can hold and (de)serialize.

use syn::{Expr, GenericArgument, Lit, PathArguments, Type};

/// Checks that `text` is a Rust type of the kinds above; the error says why not.
pub(crate) fn check(text: &str) -> Result<(), String> {
    let ty = syn::parse_str::<Type>(text).map_err(|_| "is not a Rust type".to_owned())?;
    walk(&ty)
}

fn walk(ty: &Type) -> Result<(), String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            for segment in &path.path.segments {
                match &segment.arguments {
                    PathArguments::None => {}
                    PathArguments::AngleBracketed(arguments) => {
                        for argument in &arguments.args {
                            match argument {
                                GenericArgument::Type(ty) => walk(ty)?,
                                GenericArgument::Lifetime(_) => {}
                                GenericArgument::Const(expr) => integer_literal(expr)?,
                                _ => {
                                    return Err(refused("an associated type or constant"));
                                }
                            }
                        }
                    }
                    PathArguments::Parenthesized(_) => {
                        return Err(refused("a function trait's arguments"))
                    }
                }
            }
            Ok(())
        }
        Type::Path(_) => Err(refused("a qualified path (`<T as Trait>::X`)")),
        Type::Reference(reference) => walk(&reference.elem),
        Type::Tuple(tuple) => tuple.elems.iter().try_for_each(walk),
        Type::Slice(slice) => walk(&slice.elem),
        Type::Array(array) => {
            integer_literal(&array.len)?;
            walk(&array.elem)
        }
        Type::Paren(inner) => walk(&inner.elem),
        Type::Group(inner) => walk(&inner.elem),
        Type::Macro(_) => Err(refused("a macro")),
        Type::TraitObject(_) | Type::ImplTrait(_) => Err(refused("a trait")),
        Type::FnPtr(_) => Err(refused("a function pointer")),
        Type::Ptr(_) => Err(refused("a raw pointer")),
        _ => Err(refused("this kind of type")),
    }
}

/// An array length or const argument: an integer literal, never an expression.
fn integer_literal(expr: &Expr) -> Result<(), String> {
    match expr {
        Expr::Lit(lit) if matches!(lit.lit, Lit::Int(_)) => Ok(()),
        _ => Err(refused(
            "an expression (array lengths and const arguments must be integer literals)",
        )),
    }
}

fn refused(what: &str) -> String {
    format!(
        "holds {what}; a type override is a type path, see README.md \"What the generator trusts\""
    )
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn paths_with_type_arguments_pass() {
        for ty in [
            "rust_decimal::Decimal",
            "Vec<my::Id>",
            "std::collections::BTreeMap<String, (u8, [i32; 4])>",
            "std::borrow::Cow<'static, str>",
            "&'static [u8]",
            "my::Fixed<16>",
        ] {
            assert_eq!(check(ty), Ok(()), "{ty}");
        }
    }

    #[test]
    fn code_in_a_type_is_refused() {
        for ty in [
            "[u8; { compile_error!(\"x\"); 1 }]",
            "[u8; 1 + 1]",
            "Vec<[u8; N]>",
            "my::Fixed<{ 16 }>",
            "include!(\"/etc/passwd\")",
            "Box<dyn Fn()>",
            "<Vec<u8> as IntoIterator>::Item",
            "fn() -> u8",
            "*const u8",
            "impl Sized",
            "_",
        ] {
            assert!(check(ty).is_err(), "{ty}");
        }
        assert_eq!(check("not a type!"), Err("is not a Rust type".to_owned()));
    }
}
