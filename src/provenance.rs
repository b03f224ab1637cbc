//! What this binary was built from (recorded by `build.rs`): the crate version, a
//! hash of its sources, the git commit and whether the tree was dirty, the compiler
//! and the target. `manifest.json` records it as `build`; [`identity`] is what
//! `--resume` and `cogov merge` compare, so results are never continued or combined
//! by a program whose code differs.

use serde::Serialize;

/// The build, as `manifest.json` records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Build {
    pub version: &'static str,
    /// FNV-1a of every source file (`build.rs` says which): changes when the code does.
    pub source_hash: &'static str,
    /// The git commit checked out at build time, when built from a git checkout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<&'static str>,
    /// Whether tracked files differed from that commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_dirty: Option<bool>,
    /// `rustc -V` of the compiler.
    pub rustc: &'static str,
    /// The target triple.
    pub target: &'static str,
}

/// This binary's build.
pub fn build() -> Build {
    let non_empty = |s: &'static str| (!s.is_empty()).then_some(s);
    Build {
        version: env!("CARGO_PKG_VERSION"),
        source_hash: env!("COGOV_SOURCE_HASH"),
        git_commit: non_empty(env!("COGOV_GIT_COMMIT")),
        git_dirty: match env!("COGOV_GIT_DIRTY") {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        rustc: env!("COGOV_RUSTC"),
        target: env!("COGOV_TARGET"),
    }
}

/// The build identity results are continued and merged under: the version and the
/// source hash (`0.1.0+3f9c...`). Two binaries built from the same sources share it,
/// whatever machine, compiler or checkout built them.
pub fn identity() -> String {
    format!(
        "{}+{}",
        env!("CARGO_PKG_VERSION"),
        env!("COGOV_SOURCE_HASH")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_is_recorded() {
        let b = build();
        assert_eq!(b.source_hash.len(), 16);
        assert!(b.source_hash.bytes().all(|c| c.is_ascii_hexdigit()));
        assert!(b.rustc.starts_with("rustc "), "{}", b.rustc);
        assert!(!b.target.is_empty());
        if let Some(commit) = b.git_commit {
            assert_eq!(commit.len(), 40);
            assert!(b.git_dirty.is_some());
        }
        assert_eq!(identity(), format!("{}+{}", b.version, b.source_hash));
    }
}
